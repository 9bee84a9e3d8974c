/// Encodes an `Encodable` value into a `JSONValue`, so typed results are written by the
/// project's one deterministic formatter (`JSONValue.serialized`) and stay byte-stable.
///
/// Object keys appear in the order they are encoded: for synthesized conformances that is the
/// order of the `CodingKeys` (declaration order). Integers become numbers without a fraction,
/// non-finite doubles are written as `null` by the formatter, and an optional that is `nil` is
/// left out by synthesized conformances (`encodeIfPresent`); a type that must write `"key": null`
/// encodes the optional itself (`container.encode(optional, forKey:)`).
///
/// ```swift
/// struct Point: Codable { var x: Double; var label: String }
/// let json = try JSONValueEncoder().encode(Point(x: 1.5, label: "a"))  // {"x": 1.5, "label": "a"}
/// ```
public struct JSONValueEncoder: Sendable {
  /// An encoder; it has no options, so every value has exactly one JSON form.
  public init() {}

  /// The JSON form of `value`.
  public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
    if let v = value as? JSONValue { return v }
    let root = EncodingNode()
    try value.encode(to: NodeEncoder(node: root, codingPath: []))
    return root.resolved
  }
}

/// A value under construction; containers fill it in place so nested containers can be
/// handed out before their parents finish.
final class EncodingNode {
  enum Content {
    case empty
    case value(JSONValue)
    case object(keys: [String], children: [String: EncodingNode])
    case array([EncodingNode])
  }
  var content: Content = .empty

  var resolved: JSONValue {
    switch content {
    case .empty: return .object(JSONObject())
    case .value(let v): return v
    case .object(let keys, let children): return .object(JSONObject(keys.map { ($0, children[$0]!.resolved) }))
    case .array(let items): return .array(items.map(\.resolved))
    }
  }

  func makeObject() {
    if case .object = content { return }
    content = .object(keys: [], children: [:])
  }

  func makeArray() {
    if case .array = content { return }
    content = .array([])
  }

  /// The child node of `key` (created at the end of the key order when new).
  func child(_ key: String) -> EncodingNode {
    makeObject()
    guard case .object(var keys, var children) = content else { fatalError("unreachable") }
    if let existing = children[key] { return existing }
    let node = EncodingNode()
    keys.append(key)
    children[key] = node
    content = .object(keys: keys, children: children)
    return node
  }

  func appendChild() -> EncodingNode {
    makeArray()
    guard case .array(var items) = content else { fatalError("unreachable") }
    let node = EncodingNode()
    items.append(node)
    content = .array(items)
    return node
  }

  var arrayCount: Int {
    if case .array(let items) = content { return items.count }
    return 0
  }
}

/// The key of an array element (`[i]` in JSON paths).
public struct IndexKey: CodingKey {
  public var intValue: Int?
  public var stringValue: String { "\(intValue ?? 0)" }
  /// The key of element `i` (zero-based).
  public init(_ i: Int) { intValue = i }
  /// The key of element `intValue`; never fails.
  public init?(intValue: Int) { self.intValue = intValue }
  /// Always `nil`: array elements have no names.
  public init?(stringValue: String) { nil }
}

struct NodeEncoder: Encoder {
  let node: EncodingNode
  let codingPath: [CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    node.makeObject()
    return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> UnkeyedEncodingContainer {
    node.makeArray()
    return UnkeyedNodeContainer(node: node, codingPath: codingPath)
  }

  func singleValueContainer() -> SingleValueEncodingContainer { SingleNodeContainer(node: node, codingPath: codingPath) }
}

/// Stores one encodable value into `node`: JSON scalars directly, anything else through its
/// own `encode(to:)`.
func encodeValue<T: Encodable>(_ value: T, into node: EncodingNode, codingPath: [CodingKey]) throws {
  switch value {
  case let v as JSONValue: node.content = .value(v)
  case let v as Double: node.content = .value(.number(v))
  case let v as Float: node.content = .value(.number(Double(v)))
  case let v as String: node.content = .value(.string(v))
  case let v as Bool: node.content = .value(.bool(v))
  case let v as Int: node.content = .value(.number(Double(v)))
  case let v as any BinaryInteger: node.content = .value(.number(integerValue(v)))
  // Number arrays (ROC curves, histograms) directly: the same values as element by element,
  // without a container and a node per number.
  case let v as [Double]: node.content = .value(.array(v.map { .number($0) }))
  case let v as [[Double]]: node.content = .value(.array(v.map { .array($0.map { .number($0) }) }))
  case let v as [Int]: node.content = .value(.array(v.map { .number(Double($0)) }))
  default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
  }
}

/// An integer of any width as a JSON number (exact below 2⁵³).
func integerValue<I: BinaryInteger>(_ v: I) -> Double { Double(v) }

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodingNode
  let codingPath: [CodingKey]

  mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).content = .value(.null) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try encodeValue(value, into: node.child(key.stringValue), codingPath: codingPath + [key])
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    let child = node.child(key.stringValue)
    child.makeObject()
    return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
    let child = node.child(key.stringValue)
    child.makeArray()
    return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
  }
  mutating func superEncoder() -> Encoder { NodeEncoder(node: node.child("super"), codingPath: codingPath) }
  mutating func superEncoder(forKey key: Key) -> Encoder {
    NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
  }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
  let node: EncodingNode
  let codingPath: [CodingKey]
  var count: Int { node.arrayCount }

  mutating func encodeNil() throws { node.appendChild().content = .value(.null) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    let key = IndexKey(count)
    try encodeValue(value, into: node.appendChild(), codingPath: codingPath + [key])
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let key = IndexKey(count)
    let child = node.appendChild()
    child.makeObject()
    return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
  }
  mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
    let key = IndexKey(count)
    let child = node.appendChild()
    child.makeArray()
    return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
  }
  mutating func superEncoder() -> Encoder {
    let key = IndexKey(count)
    return NodeEncoder(node: node.appendChild(), codingPath: codingPath + [key])
  }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
  let node: EncodingNode
  let codingPath: [CodingKey]
  mutating func encodeNil() throws { node.content = .value(.null) }
  mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value, into: node, codingPath: codingPath) }
}

extension JSONValue: Codable {
  /// Decodes any JSON value (with `JSONValueDecoder`, the value as stored, unchecked).
  public init(from decoder: Decoder) throws {
    if let d = decoder as? NodeDecoder {
      d.markAllUsed()
      self = d.value
      return
    }
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) { self = .string(s) } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      let o = try c.decode([String: JSONValue].self)
      self = .object(JSONObject(o.keys.sorted().map { ($0, o[$0]!) }))
    }
  }

  /// Encodes the value as it is (key order kept).
  public func encode(to encoder: Encoder) throws {
    if let e = encoder as? NodeEncoder {
      e.node.content = .value(self)
      return
    }
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let d): try c.encode(d)
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(Dictionary(uniqueKeysWithValues: o.map { ($0.key, $0.value) }))
    }
  }
}
