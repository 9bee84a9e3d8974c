/// A JSON object whose keys are data (sample names, stage names), kept in file order: encodes
/// as `{"wjets": 0.9, "ttbar": 0.8}` and decodes every key the object has.
///
/// ```swift
/// let rejection = OrderedMap([("wjets", 0.98), ("ttbar", 0.91)])
/// rejection["ttbar"]  // 0.91
/// ```
public struct OrderedMap<Value>: Sequence {
  /// The entries in file (or insertion) order.
  public var entries: [(key: String, value: Value)]

  /// A map holding `entries` in the given order; duplicate keys are kept (lookups find the first).
  public init(_ entries: [(key: String, value: Value)] = []) { self.entries = entries }

  public var keys: [String] { entries.map(\.key) }

  /// The value of `key` (the first such entry), if any.
  public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

  public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { entries.makeIterator() }
}

extension OrderedMap: Sendable where Value: Sendable {}

extension OrderedMap: Equatable where Value: Equatable {
  public static func == (a: OrderedMap, b: OrderedMap) -> Bool {
    a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}

extension OrderedMap: Encodable where Value: Encodable {
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: NameKey.self)
    for (k, v) in entries { try c.encode(v, forKey: NameKey(k)) }
  }
}

extension OrderedMap: Decodable where Value: Decodable {
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: NameKey.self)
    entries = try c.allKeys.map { ($0.stringValue, try c.decode(Value.self, forKey: $0)) }
  }
}

extension KeyedEncodingContainer {
  /// Writes `value`, or `null` when it is nil (the key is always present).
  public mutating func encodeNullable<T: Encodable>(_ value: T?, forKey key: Key) throws {
    if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
  }
}

extension KeyedDecodingContainer {
  /// Reads a key that must be present but may be `null` (nil).
  public func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard contains(key) else {
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
    }
    return try decodeNil(forKey: key) ? nil : decode(type, forKey: key)
  }
}
