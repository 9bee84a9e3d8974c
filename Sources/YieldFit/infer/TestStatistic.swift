/// Profile-likelihood test statistics of Cowan, Cranmer, Gross, Vitells (arXiv:1007.1727).
public enum TestStatistic: String, Sendable, CaseIterable {
  /// q_μ: upper-limit statistic, 0 when μ̂ > μ.
  case q
  /// q̃_μ: as q_μ with μ̂ bounded at 0 (the POI's lower bound); its asymptotic distribution
  /// switches form above √q_μ,A (Eq. 62). The default for limits, as in pyhf.
  case qtilde
  /// q₀: discovery statistic at μ = 0, 0 when μ̂ < 0.
  case q0
}

/// The fits behind one test-statistic value.
struct ProfileRatio {
  /// −2 log λ, clipped at 0 and set to 0 on the side the statistic ignores.
  var value: Double
  var conditional: FitResult
  var unconditional: FitResult
}

extension Fitter {
  /// q_μ / q̃_μ / q₀ on `data` at `mu` (μ is forced to 0 for q₀), as pyhf's
  /// `test_statistics`: 2·(min NLL at μ − min NLL) clipped at 0.
  func profileRatio(_ stat: TestStatistic, mu: Double, data: FitData, unconditional: FitResult? = nil) throws -> ProfileRatio {
    guard let poi = model.poiIndex else { throw UserError("the model has no parameter of interest") }
    let testMu = stat == .q0 ? 0 : mu
    let cond = try fixedPOIFit(data, mu: testMu)
    let free = unconditional ?? fit(data, covariance: false)
    var t = max(0, cond.twiceNLL - free.twiceNLL)
    let muhat = free.values[poi]
    switch stat {
    case .q, .qtilde: if muhat > testMu { t = 0 }
    case .q0: if muhat < 0 { t = 0 }
    }
    return ProfileRatio(value: t, conditional: cond, unconditional: free)
  }
}

import CascadeSupport
