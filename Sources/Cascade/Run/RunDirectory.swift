import CascadeSupport
import Foundation

/// The run directory of DESIGN.md: `config.json`, `manifest.json`, `models/`, `scores/`,
/// `regions/`, `tables/`, `fit/`, `report/`, `shards/`.
public struct RunDirectory: Sendable {
  public let path: String

  /// The run directory at `path` (the config's `output`); nothing is created or checked.
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
}
