import Dispatch

/// Fixed-block parallelism. Work is cut into blocks whose boundaries depend only on the
/// problem size, never on the thread count, and partial results are combined in block order:
/// the same inputs give bit-identical results with 1 or N threads.
///
/// ```swift
/// let sums = ParallelBlocks.map(count: n, blockSize: 65_536, threads: 0) { range in
///   range.reduce(0.0) { $0 + x[$1] }
/// }
/// let total = sums.reduce(0, +)   // block order: deterministic
/// ```
public enum ParallelBlocks {
  /// Number of worker threads for `requested` (0 = all cores).
  public static func threadCount(_ requested: Int) -> Int {
    requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
  }

  /// `0..<count` cut into consecutive ranges of `blockSize` (the last one shorter). The cuts depend
  /// only on the two sizes, which is what makes block-ordered reductions thread-count independent.
  /// A `blockSize` below 1 is treated as 1; `count <= 0` gives no blocks.
  ///
  /// ```swift
  /// ParallelBlocks.blockRanges(count: 10, blockSize: 4)  // [0..<4, 4..<8, 8..<10]
  /// ```
  public static func blockRanges(count: Int, blockSize: Int) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let bs = max(1, blockSize)
    return stride(from: 0, to: count, by: bs).map { $0..<min(count, $0 + bs) }
  }

  /// Runs `body` over every block and returns the per-block results in block order.
  public static func map<T>(count: Int, blockSize: Int, threads: Int, _ body: (Range<Int>) -> T) -> [T] {
    let ranges = blockRanges(count: count, blockSize: blockSize)
    let nt = min(threadCount(threads), ranges.count)
    if nt <= 1 { return ranges.map(body) }
    var results = [T?](repeating: nil, count: ranges.count)
    results.withUnsafeMutableBufferPointer { out in
      let outPtr = out
      // Worker w takes blocks w, w+nt, …: which thread computes a block never changes its value.
      DispatchQueue.concurrentPerform(iterations: nt) { w in
        var b = w
        while b < ranges.count {
          outPtr[b] = body(ranges[b])
          b += nt
        }
      }
    }
    return results.map { $0! }
  }

  /// Runs `body` over every block for its side effects (disjoint writes).
  public static func forEach(count: Int, blockSize: Int, threads: Int, _ body: (Range<Int>) -> Void) {
    _ = map(count: count, blockSize: blockSize, threads: threads) { body($0) }
  }
}

import Foundation
