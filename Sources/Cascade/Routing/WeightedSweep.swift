/// The one weighted score sweep: events sorted by descending score, their weights accumulated
/// per class, one step per distinct score (tied events pass or fail a threshold together).
///
/// Step `i` holds, for each class, the summed weight of the events scoring `>= thresholds[i]`.
/// ROC curves, working-point solving (signal/background efficiency, maximal s/√b) and the
/// working-point scans all read their numbers from a sweep, so the tie and ordering rules that
/// decide every last bit of their sums are written once:
/// - NaN scores and events whose class is outside `0..<classCount` are left out;
/// - ties are ordered by event index, ascending, and summed in that order;
/// - a step is recorded only where at least one counted event has that score.
///
/// ```swift
/// let sweep = WeightedSweep(scores: [0.9, 0.2, 0.9, 0.5], weights: [1, 1, 2, 1],
///                           classes: [1, 0, 0, 1], classCount: 2)
/// sweep.thresholds                      // [0.9, 0.5, 0.2]
/// sweep.passing(class: 1, threshold: 0.5)  // 2.0 (events 0 and 3)
/// ```
public struct WeightedSweep: Sendable {
  public let classCount: Int
  /// Distinct scores, descending.
  public private(set) var thresholds: [Double] = []
  /// cumulative[step * classCount + class].
  private var cumulative: [Double] = []

  /// Sweeps the events in `order` (indices into `scores`; default: `descendingOrder(scores)`).
  /// `classes == nil` puts every event in class 0.
  public init(scores: [Double], weights: [Double], classes: [Int8]? = nil, classCount: Int = 1, order: [Int32]? = nil) {
    precondition(weights.count == scores.count && (classes?.count ?? scores.count) == scores.count)
    self.classCount = classCount
    let order = order ?? Self.descendingOrder(scores)
    var running = [Double](repeating: 0, count: classCount)
    let noClasses = [Int8](repeating: 0, count: classes == nil ? scores.count : 0)
    var steps: [Double] = [], sums: [Double] = []
    steps.reserveCapacity(order.count)
    scores.withUnsafeBufferPointer { sc in
      weights.withUnsafeBufferPointer { w in
        (classes ?? noClasses).withUnsafeBufferPointer { cl in
          order.withUnsafeBufferPointer { ord in
            running.withUnsafeMutableBufferPointer { run in
              var i = 0
              let n = ord.count
              while i < n {
                let t = sc[Int(ord[i])]
                var any = false
                while i < n, sc[Int(ord[i])] == t {
                  let e = Int(ord[i])
                  let c = Int(cl[e])
                  if c >= 0 && c < classCount {
                    run[c] += w[e]
                    any = true
                  }
                  i &+= 1
                }
                if any {
                  steps.append(t)
                  sums.append(contentsOf: run)
                }
              }
            }
          }
        }
      }
    }
    thresholds = steps
    cumulative = sums
  }

  /// Event indices ordered by descending score, ties by ascending index, NaN scores left out.
  /// Sort once and pass it as `order` to several sweeps over the same scores.
  public static func descendingOrder(_ scores: [Double]) -> [Int32] {
    // A stable LSD radix sort on keys that order like the scores, descending (−0 and +0 one
    // key): entered in index order, ties leave in index order. Byte positions where every key
    // agrees (most high bytes of scores in [0, 1]) cost no pass.
    var keys: [UInt64] = [], order: [Int32] = []
    keys.reserveCapacity(scores.count)
    order.reserveCapacity(scores.count)
    for i in scores.indices where !scores[i].isNaN {
      let x = scores[i] == 0 ? 0.0 : scores[i]
      let u = x.bitPattern
      let ascending = u & (1 << 63) != 0 ? ~u : u | (1 << 63)
      keys.append(~ascending)
      order.append(Int32(truncatingIfNeeded: i))
    }
    let n = keys.count
    guard n > 1 else { return order }
    var counts = [Int](repeating: 0, count: 8 * 256)
    for k in keys { for d in 0..<8 { counts[d &* 256 &+ Int((k >> (8 &* UInt64(d))) & 0xff)] &+= 1 } }
    var keys2 = [UInt64](repeating: 0, count: n), order2 = [Int32](repeating: 0, count: n)
    for d in 0..<8 {
      let base = d * 256
      if counts[base..<(base + 256)].contains(n) { continue }
      var start = [Int](repeating: 0, count: 256)
      var sum = 0
      for b in 0..<256 { start[b] = sum; sum &+= counts[base &+ b] }
      let shift = 8 &* UInt64(d)
      keys.withUnsafeBufferPointer { k in
        order.withUnsafeBufferPointer { o in
          keys2.withUnsafeMutableBufferPointer { k2 in
            order2.withUnsafeMutableBufferPointer { o2 in
              for i in 0..<n {
                let b = Int((k[i] >> shift) & 0xff)
                k2[start[b]] = k[i]
                o2[start[b]] = o[i]
                start[b] &+= 1
              }
            }
          }
        }
      }
      swap(&keys, &keys2)
      swap(&order, &order2)
    }
    return order
  }

  /// Number of steps (distinct scores).
  public var count: Int { thresholds.count }

  /// Summed weight of `class` over the events scoring `>= thresholds[step]`.
  @inlinable
  public func passing(class c: Int, atStep step: Int) -> Double {
    cumulativeValue(step &* classCount &+ c)
  }

  /// Summed weight of `class` over the events scoring `>= threshold` (0 if none does).
  public func passing(class c: Int, threshold: Double) -> Double {
    // Steps are descending: find the last one whose threshold is still >= `threshold`.
    var lo = 0, hi = thresholds.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if thresholds[mid] >= threshold { lo = mid + 1 } else { hi = mid }
    }
    return lo == 0 ? 0 : passing(class: c, atStep: lo - 1)
  }

  /// Total weight of `class` (the last step), 0 for an empty sweep.
  public func total(class c: Int) -> Double {
    thresholds.isEmpty ? 0 : passing(class: c, atStep: thresholds.count - 1)
  }

  @usableFromInline
  func cumulativeValue(_ i: Int) -> Double { cumulative[i] }
}
