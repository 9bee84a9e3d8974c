import CascadeSupport

/// Fold assignment for k-fold cross-training: the same rule in every shard and every run.
public enum Folds {
  /// `event_number mod k`, made non-negative.
  public static func assign(eventNumbers: [Int64], k: Int) -> [Int] {
    precondition(k >= 1)
    let kk = Int64(k)
    return eventNumbers.map { Int((($0 % kk) + kk) % kk) }
  }

  /// A stable hash of (file base name, row index) mod k, for rows `firstRow ..< firstRow + count`.
  /// The base name (not the path) keeps folds unchanged when a sample directory moves.
  public static func assign(fileName: String, firstRow: Int, count: Int, k: Int) -> [Int] {
    precondition(k >= 1)
    let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
    var prefix = StableHash()
    prefix.combine(base)
    prefix.combine(bytes: [0])
    return (0..<count).map { i in
      var h = prefix
      h.combine(UInt64(firstRow + i))
      return Int(h.value % UInt64(k))
    }
  }
}
