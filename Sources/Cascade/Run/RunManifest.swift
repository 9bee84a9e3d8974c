import CascadeSupport
import Foundation

/// `<run>/manifest.json`: what a run was made from and how long it took — the only file with
/// wall-clock values. Each command sets its own section (`RunDirectory.updateManifest`),
/// keeping the others; sections a command never ran are absent.
public struct RunManifest: Codable, Sendable, Equatable {
  /// The config file the run was made with.
  public struct ConfigRecord: Codable, Sendable, Equatable {
    /// Absolute, standardised path of the original config file.
    public var path: String
    public var checksum: String
  }
  /// One input file of the config.
  public struct Input: Codable, Sendable, Equatable {
    public var sample: String
    public var path: String
    public var size: Int
    public var checksum: String
  }
  /// `cascade train`: seeds and timings.
  public struct TrainRecord: Codable, Sendable, Equatable {
    public var seed: Int
    public var folds: Int
    public var threads: Int
    public var seconds: Double
    /// Training time per stage, in stage order.
    public var stageSeconds: OrderedMap<Double>
    enum CodingKeys: String, CodingKey {
      case seed, folds, threads, seconds
      case stageSeconds = "stage_seconds"
    }
  }
  /// `cascade apply` (unsharded).
  public struct ApplyRecord: Codable, Sendable, Equatable {
    public var seconds: Double
    public var threads: Int
    /// Number of files written.
    public var outputs: Int
  }
  /// `cascade merge`.
  public struct MergeRecord: Codable, Sendable, Equatable {
    public var shards: Int
    public var outputs: Int
  }

  public var cascadeVersion: String = CascadeVersion.string
  public var config: ConfigRecord?
  public var inputs: [Input]?
  public var train: TrainRecord?
  public var apply: ApplyRecord?
  public var merge: MergeRecord?

  /// An empty manifest (no sections) stamped with this cascade's version.
  public init() {}

  enum CodingKeys: String, CodingKey {
    case cascadeVersion = "cascade_version"
    case config, inputs, train, apply, merge
  }
}

extension RunDirectory {
  /// Applies `change` to `manifest.json` (a missing or unreadable one starts afresh), records
  /// this cascade's version and writes it atomically.
  public func updateManifest(_ change: (inout RunManifest) -> Void) throws {
    var m = (try? JSONFile.load(RunManifest.self, from: manifest)) ?? RunManifest()
    m.cascadeVersion = CascadeVersion.string
    change(&m)
    try JSONFile.write(m, to: manifest)
  }

  /// Paths, sizes and checksums of the config's inputs, for the manifest.
  public static func describeInputs(_ config: CascadeConfig) throws -> [RunManifest.Input] {
    var items: [RunManifest.Input] = []
    for s in config.samples {
      for f in s.files {
        let size = ((try? FileManager.default.attributesOfItem(atPath: f))?[.size] as? NSNumber)?.intValue ?? 0
        items.append(RunManifest.Input(sample: s.name, path: f, size: size, checksum: try StableHash.ofFile(f).hex))
      }
    }
    return items
  }
}
