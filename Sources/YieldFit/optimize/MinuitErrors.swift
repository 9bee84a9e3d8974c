import Foundation

/// Parameter uncertainties in MINUIT's convention, which pyhf + iminuit and ROOT report.
///
/// MINUIT minimises bounded parameters in an internal coordinate (x = a + (b − a)(sin θ + 1)/2
/// for two bounds, x = a − 1 + √(θ² + 1) for a lower bound only, x = b + 1 − √(θ² + 1) for an
/// upper bound only); HESSE's internal error σ_θ is mapped back as the mean of |x(θ ± σ_θ) − x|
/// (`MnUserTransformation::Int2extError`). Near a bound this differs from √V_ii of the exact
/// covariance, which we keep for correlations and error propagation.
enum MinuitErrors {
  static func error(value x: Double, sigma: Double, lower: Double, upper: Double) -> Double {
    guard sigma.isFinite, sigma > 0 else { return sigma }
    let hasLow = lower.isFinite, hasUp = upper.isFinite
    if hasLow && hasUp {
      let half = 0.5 * (upper - lower)
      guard half > 0 else { return sigma }
      let s = min(1, max(-1, (x - lower) / half - 1))
      let theta = asin(s)
      let jac = half * cos(theta)
      guard jac > 0 else { return sigma }
      let dx = sigma / jac
      let ext = { (t: Double) in lower + half * (sin(t) + 1) }
      let xi = ext(theta)
      var du1 = ext(theta + dx) - xi
      let du2 = ext(theta - dx) - xi
      if dx > 1 { du1 = upper - lower }
      return 0.5 * (abs(du1) + abs(du2))
    }
    if hasLow || hasUp {
      // Internal θ with x = a − 1 + √(θ² + 1) (mirrored for an upper bound).
      let d = hasLow ? x - lower + 1 : upper - x + 1
      let theta = (d * d - 1).squareRoot()
      let jac = theta / (theta * theta + 1).squareRoot()
      guard jac > 0 else { return sigma }
      let dx = sigma / jac
      let ext = { (t: Double) in (t * t + 1).squareRoot() - 1 }
      let xi = ext(theta)
      return 0.5 * (abs(ext(theta + dx) - xi) + abs(ext(theta - dx) - xi))
    }
    return sigma
  }
}
