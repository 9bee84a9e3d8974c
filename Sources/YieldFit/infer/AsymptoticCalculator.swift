import CascadeSupport
import Foundation

/// The result of one asymptotic hypothesis test.
public struct HypotestResult: Sendable, Equatable {
  public var mu: Double
  public var testStatistic: TestStatistic
  /// Observed test statistic q (q_μ, q̃_μ or q₀).
  public var q: Double
  /// The same statistic on the Asimov dataset (q_μ,A).
  public var qAsimov: Double
  /// CLs observed; for q₀ the observed p-value p₀ (pyhf's convention).
  public var clsObserved: Double
  /// Expected CLs (p₀ for q₀) for the background-only band at n = 2, 1, 0, −1, −2 σ (pyhf's order).
  public var clsExpected: [Double]
  public var clsb: Double
  public var clb: Double
}

/// Asymptotic formulae (arXiv:1007.1727) with pyhf's conventions: the Asimov dataset is the
/// expectation at the nuisance parameters fitted to the data with μ = 0 (μ = 1 for q₀), test
/// statistics in √q space, CLs = CLs+b / CLb, and the expected band at n = 2, 1, 0, −1, −2.
/// Fits shared between tested μ values (the free fits, the Asimov dataset) are cached.
public final class AsymptoticCalculator: @unchecked Sendable {
  public let fitter: Fitter
  public let data: FitData
  public let statistic: TestStatistic
  private var freeFit: FitResult?
  private var asimov: FitData?
  private var asimovFreeFit: FitResult?
  private var cache: [Double: HypotestResult] = [:]

  /// Tests `statistic` on `data` with `fitter`'s model; throws `UserError` when the model has no POI.
  /// No fit is run until the first `hypotest(mu:)` or `asimovData()`.
  public init(fitter: Fitter, data: FitData, statistic: TestStatistic) throws {
    guard fitter.model.poiIndex != nil else { throw UserError("hypothesis tests need a parameter of interest (use --poi)") }
    self.fitter = fitter
    self.data = data
    self.statistic = statistic
  }

  /// The Asimov dataset used for the expected distributions.
  public func asimovData() throws -> FitData {
    if let asimov { return asimov }
    let pars = try fitter.fixedPOIFit(data, mu: statistic == .q0 ? 1 : 0).values
    let a = fitter.model.expectedData(pars)
    asimov = a
    return a
  }

  /// The test at `mu` (ignored for q₀, which tests μ = 0).
  public func hypotest(mu: Double) throws -> HypotestResult {
    if let r = cache[mu] { return r }
    if freeFit == nil { freeFit = fitter.fit(data, covariance: false) }
    let obs = try fitter.profileRatio(statistic, mu: mu, data: data, unconditional: freeFit)
    let a = try asimovData()
    if asimovFreeFit == nil { asimovFreeFit = fitter.fit(a, covariance: false) }
    let asi = try fitter.profileRatio(statistic, mu: mu, data: a, unconditional: asimovFreeFit)
    let sq = obs.value.squareRoot(), sqA = asi.value.squareRoot()
    let t: Double
    switch statistic {
    case .q, .q0: t = sq - sqA
    case .qtilde: t = sq <= sqA ? sq - sqA : (obs.value - asi.value) / (2 * sqA)
    }
    let (clsb, clb, cls) = Self.pvalues(t, sqA)
    var expected: [Double] = []
    for n in [2.0, 1, 0, -1, -2] {
      let p = Self.pvalues(n, sqA)
      expected.append(statistic == .q0 ? p.clsb : p.cls)
    }
    let r = HypotestResult(
      mu: statistic == .q0 ? 0 : mu, testStatistic: statistic, q: obs.value, qAsimov: asi.value,
      clsObserved: statistic == .q0 ? clsb : cls, clsExpected: expected, clsb: clsb, clb: clb)
    cache[mu] = r
    return r
  }

  /// CLs+b = Φ(−(t + √q_A)), CLb = Φ(−t), CLs = CLs+b / CLb.
  static func pvalues(_ t: Double, _ sqrtQA: Double) -> (clsb: Double, clb: Double, cls: Double) {
    let clsb = StandardNormal.cdf(-(t + sqrtQA))
    let clb = StandardNormal.cdf(-t)
    return (clsb, clb, clsb / clb)
  }
}
