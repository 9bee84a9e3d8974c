import CascadeSupport
import Foundation

/// The run directory of DESIGN.md: `config.json`, `manifest.json`, `models/`, `scores/`,
/// `regions/`, `tables/`, `fit/`, `report/`, `shards/`.
public struct RunDirectory: Sendable {
  public let path: String

  public init(_ path: String) { self.path = path }

  public var models: String { path + "/models" }
  public var tables: String { path + "/tables" }
  public var fit: String { path + "/fit" }
  public var manifest: String { path + "/manifest.json" }
  public var trainSummary: String { path + "/train-summary.json" }

  /// Copies the config file's bytes to `config.json`.
  public func writeConfigCopy(_ config: CascadeConfig) throws {
    guard let data = FileManager.default.contents(atPath: config.path) else { throw UserError("\(config.path): cannot read config file") }
    try AtomicFile.write([UInt8](data), to: path + "/config.json")
  }

  /// Sets `section` of `manifest.json` (inputs, versions, seeds, timings), keeping the others.
  public func updateManifest(_ section: String, _ value: JSONValue) throws {
    var root = JSONObject()
    if FileManager.default.fileExists(atPath: manifest), let old = try? JSONValue.load(path: manifest), let o = old.objectValue {
      root = o
    }
    root["cascade_version"] = JSONValue(CascadeVersion.string)
    root[section] = value
    try AtomicFile.write(JSONValue.object(root).serialized(), to: manifest)
  }

  /// Paths, sizes and checksums of the config's inputs, for the manifest.
  public static func describeInputs(_ config: CascadeConfig) throws -> JSONValue {
    var items: [JSONValue] = []
    for s in config.samples {
      for f in s.files {
        let size = ((try? FileManager.default.attributesOfItem(atPath: f))?[.size] as? NSNumber)?.intValue ?? 0
        items.append(["sample": .string(s.name), "path": .string(f), "size": JSONValue(size), "checksum": .string(try StableHash.ofFile(f).hex)])
      }
    }
    return .array(items)
  }
}
