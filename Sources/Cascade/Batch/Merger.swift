import CascadeSupport
import EventData
import Foundation

/// `cascade merge RUN_DIR`: joins the shards of a sharded apply into `scores/` and `regions/`.
/// Every output path is the concatenation, in shard order, of that path's pieces; rows are
/// re-blocked exactly as `apply` blocks them, so the result is byte-identical to an unsharded run.
public enum Merger {
  /// The number of shards merged and the merged output paths (relative to the run directory, sorted).
  public struct Summary: Sendable {
    public var shards: Int
    public var outputs: [String]
  }

  /// Shard indices present under `shards/` (directory names that are integers).
  static func shardDirectories(_ runDirectory: String) throws -> [Int] {
    let dir = runDirectory + "/shards"
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
      throw UserError("\(dir): no shards to merge")
    }
    return names.compactMap { Int($0) }.sorted()
  }

  /// Checks every shard is present once and complete; returns their manifests in order.
  public static func verifiedManifests(runDirectory: String) throws -> [ShardManifest] {
    let present = try shardDirectories(runDirectory)
    guard let first = present.first else { throw UserError("\(runDirectory)/shards: no shards to merge") }
    let m0 = try ShardManifest.load(runDirectory: runDirectory, shard: first)
    let n = m0.shards
    for i in 0..<n where !present.contains(i) { throw UserError("shard \(i) of \(n) is missing (\(runDirectory)/shards/\(i))") }
    if let extra = present.first(where: { $0 >= n }) { throw UserError("shard \(extra) is not part of a \(n)-shard run (\(runDirectory)/shards/\(extra))") }
    var manifests: [ShardManifest] = []
    for i in 0..<n {
      let m = try ShardManifest.load(runDirectory: runDirectory, shard: i)
      guard m.shards == n else { throw UserError("shard \(i): manifest says \(m.shards) shards, shard \(first) says \(n)") }
      guard m.configChecksum == m0.configChecksum else { throw UserError("shard \(i): produced with a different config than shard \(first)") }
      try m.verify(runDirectory: runDirectory)
      manifests.append(m)
    }
    // Each input row must be covered exactly once across shards.
    var seen: [String: [Range<Int>]] = [:]
    for m in manifests {
      for inp in m.inputs {
        let key = inp.sample + "\u{0}" + inp.file
        if let other = seen[key]?.first(where: { $0.overlaps(inp.rows) }) {
          throw UserError("shard \(m.shard): rows \(inp.rows) of \(inp.file) duplicate rows \(other) of another shard")
        }
        seen[key, default: []].append(inp.rows)
      }
    }
    return manifests
  }

  /// Verifies every shard (`verifiedManifests`), concatenates the pieces of each output in `blockRows`-row
  /// blocks, atomically replaces the run's output directories and records `merge` in the manifest.
  /// Throws `UserError` for a missing, incomplete, corrupt or inconsistent shard.
  public static func merge(runDirectory: String, blockRows: Int = 65_536, progress: (String) -> Void = { _ in }) throws -> Summary {
    let manifests = try verifiedManifests(runDirectory: runDirectory)
    var paths: [String] = []
    var pieces: [String: [String]] = [:]
    for m in manifests {
      for o in m.outputs {
        if pieces[o.path] == nil { paths.append(o.path) }
        pieces[o.path, default: []].append(ShardManifest.directory(runDirectory: runDirectory, shard: m.shard) + "/" + o.path)
      }
    }
    paths.sort()
    // Variation outputs (systematics/) are merged exactly like scores and regions.
    let names = ["scores", "regions"] + (paths.contains { $0.hasPrefix(OutputLayout.systematicsDirectory + "/") } ? [OutputLayout.systematicsDirectory] : [])
    try AtomicFile.replaceDirectories(in: runDirectory, names: names) { staging in
      for rel in paths {
        let parts = pieces[rel]!
        progress("merge \(rel) (\(parts.count) piece\(parts.count == 1 ? "" : "s"))")
        let first = try openEventFile(parts[0])
        let attrs = try readEventFileAttributes(parts[0])
        let writer = try AlignedWriter(path: staging + "/" + rel, schema: first.schema, options: OutputLayout.writeOptions(attributes: attrs))
        for p in parts {
          let r = try openEventFile(p)
          guard r.schema.map(\.name) == first.schema.map(\.name), r.schema.map(\.dtype) == first.schema.map(\.dtype) else {
            throw UserError("\(p): columns differ from \(parts[0])")
          }
          for block in r.blockRanges(of: blockRows) { try writer.append(try r.read(columns: nil, rows: block)) }
        }
        try writer.finish()
      }
    }
    try RunDirectory(runDirectory).updateManifest { $0.merge = RunManifest.MergeRecord(shards: manifests.count, outputs: paths.count) }
    return Summary(shards: manifests.count, outputs: paths)
  }
}
