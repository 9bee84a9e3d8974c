/// A parsed JSON document that keeps object key order, so files we write are byte-stable
/// and error messages can point at the exact key.
public enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The member `key` of an object; `nil` when the key is absent or the value is not an object.
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }
  public var doubleValue: Double? { if case .number(let d) = self { return d } else { return nil } }
  public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
  public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
  public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }

  /// The JSON type name used in error messages ("number", "object", …).
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}

/// An insertion-ordered JSON object.
public struct JSONObject: Equatable, Sendable, Sequence {
  public private(set) var keys: [String] = []
  private var storage: [String: JSONValue] = [:]

  /// An empty object.
  public init() {}
  /// An object with `pairs` in order; a repeated key keeps its first position and its last value.
  public init(_ pairs: [(String, JSONValue)]) {
    for (k, v) in pairs { self[k] = v }
  }

  /// The member `key`, or `nil`. Setting a new key appends it to ``keys``; setting an existing one
  /// replaces the value in place; setting `nil` removes the key.
  public subscript(key: String) -> JSONValue? {
    get { storage[key] }
    set {
      if let newValue {
        if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }
  public var count: Int { keys.count }
  public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
    var i = 0
    return AnyIterator {
      guard i < keys.count else { return nil }
      defer { i += 1 }
      return (keys[i], storage[keys[i]]!)
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
  public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
  /// A number. Non-finite values are allowed here and written as `null` by the formatter.
  public init(_ d: Double) { self = .number(d) }
  /// A number holding `i` (exact up to 2^53 in magnitude).
  public init(_ i: Int) { self = .number(Double(i)) }
  /// A string value, stored unescaped (escaping happens when it is serialized).
  public init(_ s: String) { self = .string(s) }
  /// An array of numbers, in order (non-finite ones serialize as `null`).
  public init(_ values: [Double]) { self = .array(values.map { .number($0) }) }
  /// An array of strings, in order.
  public init(_ values: [String]) { self = .array(values.map { .string($0) }) }
}
