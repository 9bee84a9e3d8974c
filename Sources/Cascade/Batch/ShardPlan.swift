import CascadeSupport
import EventData

/// `--shard i/N`.
public struct ShardSpec: Sendable, Equatable {
  public var index: Int
  public var count: Int

  /// Shard `index` of `count`; callers guarantee 0 ≤ `index` < `count` (``init(parsing:)`` checks
  /// user input).
  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Parses `i/N` with 0 ≤ i < N.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
      throw UserError("--shard: expected i/N with 0 ≤ i < N, found \"\(text)\"")
    }
    index = i
    count = n
  }
}

/// A contiguous row range of one input file.
public struct InputPiece: Sendable, Equatable {
  public var sampleIndex: Int
  public var file: String
  public var rows: Range<Int>
  public var fileRows: Int
}

/// Splits the inputs — every file of every sample, in config order — into N balanced, stable
/// parts: shard i takes global rows [i·T/N, (i+1)·T/N), so large files are cut by row ranges
/// and the same config always gives the same plan.
public enum ShardPlanner {
  /// The row ranges shard `shard` reads from `files` (every input file, in config order, with its
  /// row count); nil = unsharded, every file whole. The pieces of shards 0…N−1 cover every row
  /// exactly once; an empty file goes to exactly one shard (the one whose range holds its offset).
  public static func pieces(files: [(sampleIndex: Int, file: String, rows: Int)], shard: ShardSpec?) -> [InputPiece] {
    guard let shard else {
      return files.map { InputPiece(sampleIndex: $0.sampleIndex, file: $0.file, rows: 0..<$0.rows, fileRows: $0.rows) }
    }
    let total = files.reduce(0) { $0 + $1.rows }
    let lo = total * shard.index / shard.count
    let hi = total * (shard.index + 1) / shard.count
    var out: [InputPiece] = []
    var offset = 0
    for f in files {
      let a = max(lo, offset), b = min(hi, offset + f.rows)
      if a < b {
        out.append(InputPiece(sampleIndex: f.sampleIndex, file: f.file, rows: (a - offset)..<(b - offset), fileRows: f.rows))
      } else if f.rows == 0 {
        // Empty files belong to the shard whose range holds their offset (the last one at the end).
        let owner = offset < total ? (lo <= offset && offset < hi) : shard.index == shard.count - 1
        if owner { out.append(InputPiece(sampleIndex: f.sampleIndex, file: f.file, rows: 0..<0, fileRows: 0)) }
      }
      offset += f.rows
    }
    return out
  }
}
