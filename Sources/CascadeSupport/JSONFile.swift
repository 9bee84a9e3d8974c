import Foundation

/// Typed JSON files: the one way a module writes a contract file and another reads it back.
/// Writing goes through `JSONValueEncoder`, the deterministic formatter and `AtomicFile`;
/// reading is strict (`JSONValueDecoder`), so a renamed, missing or mistyped key is a one-line
/// error naming the file and the key's path.
///
/// ```swift
/// try JSONFile.write(summary, to: run + "/train-summary.json")
/// let back = try JSONFile.load(TrainSummary.self, from: run + "/train-summary.json")
/// ```
public enum JSONFile {
  /// Reads and decodes `path`; a missing file is `"<path>: not found"`.
  public static func load<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
    guard FileManager.default.fileExists(atPath: path) else { throw UserError("\(path): not found") }
    return try JSONValueDecoder(source: path).decode(type, from: JSONValue.load(path: path))
  }

  /// The file's text as written by `write` (pretty, keys in encoding order, trailing newline).
  public static func text<T: Encodable>(_ value: T) throws -> String {
    try JSONValueEncoder().encode(value).serialized()
  }

  /// Encodes `value` and writes it atomically to `path`.
  public static func write<T: Encodable>(_ value: T, to path: String) throws {
    try AtomicFile.write(text(value), to: path)
  }
}
