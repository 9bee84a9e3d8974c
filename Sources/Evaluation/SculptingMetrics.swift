import Boosting
import Foundation

/// A weighted histogram of the fit observable on explicit bin edges. Values outside the edges
/// and NaN are left out (as the fit leaves them out); Σw² is kept for the uncertainties.
public struct ObservableHistogram: Sendable, Equatable {
  public var edges: [Double]
  public var sumW: [Double]
  public var sumW2: [Double]

  /// An empty histogram on `edges` (strictly increasing; `edges.count - 1` bins).
  public init(edges: [Double]) {
    self.edges = edges
    sumW = [Double](repeating: 0, count: max(0, edges.count - 1))
    sumW2 = sumW
  }

  /// The histogram of `values` with `weights` (one per value) on `edges`.
  public init(edges: [Double], values: [Double], weights: [Double]) {
    self.init(edges: edges)
    for i in values.indices { fill(values[i], weight: weights[i]) }
  }

  /// The bin holding `x` (lower edge inclusive, the last bin also holds the upper edge), or nil.
  public static func bin(of x: Double, edges: [Double]) -> Int? {
    ObservableBinning.bin(of: x, edges: edges)
  }

  /// Adds `weight` to the bin holding `x`; NaN and values outside the edges are dropped, as in
  /// the fit.
  public mutating func fill(_ x: Double, weight: Double) {
    guard let b = Self.bin(of: x, edges: edges) else { return }
    sumW[b] += weight
    sumW2[b] += weight * weight
  }

  public var total: Double { sumW.reduce(0, +) }

  /// The shape: bin contents divided by the total, negative bins (possible with signed weights)
  /// set to zero first. All zeros when nothing positive is left.
  public var shape: [Double] {
    let clipped = sumW.map { Swift.max(0, $0) }
    let t = clipped.reduce(0, +)
    return t > 0 ? clipped.map { $0 / t } : clipped
  }
}

/// The distances and flatness measures of the sculpting diagnostics.
public enum SculptingMetrics {
  /// Jensen–Shannon divergence of two normalised shapes, in bits (log base 2): 0 for identical
  /// shapes, 1 for disjoint ones. JSD = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2; bins where a
  /// shape is 0 contribute nothing to its KL term. NaN if either shape is all zeros.
  public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
    precondition(p.count == q.count, "jensenShannon: \(p.count) and \(q.count) bins")
    let sp = p.reduce(0, +), sq = q.reduce(0, +)
    guard sp > 0, sq > 0 else { return .nan }
    var d = 0.0
    for i in p.indices {
      let a = p[i] / sp, b = q[i] / sq, m = (a + b) / 2
      if a > 0 { d += 0.5 * a * log2(a / m) }
      if b > 0 { d += 0.5 * b * log2(b / m) }
    }
    return Swift.max(0, d)
  }

  /// χ²/ndf of two *independent* weighted histograms' shapes with their Σw² uncertainties:
  /// Σ (p_i − q_i)² / (Σw²_a,i / W_a² + Σw²_b,i / W_b²) over the bins with a non-zero
  /// uncertainty, ndf = those bins − 1 (the shapes share their normalisation). NaN without data.
  public static func chi2PerNDF(_ a: ObservableHistogram, _ b: ObservableHistogram) -> (chi2: Double, ndf: Int) {
    let wa = a.total, wb = b.total
    guard wa > 0, wb > 0, a.sumW.count == b.sumW.count else { return (.nan, 0) }
    var chi2 = 0.0, used = 0
    for i in a.sumW.indices {
      let v = a.sumW2[i] / (wa * wa) + b.sumW2[i] / (wb * wb)
      guard v > 0 else { continue }
      let d = a.sumW[i] / wa - b.sumW[i] / wb
      chi2 += d * d / v
      used += 1
    }
    return (chi2, Swift.max(0, used - 1))
  }

  /// The global background efficiencies at which `sde` compares the bins.
  public static let flatnessEfficiencies: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
  /// Number of equal-weight bins of the observable in which flatness is measured.
  public static let flatnessBins = 10

  /// hep_ml's bin-based SDE (standard deviation of efficiency) of a classifier on one sample:
  /// for each global efficiency ε, the cut passing a fraction ε of the sample's weight, the
  /// efficiency of that cut in every bin of the observable, and the weighted spread
  /// Σ_b w_b (ε_b − ε̄)² with w_b the bin's weight share and ε̄ = Σ w_b ε_b; SDE = the root
  /// of the mean over the ε. 0 when the score distribution is the same in every bin.
  /// `bin[i]` is the event's observable bin (nil = outside); negative weights are left out.
  public static func sde(
    scores: [Double], weights: [Double], bin: [Int?], bins: Int, efficiencies: [Double] = flatnessEfficiencies
  ) -> Double {
    var rows: [(score: Double, weight: Double, bin: Int)] = []
    for i in scores.indices where weights[i] > 0 && !scores[i].isNaN {
      if let b = bin[i] { rows.append((scores[i], weights[i], b)) }
    }
    guard !rows.isEmpty, bins > 0 else { return .nan }
    var binWeight = [Double](repeating: 0, count: bins)
    for r in rows { binWeight[r.bin] += r.weight }
    let total = binWeight.reduce(0, +)
    let share = binWeight.map { $0 / total }
    // Descending score, ties together: the cut for ε passes the whole tie that crosses ε.
    let order = rows.indices.sorted { rows[$0].score != rows[$1].score ? rows[$0].score > rows[$1].score : $0 < $1 }
    var sum = 0.0
    for eps in efficiencies {
      var passed = [Double](repeating: 0, count: bins)
      var cumulative = 0.0, k = 0
      while k < order.count, cumulative < eps * total {
        let s = rows[order[k]].score
        while k < order.count, rows[order[k]].score == s {
          cumulative += rows[order[k]].weight
          passed[rows[order[k]].bin] += rows[order[k]].weight
          k += 1
        }
      }
      let eff = (0..<bins).map { binWeight[$0] > 0 ? passed[$0] / binWeight[$0] : 0 }
      var mean = 0.0
      for b in 0..<bins { mean += share[b] * eff[b] }
      for b in 0..<bins { sum += share[b] * (eff[b] - mean) * (eff[b] - mean) }
    }
    return (sum / Double(efficiencies.count)).squareRoot()
  }
}
