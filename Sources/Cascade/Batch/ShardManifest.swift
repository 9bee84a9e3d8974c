import CascadeSupport
import Foundation

/// `shards/<i>/manifest.json`: written last and atomically by `cascade apply --shard i/N`, so a
/// shard directory without it (or whose outputs no longer match it) is never merged.
public struct ShardManifest: Sendable, Equatable {
  public struct Output: Sendable, Equatable {
    /// Relative to the shard directory.
    public var path: String
    public var size: Int
    public var checksum: String
  }
  public struct Input: Sendable, Equatable {
    public var sample: String
    public var file: String
    public var rows: Range<Int>
  }

  public var shard: Int
  public var shards: Int
  /// Checksum of the config file the shard was produced with.
  public var configChecksum: String
  public var inputs: [Input]
  public var outputs: [Output]
  public var version: String = CascadeVersion.string

  public init(shard: Int, shards: Int, configChecksum: String, inputs: [Input], outputs: [Output]) {
    self.shard = shard
    self.shards = shards
    self.configChecksum = configChecksum
    self.inputs = inputs
    self.outputs = outputs
  }

  public static func directory(runDirectory: String, shard: Int) -> String { "\(runDirectory)/shards/\(shard)" }
  public static func path(runDirectory: String, shard: Int) -> String { directory(runDirectory: runDirectory, shard: shard) + "/manifest.json" }

  public var jsonValue: JSONValue {
    .object(JSONObject([
      ("shard", JSONValue(shard)), ("shards", JSONValue(shards)),
      ("config_checksum", JSONValue(configChecksum)), ("version", JSONValue(version)),
      ("inputs", .array(inputs.map { .object(JSONObject([
        ("sample", JSONValue($0.sample)), ("file", JSONValue($0.file)),
        ("rows", .array([JSONValue($0.rows.lowerBound), JSONValue($0.rows.upperBound)])),
      ])) })),
      ("outputs", .array(outputs.map { .object(JSONObject([
        ("path", JSONValue($0.path)), ("size", JSONValue($0.size)), ("checksum", JSONValue($0.checksum)),
      ])) })),
    ]))
  }

  public static func load(runDirectory: String, shard: Int) throws -> ShardManifest {
    let path = path(runDirectory: runDirectory, shard: shard)
    guard FileManager.default.fileExists(atPath: path) else { throw UserError("shard \(shard): \(path) is missing (shard not complete)") }
    let root = try JSONCursor(JSONValue.load(path: path), source: path)
      .object(allowed: ["shard", "shards", "config_checksum", "version", "inputs", "outputs"])
    var m = ShardManifest(
      shard: try root.required("shard").int(), shards: try root.required("shards").int(),
      configChecksum: try root.required("config_checksum").string(), inputs: [], outputs: [])
    m.version = try root.required("version").string()
    for c in try root.required("inputs").array() {
      let o = try c.object(allowed: ["sample", "file", "rows"])
      let rows = try o.required("rows").array().map { try $0.int() }
      guard rows.count == 2, rows[0] <= rows[1] else { throw o.error("rows must be [first, end]") }
      m.inputs.append(Input(sample: try o.required("sample").string(), file: try o.required("file").string(), rows: rows[0]..<rows[1]))
    }
    for c in try root.required("outputs").array() {
      let o = try c.object(allowed: ["path", "size", "checksum"])
      m.outputs.append(Output(path: try o.required("path").string(), size: try o.required("size").int(), checksum: try o.required("checksum").string()))
    }
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
