import Foundation

/// A weighted 1-D histogram with equal-width bins; values outside the range go to the edge bins
/// (as TMVA's overtraining plot shows them), NaN values are left out.
public struct Histogram: Sendable, Equatable {
  public var lower: Double
  public var upper: Double
  /// Σw per bin.
  public var sumW: [Double]
  /// Σw² per bin: the bin's statistical uncertainty is its square root.
  public var sumW2: [Double]

  /// An empty histogram of `bins` equal-width bins (at least 1) over `range`.
  public init(bins: Int, range: ClosedRange<Double>) {
    lower = range.lowerBound
    upper = range.upperBound
    sumW = [Double](repeating: 0, count: max(1, bins))
    sumW2 = sumW
  }

  /// The histogram of `values` with `weights` (one per value); out-of-range values go to the edge
  /// bins, NaN values are dropped.
  public init(values: [Double], weights: [Double], bins: Int, range: ClosedRange<Double>) {
    self.init(bins: bins, range: range)
    for i in values.indices { fill(values[i], weight: weights[i]) }
  }

  public var bins: Int { sumW.count }
  public var edges: [Double] { (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) } }

  /// Adds `weight` (and `weight²`) to the bin holding `x`: below `lower` the first bin, at or above
  /// `upper` the last, NaN nowhere.
  public mutating func fill(_ x: Double, weight: Double) {
    guard !x.isNaN else { return }
    let f = (x - lower) / (upper - lower) * Double(bins)
    let b = f.isFinite ? min(bins - 1, max(0, Int(f.rounded(.down)))) : (x > lower ? bins - 1 : 0)
    sumW[b] += weight
    sumW2[b] += weight * weight
  }

  public var total: Double { sumW.reduce(0, +) }

  /// Contents and errors scaled to unit area (density per unit of x), as TMVA draws them.
  /// Zeros if the total is not positive.
  public func normalizedDensity() -> (values: [Double], errors: [Double]) {
    let t = total
    let width = (upper - lower) / Double(bins)
    guard t > 0, width > 0 else { return ([Double](repeating: 0, count: bins), [Double](repeating: 0, count: bins)) }
    return (sumW.map { $0 / (t * width) }, sumW2.map { $0.squareRoot() / (t * width) })
  }
}

/// The scalar statistics of the efficiency table: TMVA's separation and significance, and the
/// two-sample Kolmogorov–Smirnov test used for the overtraining check and sculpting.
public enum Statistics {
  /// TMVA's separation ⟨s²⟩ = ½ ∫ (S − B)² / (S + B) on histograms of the two score distributions,
  /// each normalised to unit area; 0 for identical shapes, 1 for disjoint ones. Bins where
  /// S + B ≤ 0 (possible with negative weights) are left out. NaN if a total is not positive.
  public static func separation(signal: Histogram, background: Histogram) -> Double {
    let ts = signal.total, tb = background.total
    guard ts > 0, tb > 0, signal.bins == background.bins else { return .nan }
    var sum = 0.0
    for i in 0..<signal.bins {
      let s = signal.sumW[i] / ts, b = background.sumW[i] / tb
      if s + b > 0 { sum += (s - b) * (s - b) / (s + b) }
    }
    return 0.5 * sum
  }

  /// Weighted mean and variance (Σw(x−μ)²/Σw); NaN values are left out.
  public static func meanAndVariance(_ x: [Double], weights: [Double]) -> (mean: Double, variance: Double) {
    var sw = 0.0, swx = 0.0
    for i in x.indices where !x[i].isNaN { sw += weights[i]; swx += weights[i] * x[i] }
    guard sw > 0 else { return (.nan, .nan) }
    let mean = swx / sw
    var swd = 0.0
    for i in x.indices where !x[i].isNaN { swd += weights[i] * (x[i] - mean) * (x[i] - mean) }
    return (mean, swd / sw)
  }

  /// TMVA's "significance" of a classifier output: |⟨S⟩ − ⟨B⟩| / √(σ_S² + σ_B²).
  public static func significance(
    signal: [Double], signalWeights: [Double], background: [Double], backgroundWeights: [Double]
  ) -> Double {
    let s = meanAndVariance(signal, weights: signalWeights)
    let b = meanAndVariance(background, weights: backgroundWeights)
    let v = s.variance + b.variance
    guard v > 0 else { return .nan }
    return abs(s.mean - b.mean) / v.squareRoot()
  }

  /// Kolmogorov's limiting distribution: P(K > z) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²z²}
  /// (ROOT's TMath::KolmogorovProb, scipy.stats.kstwobign.sf), to double precision.
  public static func kolmogorovSurvival(_ z: Double) -> Double {
    guard z > 0 else { return 1 }
    if z < 1 {
      // Jacobi form of the CDF converges fast for small z: √(2π)/z Σ e^{−(2k−1)²π²/(8z²)}.
      var cdf = 0.0
      let c = -Double.pi * Double.pi / (8 * z * z)
      for k in 1...50 {
        let m = Double(2 * k - 1)
        let term = exp(c * m * m)
        cdf += term
        if term < 1e-300 || term < cdf * 1e-18 { break }
      }
      return max(0, 1 - (2 * Double.pi).squareRoot() / z * cdf)
    }
    var sum = 0.0
    for k in 1...100 {
      let kk = Double(k)
      let term = exp(-2 * kk * kk * z * z)
      sum += (k % 2 == 1 ? term : -term)
      if term < 1e-300 || term < abs(sum) * 1e-18 { break }
    }
    return min(1, max(0, 2 * sum))
  }

  /// Two-sample Kolmogorov–Smirnov test with weights.
  /// D = sup |F₁ − F₂| over the weighted empirical CDFs (ties in either sample step together);
  /// p = P(K > D √(n₁n₂/(n₁+n₂))) with the effective sizes n = (Σw)²/Σw², as ROOT's
  /// TH1::KolmogorovTest does. With unit weights D equals scipy.stats.ks_2samp's statistic.
  /// NaN values are left out.
  public static func kolmogorovSmirnov(
    _ a: [Double], weights wa: [Double], _ b: [Double], weights wb: [Double]
  ) -> (statistic: Double, pValue: Double) {
    func descending(_ x: [Double], _ w: [Double]) -> (x: [Double], w: [Double]) {
      var pairs = [(Double, Double)]()
      pairs.reserveCapacity(x.count)
      for i in x.indices where !x[i].isNaN { pairs.append((x[i], w[i])) }
      // Tied values are consumed together, so the order within a tie does not matter.
      pairs.sort { $0.0 > $1.0 }
      return (pairs.map { $0.0 }, pairs.map { $0.1 })
    }
    let s1 = descending(a, wa), s2 = descending(b, wb)
    return kolmogorovSmirnov(descending: s1.x, weights: s1.w, descending: s2.x, weights: s2.w)
  }

  /// The KS test on samples already sorted by descending value (no NaN). Walking down from the
  /// top, the weight at or above each value is 1 − F just below it, so the largest gap between
  /// the two samples is the same D as from below.
  public static func kolmogorovSmirnov(
    descending x1: [Double], weights w1: [Double], descending x2: [Double], weights w2: [Double]
  ) -> (statistic: Double, pValue: Double) {
    var t1 = 0.0, q1 = 0.0, t2 = 0.0, q2 = 0.0
    for w in w1 { t1 += w; q1 += w * w }
    for w in w2 { t2 += w; q2 += w * w }
    guard t1 > 0, t2 > 0 else { return (.nan, .nan) }
    var i = 0, j = 0, c1 = 0.0, c2 = 0.0, d = 0.0
    let n1 = x1.count, n2 = x2.count
    while i < n1 || j < n2 {
      let v = max(i < n1 ? x1[i] : -.infinity, j < n2 ? x2[j] : -.infinity)
      while i < n1, x1[i] == v { c1 += w1[i]; i += 1 }
      while j < n2, x2[j] == v { c2 += w2[j]; j += 1 }
      d = max(d, abs(c1 / t1 - c2 / t2))
    }
    // Both reach 1 at the bottom: a gap there is rounding only.
    let e1 = t1 * t1 / q1, e2 = t2 * t2 / q2
    let z = d * (e1 * e2 / (e1 + e2)).squareRoot()
    return (d, kolmogorovSurvival(z))
  }
}
