import Cascade

/// Pure operations on a variation's histograms (Σw per bin), applied in this order before the
/// modifiers are built: symmetrisation, smoothing, the normalisation/shape split, pruning.
public enum TemplateOperations {
  /// Completes or symmetrises the sides. One-sided: down = 2·nominal − up, bin by bin (the up
  /// side mirrored). Two-sided: up/down = nominal ± (up − down)/2. None: unchanged (a missing
  /// down stays missing).
  public static func symmetrize(
    nominal: [Double], up: [Double], down: [Double]?, mode: SystematicConfig.Symmetrization
  ) -> (up: [Double], down: [Double]?) {
    switch mode {
    case .none:
      return (up, down)
    case .oneSided:
      return (up, zip(nominal, up).map { 2 * $0 - $1 })
    case .twoSided:
      guard let down else { return (up, zip(nominal, up).map { 2 * $0 - $1 }) }
      let half = zip(up, down).map { ($0 - $1) / 2 }
      return (zip(nominal, half).map { $0 + $1 }, zip(nominal, half).map { $0 - $1 })
    }
  }

  /// Smooths a varied histogram through its ratio to the nominal: r = varied / nominal (1 where
  /// the nominal bin is ≤ 0), r smoothed by `smooth353QHTwice`, varied' = r'·nominal. Fewer than
  /// three bins are returned unchanged (as ROOT does).
  public static func smoothRatio(nominal: [Double], varied: [Double]) -> [Double] {
    guard nominal.count >= 3 else { return varied }
    let ratio = zip(nominal, varied).map { n, v in n > 0 ? v / n : 1 }
    return zip(nominal, smooth353QHTwice(ratio)).map { $0 * $1 }
  }

  /// ROOT's `TH1::SmoothArray` with ntimes = 1 (what `TH1::Smooth()` does): the "353QH, twice"
  /// smoother of J. Friedman (CERN 77-09, p. 292) — running medians of 3, 5 and 3, quadratic
  /// interpolation of flat three-point segments, a 1/4–1/2–1/4 running mean ("hanning"); then the
  /// same on the residuals, added back. A non-negative input stays non-negative.
  public static func smooth353QHTwice(_ x: [Double]) -> [Double] {
    let n = x.count
    guard n >= 3 else { return x }
    var z = x
    var rough = [Double](repeating: 0, count: n)
    for pass in 0..<2 {
      z = hanning(quadraticFlats(medians353(z)))
      if pass == 0 {
        rough = z
        for i in 0..<n { z[i] = x[i] - z[i] }
      }
    }
    let nonNegative = (x.min() ?? 0) >= 0
    return (0..<n).map { nonNegative ? max(rough[$0] + z[$0], 0) : rough[$0] + z[$0] }
  }

  static func median3(_ a: Double, _ b: Double, _ c: Double) -> Double {
    max(min(a, b), min(max(a, b), c))
  }

  /// Running medians 3, 5, 3 with ROOT's end rules.
  static func medians353(_ input: [Double]) -> [Double] {
    let n = input.count
    var z = input
    for k in 0..<3 {
      let y = z
      if k == 1 {
        if n >= 5 {
          for i in 2..<(n - 2) { z[i] = Array(y[(i - 2)...(i + 2)]).sorted()[2] }
        }
        z[1] = median3(y[0], y[1], y[2])
        z[n - 2] = median3(y[n - 3], y[n - 2], y[n - 1])
      } else {
        for i in 1..<(n - 1) { z[i] = median3(y[i - 1], y[i], y[i + 1]) }
        if k == 0 {
          // End points: median of the point, its neighbour and the neighbour's linear extrapolation.
          z[0] = median3(z[1], z[0], 3 * z[1] - 2 * z[2])
          z[n - 1] = median3(z[n - 2], z[n - 1], 3 * z[n - 2] - 2 * z[n - 3])
        }
      }
    }
    return z
  }

  /// Replaces a flat three-point run that is a local extremum plateau by a quadratic through it.
  static func quadraticFlats(_ z: [Double]) -> [Double] {
    let n = z.count
    var y = z
    guard n >= 5 else { return y }
    for i in 2..<(n - 2) {
      guard z[i - 1] == z[i], z[i] == z[i + 1] else { continue }
      let left = z[i - 2] - z[i], right = z[i + 2] - z[i]
      guard left * right > 0 else { continue }
      let j = abs(right) > abs(left) ? -1 : 1
      y[i] = -0.5 * z[i - 2 * j] + z[i] / 0.75 + z[i + 2 * j] / 6
      y[i + j] = 0.5 * (z[i + 2 * j] - z[i - 2 * j]) + z[i]
    }
    return y
  }

  static func hanning(_ y: [Double]) -> [Double] {
    let n = y.count
    var z = y
    for i in 1..<(n - 1) { z[i] = 0.25 * y[i - 1] + 0.5 * y[i] + 0.25 * y[i + 1] }
    return z
  }

  /// A variation split into a yield factor (normsys) and a shape at the nominal normalisation
  /// (histosys). A side with Σ ≤ 0 gets the factor `minimumFactor`; shape bins ≤ 0 are set to
  /// `minimumBin`, so the likelihood never sees a zero or negative expectation at ±1σ.
  public struct NormShape: Sendable, Equatable {
    public var hi: Double
    public var lo: Double
    public var hiData: [Double]
    public var loData: [Double]
  }

  public static let minimumFactor = 1e-6

  /// Splits up/down into normsys factors (Σ side / Σ nominal) and shapes at the nominal
  /// normalisation; nil when the nominal total is ≤ 0.
  public static func splitNormShape(nominal: [Double], up: [Double], down: [Double], minimumBin: Double) -> NormShape? {
    let total = nominal.reduce(0, +)
    guard total > 0 else { return nil }
    func side(_ v: [Double]) -> (Double, [Double]) {
      let sum = v.reduce(0, +)
      let factor = max(sum / total, minimumFactor)
      let shape = sum > 0 ? v.map { max($0 * total / sum, minimumBin) } : nominal.map { max($0, minimumBin) }
      return (factor, shape)
    }
    let (hi, hiData) = side(up), (lo, loData) = side(down)
    return NormShape(hi: hi, lo: lo, hiData: hiData, loData: loData)
  }

  /// The size pruning compares with its threshold: max(|hi − 1|, |lo − 1|) for a normsys.
  public static func normEffect(_ s: NormShape) -> Double { max(abs(s.hi - 1), abs(s.lo - 1)) }

  /// The largest relative bin deviation of either shape side from the nominal (bins with a
  /// positive nominal).
  public static func shapeEffect(_ s: NormShape, nominal: [Double]) -> Double {
    var m = 0.0
    for b in nominal.indices where nominal[b] > 0 {
      m = max(m, abs(s.hiData[b] - nominal[b]) / nominal[b], abs(s.loData[b] - nominal[b]) / nominal[b])
    }
    return m
  }
}
