import Foundation

/// What a caller asks for to keep the background's score flat in an observable (hep_ml's
/// BinFlatnessLossFunction idea): the observable's value per training row, the penalty's
/// strength λ and the number of equal-weight bins of the observable.
public struct FlatnessPenalty: Sendable, Equatable {
  /// One value per training row (NaN = no bin: the row gets no penalty).
  public var observable: [Float]
  /// λ: loss = logistic loss + λ × flatness penalty.
  public var strength: Double
  public var bins: Int

  /// A penalty on `observable` (one value per training row, NaN = unbinned) with strength λ =
  /// `strength` (0 turns it off) over `bins` equal-weight bins of the background.
  public init(observable: [Float], strength: Double, bins: Int = 20) {
    self.observable = observable
    self.strength = strength
    self.bins = bins
  }

  func subset(_ rows: [Int]) -> FlatnessPenalty {
    FlatnessPenalty(observable: rows.map { observable[$0] }, strength: strength, bins: bins)
  }
}

/// Bins of an observable for decorrelation and sculpting diagnostics.
public enum ObservableBinning {
  /// Edges of `count` bins holding equal shares of the positive weight of `values` (weighted
  /// quantiles: an edge sits at the first value above each crossing; the outer edges are the
  /// extreme values). Fewer bins when values repeat; empty
  /// when no value has positive weight.
  public static func quantileEdges(_ values: [Double], weights: [Double], count: Int) -> [Double] {
    var pairs: [(x: Double, w: Double)] = []
    for i in values.indices where weights[i] > 0 && values[i].isFinite { pairs.append((values[i], weights[i])) }
    guard count >= 1, !pairs.isEmpty else { return [] }
    pairs.sort { $0.x < $1.x }
    let lo = pairs[0].x, hi = pairs[pairs.count - 1].x
    let total = pairs.reduce(0) { $0 + $1.w }
    var edges = [lo]
    var cumulative = 0.0, next = 1, pending = false, previous = lo
    for p in pairs {
      // A quantile crossed at the previous value: the edge is the next larger value, so the
      // crossing value stays in the lower bin.
      if pending, p.x > previous {
        if p.x < hi { edges.append(p.x) }
        pending = false
      }
      cumulative += p.w
      while next < count, cumulative >= total * Double(next) / Double(count) {
        pending = true
        next += 1
      }
      previous = p.x
    }
    edges.append(hi)
    return edges
  }

  /// The bin holding `x` (lower edge inclusive, the last bin also holds the upper edge), or nil
  /// outside the edges or for NaN.
  public static func bin(of x: Double, edges: [Double]) -> Int? {
    guard edges.count >= 2, x >= edges[0], x <= edges[edges.count - 1] else { return nil }
    var lo = 0, hi = edges.count - 1
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if edges[mid] <= x { lo = mid } else { hi = mid }
    }
    return Swift.min(lo, edges.count - 2)
  }
}

/// The flatness part of the gradient-boosting loss, prepared for one training: the background
/// fit rows, their bin of the observable (equal training-weight bins) and their weights.
///
/// Per tree, every background row i in bin b gets g_i += λ · w_i · 2 (F(s_i) − F_b(s_i)), where
/// F is the weighted CDF of the background's margins (mid-rank, ties share one position) over
/// all bins and F_b over bin b: rows of a bin whose scores sit high relative to the global
/// distribution are pushed down and vice versa, driving each bin's score distribution to the
/// global one (hep_ml's BinFlatnessLossFunction gradient with power 2). The hessian stays the
/// logistic one. Serial and in row order: identical for any thread count.
struct FlatnessLoss {
  let rows: [Int]
  let bin: [Int]
  let weight: [Double]
  let bins: Int
  let strength: Double

  /// `rowOf[k]` is the original row of prepared row k; `fitRows` the prepared fit rows.
  init?(_ penalty: FlatnessPenalty, rowOf: [Int], label: [Float], weight: [Double], fitRows: [UInt32]) {
    guard penalty.strength > 0 else { return nil }
    var rows: [Int] = [], x: [Double] = [], w: [Double] = []
    for r in fitRows where label[Int(r)] == 0 {
      let v = Double(penalty.observable[rowOf[Int(r)]])
      guard v.isFinite else { continue }
      rows.append(Int(r)); x.append(v); w.append(weight[Int(r)])
    }
    let edges = ObservableBinning.quantileEdges(x, weights: w, count: Swift.max(1, penalty.bins))
    guard edges.count >= 2 else { return nil }
    self.rows = rows
    bin = x.map { ObservableBinning.bin(of: $0, edges: edges) ?? 0 }
    self.weight = w
    bins = edges.count - 1
    strength = penalty.strength
  }

  /// Mid-rank weighted CDF positions of `margin` at `members` (indices into `rows`).
  func positions(_ members: [Int], margin: [Double], into out: inout [Double]) {
    let order = members.sorted { a, b in
      let ma = margin[rows[a]], mb = margin[rows[b]]
      return ma != mb ? ma < mb : a < b
    }
    var total = 0.0
    for m in members { total += Swift.max(0, weight[m]) }
    guard total > 0 else { return }
    var below = 0.0, k = 0
    while k < order.count {
      let v = margin[rows[order[k]]]
      var end = k, tie = 0.0
      while end < order.count, margin[rows[order[end]]] == v { tie += Swift.max(0, weight[order[end]]); end += 1 }
      let position = (below + tie / 2) / total
      for j in k..<end { out[order[j]] = position }
      below += tie
      k = end
    }
  }

  /// Adds the penalty's gradient to `g` (prepared-row indexed).
  func addGradients(margin: [Double], g: inout [Float]) {
    var global = [Double](repeating: 0.5, count: rows.count), local = global
    positions(Array(rows.indices), margin: margin, into: &global)
    var members = [[Int]](repeating: [], count: bins)
    for i in rows.indices { members[bin[i]].append(i) }
    for m in members where !m.isEmpty { positions(m, margin: margin, into: &local) }
    for i in rows.indices {
      g[rows[i]] += Float(strength * weight[i] * 2 * (global[i] - local[i]))
    }
  }
}
