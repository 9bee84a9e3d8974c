/// A maximum-likelihood fit: best-fit values, HESSE uncertainties and correlations.
public struct FitResult: Sendable {
  public var parameterNames: [String]
  public var values: [Double]
  /// HESSE uncertainty in MINUIT's convention for bounded parameters (see `MinuitErrors`), as
  /// pyhf + iminuit and ROOT report it; 0 for fixed parameters, NaN if the Hessian is singular.
  public var errors: [Double]
  /// Covariance (row-major, npar × npar), from the inverse Hessian of −log L at the minimum;
  /// rows and columns of fixed parameters are 0.
  public var covariance: [Double]
  /// Fixed during this fit (by the model or the caller).
  public var fixed: [Bool]
  /// −2 log L at the minimum (pyhf's `twice_nll`).
  public var twiceNLL: Double
  public var converged: Bool
  /// Estimated distance to the minimum in −log L units (0.5 gᵀH⁻¹g).
  public var edm: Double
  public var iterations: Int
  /// Whether the Hessian of the free parameters at the minimum is positive definite (true when
  /// no covariance was asked for); a fit whose Hessian is not counts as not converged.
  public var hessianPositiveDefinite = true

  public var parameterCount: Int { values.count }

  /// Correlation matrix (npar × npar); fixed parameters have 0 off-diagonal and 1 diagonal.
  public var correlation: [[Double]] {
    let n = values.count
    return (0..<n).map { i in
      (0..<n).map { j in
        if i == j { return 1 }
        let d = (covariance[i * n + i] * covariance[j * n + j]).squareRoot()
        return d > 0 ? covariance[i * n + j] / d : 0
      }
    }
  }
}
