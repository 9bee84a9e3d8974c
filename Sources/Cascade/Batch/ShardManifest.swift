import CascadeSupport
import Foundation

/// `shards/<i>/manifest.json`: written last and atomically by `cascade apply --shard i/N`, so a
/// shard directory without it (or whose outputs no longer match it) is never merged.
public struct ShardManifest: Codable, Sendable, Equatable {
  /// One output file of the shard.
  public struct Output: Codable, Sendable, Equatable {
    /// Relative to the shard directory.
    public var path: String
    public var size: Int
    public var checksum: String

    /// `path` relative to the shard directory, `size` in bytes, `checksum` the `StableHash` hex of its bytes.
    public init(path: String, size: Int, checksum: String) {
      self.path = path
      self.size = size
      self.checksum = checksum
    }
  }
  /// The rows of one input file the shard processed.
  public struct Input: Codable, Sendable, Equatable {
    public var sample: String
    public var file: String
    /// Written as `[first, end]`.
    public var rows: Range<Int>

    /// Rows `rows` (half-open, in file order) of input `file` of sample `sample`.
    public init(sample: String, file: String, rows: Range<Int>) {
      self.sample = sample
      self.file = file
      self.rows = rows
    }

    enum CodingKeys: String, CodingKey { case sample, file, rows }

    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(sample, forKey: .sample)
      try c.encode(file, forKey: .file)
      try c.encode([rows.lowerBound, rows.upperBound], forKey: .rows)
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      sample = try c.decode(String.self, forKey: .sample)
      file = try c.decode(String.self, forKey: .file)
      let r = try c.decode([Int].self, forKey: .rows)
      guard r.count == 2, r[0] <= r[1] else {
        throw DecodingError.dataCorruptedError(forKey: .rows, in: c, debugDescription: "rows must be [first, end]")
      }
      rows = r[0]..<r[1]
    }
  }

  public var shard: Int
  public var shards: Int
  /// Checksum of the config file the shard was produced with.
  public var configChecksum: String
  public var inputs: [Input]
  public var outputs: [Output]
  public var version: String = CascadeVersion.string

  /// Shard `shard` (0-based) of `shards`, made with the config of checksum `configChecksum`;
  /// `version` is this cascade's.
  public init(shard: Int, shards: Int, configChecksum: String, inputs: [Input], outputs: [Output]) {
    self.shard = shard
    self.shards = shards
    self.configChecksum = configChecksum
    self.inputs = inputs
    self.outputs = outputs
  }

  /// `<runDirectory>/shards/<shard>`: the shard's outputs and manifest.
  public static func directory(runDirectory: String, shard: Int) -> String { "\(runDirectory)/shards/\(shard)" }
  /// `<runDirectory>/shards/<shard>/manifest.json`.
  public static func path(runDirectory: String, shard: Int) -> String { directory(runDirectory: runDirectory, shard: shard) + "/manifest.json" }

  enum CodingKeys: String, CodingKey {
    case shard, shards
    case configChecksum = "config_checksum"
    case version, inputs, outputs
  }

  /// Reads shard `shard`'s manifest; throws `UserError` when it is missing (shard not complete) or
  /// records another shard index; rethrows `JSONFile.load`'s error for an unreadable file.
  public static func load(runDirectory: String, shard: Int) throws -> ShardManifest {
    let path = path(runDirectory: runDirectory, shard: shard)
    guard FileManager.default.fileExists(atPath: path) else { throw UserError("shard \(shard): \(path) is missing (shard not complete)") }
    let m = try JSONFile.load(ShardManifest.self, from: path)
    guard m.shard == shard else { throw UserError("\(path): manifest is for shard \(m.shard), found in shards/\(shard)") }
    return m
  }

  /// Checks every output exists with the recorded size and checksum.
  public func verify(runDirectory: String) throws {
    let dir = Self.directory(runDirectory: runDirectory, shard: shard)
    for o in outputs {
      let p = dir + "/" + o.path
      guard let attrs = try? FileManager.default.attributesOfItem(atPath: p) else {
        throw UserError("shard \(shard): output \(o.path) is missing")
      }
      let size = (attrs[.size] as? NSNumber)?.intValue ?? -1
      guard size == o.size else { throw UserError("shard \(shard): output \(o.path) has \(size) bytes, manifest says \(o.size) (corrupt shard)") }
      guard try StableHash.ofFile(p).hex == o.checksum else {
        throw UserError("shard \(shard): output \(o.path) checksum mismatch (corrupt shard)")
      }
    }
  }

  /// Records size and checksum of `relativePaths` under the shard directory.
  public static func describeOutputs(shardDirectory: String, relativePaths: [String]) throws -> [Output] {
    try relativePaths.sorted().map { rel in
      let p = shardDirectory + "/" + rel
      let attrs = try FileManager.default.attributesOfItem(atPath: p)
      return Output(path: rel, size: (attrs[.size] as? NSNumber)?.intValue ?? 0, checksum: try StableHash.ofFile(p).hex)
    }
  }
}

/// The state of one shard of a sharded apply, as `shardStates(runDirectory:shards:)` reports it.
public enum ShardState: String, Sendable {
  case done, pending, corrupt
}

/// The state of each of `shards` shards: done (manifest present and outputs verified),
/// pending (no manifest), corrupt (manifest unreadable, for another shard count, or outputs differ).
public func shardStates(runDirectory: String, shards: Int) -> [ShardState] {
  (0..<shards).map { i in
    guard FileManager.default.fileExists(atPath: ShardManifest.path(runDirectory: runDirectory, shard: i)) else { return .pending }
    guard let m = try? ShardManifest.load(runDirectory: runDirectory, shard: i), m.shards == shards,
      (try? m.verify(runDirectory: runDirectory)) != nil
    else { return .corrupt }
    return .done
  }
}
