import CascadeSupport
import Foundation

/// Encodes a Codable value in the project's JSON style (key order sorted, numbers formatted
/// by `JSONValue`), through Foundation's encoder and the project's parser/writer.
public func encodeJSON<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  encoder.nonConformingFloatEncodingStrategy = .throw
  let data = try encoder.encode(value)
  return try JSONValue.parse([UInt8](data), source: "(encoded)").serialized(pretty: pretty)
}
