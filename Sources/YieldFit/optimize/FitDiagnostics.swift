import CascadeSupport

/// Why a fit should not be trusted, in words a physicist can act on: the minimiser's EDM above
/// its limit, a Hessian that is not positive definite at the minimum, and free parameters that
/// ended at one of their bounds (a warning: often legitimate, e.g. μ̂ = 0).
public struct FitDiagnostics: Sendable, Equatable {
  /// A free parameter that ended at a bound.
  public struct AtBound: Sendable, Equatable {
    public var name: String
    public var value: Double
    /// "lower" or "upper".
    public var side: String
  }

  public var edm: Double
  /// The EDM below which the minimum counts as converged.
  public var edmLimit: Double
  public var hessianPositiveDefinite: Bool
  public var minimumConverged: Bool
  public var atBound: [AtBound]

  /// Diagnoses `result`, fitted with `model` under `options`.
  public init(result: FitResult, model: Model, options: MinimizerOptions) {
    edm = result.edm
    edmLimit = options.convergedEDM
    hessianPositiveDefinite = result.hessianPositiveDefinite
    minimumConverged = result.edm.isFinite && result.edm < options.convergedEDM && result.twiceNLL.isFinite
    atBound = []
    for i in 0..<result.parameterCount where !result.fixed[i] {
      let x = result.values[i], lo = model.lowerBounds[i], hi = model.upperBounds[i]
      let eps = 1e-9 * max(1, hi - lo)
      if x <= lo + eps { atBound.append(AtBound(name: result.parameterNames[i], value: lo, side: "lower")) }
      else if x >= hi - eps { atBound.append(AtBound(name: result.parameterNames[i], value: hi, side: "upper")) }
    }
  }

  /// Whether the fit can be trusted (the minimum converged and its Hessian is positive definite).
  public var converged: Bool { minimumConverged && hessianPositiveDefinite }

  /// One line saying what failed (nil when the fit converged).
  public var failure: String? {
    if converged { return nil }
    var reasons: [String] = []
    if !hessianPositiveDefinite { reasons.append("Hessian not positive definite at the minimum (uncertainties are NaN)") }
    if !minimumConverged && edm.isFinite { reasons.append("EDM \(fmt(edm, 3)) above the limit \(fmt(edmLimit, 3))") }
    if !minimumConverged && !edm.isFinite && hessianPositiveDefinite { reasons.append("EDM not finite (the likelihood is not finite at the minimum)") }
    var line = "fit did not converge: " + reasons.joined(separator: "; ")
    if !atBound.isEmpty { line += "; at a bound: " + atBound.map(\.name).joined(separator: ", ") }
    line += " (try --strategy 2, other initial values or bounds)"
    return line
  }

  /// One warning line per parameter at a bound.
  public var warnings: [String] {
    atBound.map { "fit: parameter \"\($0.name)\" ended at its \($0.side) bound \(JSONValue.format($0.value))" }
  }
}
