/// Decodes a `Decodable` type from a `JSONValue`, strictly: a missing required key, a value of
/// the wrong type, or a key the type never asks for is a `UserError` whose one line names the
/// file and the JSON path (`train-summary.json: stages[1].threshold: missing`,
/// `train-summary.json: stages[1].thresold: unknown key "thresold" (did you mean "threshold"?)`,
/// the form `JSONCursor` uses for configs).
///
/// `null` decodes as `nil` for optionals and as NaN for a `Double` (the formatter writes
/// non-finite numbers as `null`); integers must be integral numbers.
///
/// ```swift
/// let summary = try JSONValueDecoder(source: path).decode(TrainSummary.self, from: value)
/// ```
public struct JSONValueDecoder: Sendable {
  /// The file (or other origin) named in error messages.
  public var source: String

  /// A decoder whose errors start with `source` (usually the path of the file being read).
  public init(source: String) { self.source = source }

  /// `userInfo` key under which decoders hand `source` to `init(from:)` (for validators that
  /// report through `JSONCursor`).
  public static let sourceKey = CodingUserInfoKey(rawValue: "cascade.json.source")!

  /// Decodes `type` from `value`; every error is a one-line `UserError`.
  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
    let state = DecodingState(source: source)
    do {
      let result = try T(from: NodeDecoder(value: value, codingPath: [], state: state))
      try state.checkUnknownKeys()
      return result
    } catch let e as DecodingError {
      throw userError(e)
    }
  }

  /// The one-line message of a decoding error: source, JSON path, what is wrong.
  public func userError(_ error: DecodingError) -> UserError {
    switch error {
    case .keyNotFound(let key, let ctx):
      return UserError("\(source): \(jsonPath(ctx.codingPath + [key])): missing")
    case .valueNotFound(_, let ctx), .typeMismatch(_, let ctx), .dataCorrupted(let ctx):
      return UserError("\(source): \(jsonPath(ctx.codingPath)): \(ctx.debugDescription)")
    @unknown default:
      return UserError("\(source): \(error)")
    }
  }
}

/// `stages[1].threshold` for a coding path; `(root)` for the empty one.
public func jsonPath(_ codingPath: [CodingKey]) -> String {
  var out = ""
  for key in codingPath {
    if let i = key.intValue, key is IndexKey || key.stringValue == "\(i)" {
      out += "[\(i)]"
    } else {
      out += out.isEmpty ? key.stringValue : "." + key.stringValue
    }
  }
  return out.isEmpty ? "(root)" : out
}

/// A key given by its name (for paths of keys no type declares).
public struct NameKey: CodingKey {
  public var stringValue: String
  public var intValue: Int? { nil }
  /// The key named `name`.
  public init(_ name: String) { stringValue = name }
  /// The key named `stringValue`; never fails.
  public init?(stringValue: String) { self.stringValue = stringValue }
  /// Always `nil`: a name key has no integer form.
  public init?(intValue: Int) { nil }
}

/// Which keys of every decoded object were asked for, to report the ones nobody asked for.
final class DecodingState {
  final class ObjectUse {
    let object: JSONObject
    let codingPath: [CodingKey]
    var used: Set<String> = []
    var all = false
    init(object: JSONObject, codingPath: [CodingKey]) {
      self.object = object
      self.codingPath = codingPath
    }
  }
  private var objects: [String: ObjectUse] = [:]
  private var order: [ObjectUse] = []
  let source: String
  init(source: String) { self.source = source }

  func use(_ object: JSONObject, at codingPath: [CodingKey]) -> ObjectUse {
    let path = jsonPath(codingPath)
    if let u = objects[path] { return u }
    let u = ObjectUse(object: object, codingPath: codingPath)
    objects[path] = u
    order.append(u)
    return u
  }

  /// Everything at and below `codingPath` counts as used (a raw `JSONValue` was taken).
  func markAllUsed(at codingPath: [CodingKey], value: JSONValue) {
    if case .object(let o) = value { use(o, at: codingPath).all = true }
  }

  func checkUnknownKeys() throws {
    for u in order where !u.all {
      for key in u.object.keys where !u.used.contains(key) {
        var message = "unknown key \"\(key)\""
        let asked = u.object.keys.filter { u.used.contains($0) }
        let candidates = Array(u.used.subtracting(asked))
        if let near = nearestName(to: key, in: candidates.sorted()) { message += " (did you mean \"\(near)\"?)" }
        throw DecodingError.dataCorrupted(.init(codingPath: u.codingPath + [NameKey(key)], debugDescription: message))
      }
    }
  }
}

struct NodeDecoder: Decoder {
  let value: JSONValue
  let codingPath: [CodingKey]
  let state: DecodingState
  var userInfo: [CodingUserInfoKey: Any] { [JSONValueDecoder.sourceKey: state.source] }

  func markAllUsed() { state.markAllUsed(at: codingPath, value: value) }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let o) = value else { throw mismatch(codingPath, "an object", value) }
    return KeyedDecodingContainer(
      KeyedNodeDecodingContainer<Key>(object: o, codingPath: codingPath, state: state, use: state.use(o, at: codingPath)))
  }

  func unkeyedContainer() throws -> UnkeyedDecodingContainer {
    guard case .array(let a) = value else { throw mismatch(codingPath, "an array", value) }
    return UnkeyedNodeDecodingContainer(items: a, codingPath: codingPath, state: state)
  }

  func singleValueContainer() throws -> SingleValueDecodingContainer {
    SingleNodeDecodingContainer(value: value, codingPath: codingPath, state: state)
  }
}

func mismatch(_ codingPath: [CodingKey], _ expected: String, _ found: JSONValue) -> DecodingError {
  .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(found.typeName)"))
}

/// Decodes one value: JSON scalars directly (with the file's conventions), anything else
/// through its own `init(from:)`.
func decodeValue<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [CodingKey], state: DecodingState) throws -> T {
  if T.self == Double.self { return try decodeDouble(value, codingPath) as! T }
  if T.self == String.self {
    guard case .string(let s) = value else { throw mismatch(codingPath, "a string", value) }
    return s as! T
  }
  if T.self == Int.self { return try decodeInt(value, codingPath) as! T }
  if T.self == Bool.self {
    guard case .bool(let b) = value else { throw mismatch(codingPath, "true or false", value) }
    return b as! T
  }
  if T.self == Float.self { return Float(try decodeDouble(value, codingPath)) as! T }
  if let integer = T.self as? any FixedWidthInteger.Type { return try decodeInteger(integer, value, codingPath) as! T }
  if T.self == JSONValue.self {
    state.markAllUsed(at: codingPath, value: value)
    return value as! T
  }
  return try T(from: NodeDecoder(value: value, codingPath: codingPath, state: state))
}

func decodeDouble(_ value: JSONValue, _ codingPath: [CodingKey]) throws -> Double {
  switch value {
  case .number(let d): return d
  case .null: return .nan
  default: throw mismatch(codingPath, "a number", value)
  }
}

func decodeInt(_ value: JSONValue, _ codingPath: [CodingKey]) throws -> Int {
  guard case .number(let d) = value else { throw mismatch(codingPath, "an integer", value) }
  guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else {
    throw DecodingError.typeMismatch(
      Int.self, .init(codingPath: codingPath, debugDescription: "expected an integer, found \(JSONValue.format(d))"))
  }
  return Int(d)
}

func decodeInteger<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, _ codingPath: [CodingKey]) throws -> I {
  try convertInteger(value, codingPath)
}

func convertInteger<T: FixedWidthInteger>(_ value: JSONValue, _ codingPath: [CodingKey]) throws -> T {
  let i = try decodeInt(value, codingPath)
  guard let v = T(exactly: i) else {
    throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath, debugDescription: "integer \(i) out of range"))
  }
  return v
}

struct KeyedNodeDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let object: JSONObject
  let codingPath: [CodingKey]
  let state: DecodingState
  let use: DecodingState.ObjectUse

  var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool {
    use.used.insert(key.stringValue)
    return object[key.stringValue] != nil
  }

  private func value(_ key: Key) throws -> JSONValue {
    use.used.insert(key.stringValue)
    guard let v = object[key.stringValue] else {
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
    }
    return v
  }

  func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try decodeValue(type, from: value(key), codingPath: codingPath + [key], state: state)
  }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try convertInteger(value(key), codingPath + [key]) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try convertInteger(value(key), codingPath + [key]) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try convertInteger(value(key), codingPath + [key]) }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try NodeDecoder(value: value(key), codingPath: codingPath + [key], state: state).container(keyedBy: type)
  }
  func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
    try NodeDecoder(value: value(key), codingPath: codingPath + [key], state: state).unkeyedContainer()
  }
  func superDecoder() throws -> Decoder { NodeDecoder(value: .object(object), codingPath: codingPath, state: state) }
  func superDecoder(forKey key: Key) throws -> Decoder {
    NodeDecoder(value: try value(key), codingPath: codingPath + [key], state: state)
  }
}

struct UnkeyedNodeDecodingContainer: UnkeyedDecodingContainer {
  let items: [JSONValue]
  let codingPath: [CodingKey]
  let state: DecodingState
  var currentIndex = 0

  init(items: [JSONValue], codingPath: [CodingKey], state: DecodingState) {
    self.items = items
    self.codingPath = codingPath
    self.state = state
  }

  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  private mutating func next() throws -> (JSONValue, [CodingKey]) {
    let path = codingPath + [IndexKey(currentIndex)]
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self, .init(codingPath: path, debugDescription: "expected \(currentIndex + 1) or more entries, found \(items.count)"))
    }
    defer { currentIndex += 1 }
    return (items[currentIndex], path)
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else { return false }
    if items[currentIndex] == .null {
      currentIndex += 1
      return true
    }
    return false
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (v, path) = try next()
    return try decodeValue(type, from: v, codingPath: path, state: state)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
    let (v, path) = try next()
    return try NodeDecoder(value: v, codingPath: path, state: state).container(keyedBy: type)
  }
  mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
    let (v, path) = try next()
    return try NodeDecoder(value: v, codingPath: path, state: state).unkeyedContainer()
  }
  mutating func superDecoder() throws -> Decoder {
    let (v, path) = try next()
    return NodeDecoder(value: v, codingPath: path, state: state)
  }
}

struct SingleNodeDecodingContainer: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [CodingKey]
  let state: DecodingState

  func decodeNil() -> Bool { value == .null }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try decodeValue(type, from: value, codingPath: codingPath, state: state)
  }
  func decode(_ type: Int64.Type) throws -> Int64 { try convertInteger(value, codingPath) }
  func decode(_ type: Int32.Type) throws -> Int32 { try convertInteger(value, codingPath) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try convertInteger(value, codingPath) }
}
