import CascadeSupport

/// A CLs upper limit on the POI: observed and the expected band (n = 2, 1, 0, −1, −2 σ).
public struct UpperLimit: Sendable, Equatable {
  public var level: Double
  public var observed: Double
  public var expected: [Double]
}

extension AsymptoticCalculator {
  /// The μ where CLs = `level` (0.05 for 95 % CL), found by Brent's method within the POI's
  /// bounds, for the observed CLs and for each expected-band value.
  public func upperLimit(level: Double = 0.05) throws -> UpperLimit {
    guard statistic != .q0 else { throw UserError("upper limits need the q or qtilde test statistic, not q0") }
    let model = fitter.model
    let poi = model.poiIndex!
    let lo = model.lowerBounds[poi], hi = model.upperBounds[poi]
    func f(_ mu: Double, _ band: Int) throws -> Double {
      let r = try hypotest(mu: mu)
      return (band < 0 ? r.clsObserved : r.clsExpected[band]) - level
    }
    var limits: [Double] = []
    for band in [-1, 0, 1, 2, 3, 4] {
      var failure: Error?
      let g: (Double) -> Double = { mu in
        do { return try f(mu, band) } catch { failure = error; return .nan }
      }
      // Start from the lower bound unless CLs is undefined there (μ = 0 gives 0/0 at q_A = 0).
      var a = lo
      var fa = g(a)
      if !(fa.isFinite) || fa < 0 {
        a = lo + 1e-6 * (hi - lo)
        fa = g(a)
      }
      let fb = g(hi)
      if let failure { throw failure }
      let name = band < 0 ? "observed" : "expected (\(["+2", "+1", "0", "-1", "-2"][band]) σ)"
      guard fa.isFinite, fb.isFinite, fa >= 0 else {
        throw UserError("\(name) CLs is below \(level) at the POI's lower bound \(lo); no upper limit")
      }
      guard fb <= 0 else {
        throw UserError("\(name) CLs stays above \(level) up to the POI's upper bound \(hi); raise the bound in the measurement")
      }
      guard let root = brentRoot(g, a, hi, fa: fa, fb: fb, xtol: 1e-10, rtol: 1e-10) else {
        if let failure { throw failure }
        throw UserError("\(name) upper limit: root finding failed")
      }
      if let failure { throw failure }
      limits.append(root)
    }
    return UpperLimit(level: level, observed: limits[0], expected: Array(limits[1...]))
  }
}

/// Discovery significance from q₀: observed Z = √q₀, expected (median, μ = 1) Z = √q₀,A.
public struct Significance: Sendable, Equatable {
  public var observed: Double
  public var expected: Double
  public var pObserved: Double
  public var pExpected: Double
}

extension Fitter {
  /// Z₀ observed and expected with the asymptotic q₀ formulae.
  public func significance(_ data: FitData) throws -> Significance {
    let calc = try AsymptoticCalculator(fitter: self, data: data, statistic: .q0)
    let r = try calc.hypotest(mu: 0)
    return Significance(
      observed: r.q.squareRoot(), expected: r.qAsimov.squareRoot(), pObserved: r.clsObserved, pExpected: r.clsExpected[2])
  }
}
