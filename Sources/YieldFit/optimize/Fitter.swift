import Foundation

/// Maximum-likelihood fits of a `Model`: unconditional, with some parameters fixed, and the
/// HESSE covariance from the exact Hessian at the minimum.
public struct Fitter: Sendable {
  public let model: Model
  public var options: MinimizerOptions

  /// Fits of `model` with the minimiser settings `options` (default: `MinimizerOptions()`).
  public init(model: Model, options: MinimizerOptions = MinimizerOptions()) {
    self.model = model
    self.options = options
  }

  /// Fits `data`; `fixedValues` pins components (index → value) in addition to the model's
  /// fixed ones, which stay at their initial values. `start` overrides the initial values.
  public func fit(_ data: FitData, fixedValues: [Int: Double] = [:], start: [Double]? = nil, covariance: Bool = true) -> FitResult {
    var x0 = start ?? model.inits
    var fixed = model.fixed
    for (i, v) in fixedValues {
      x0[i] = v
      fixed[i] = true
    }
    let m = model
    var minimizer = NewtonMinimizer(
      value: { m.nll($0, data) }, derivatives: { m.nllDerivatives($0, data) },
      lower: model.lowerBounds, upper: model.upperBounds, fixed: fixed, options: options)
    minimizer.kinked = model.kinked
    let minimum = minimizer.minimize(from: x0)
    let n = x0.count
    var cov = [Double](repeating: 0, count: n * n)
    var errors = [Double](repeating: 0, count: n)
    var positiveDefinite = true
    if covariance {
      let free = (0..<n).filter { !fixed[$0] }
      let h = model.nllDerivatives(minimum.x, data).hess
      let k = free.count
      var sub = [Double](repeating: 0, count: k * k)
      for a in 0..<k { for b in 0..<k { sub[a * k + b] = h[free[a] * n + free[b]] } }
      if let inv = LinearAlgebra.inverseSPD(sub, k) {
        for a in 0..<k { for b in 0..<k { cov[free[a] * n + free[b]] = inv[a * k + b] } }
        for a in 0..<k {
          let i = free[a]
          errors[i] = MinuitErrors.error(
            value: minimum.x[i], sigma: inv[a * k + a].squareRoot(), lower: model.lowerBounds[i], upper: model.upperBounds[i])
        }
      } else {
        for a in free { errors[a] = .nan }
        positiveDefinite = false
      }
    }
    return FitResult(
      parameterNames: model.parameterNames, values: minimum.x, errors: errors, covariance: cov, fixed: fixed,
      twiceNLL: 2 * minimum.f, converged: minimum.converged && positiveDefinite, edm: minimum.edm, iterations: minimum.iterations,
      hessianPositiveDefinite: positiveDefinite)
  }

  /// −2 log L minimised with the POI fixed at `mu` (pyhf's `fixed_poi_fit`).
  public func fixedPOIFit(_ data: FitData, mu: Double, covariance: Bool = false) throws -> FitResult {
    guard let poi = model.poiIndex else { throw UserError("the model has no parameter of interest") }
    return fit(data, fixedValues: [poi: mu], covariance: covariance)
  }
}

import CascadeSupport
