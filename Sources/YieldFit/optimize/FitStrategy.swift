import CascadeSupport

extension MinimizerOptions {
  /// MINUIT's default tolerance in this minimiser's units: with it a minimum counts as converged
  /// below EDM 1e-6, as before strategies existed.
  public static let defaultTolerance = 1e-3

  /// Options for a MINUIT-like `strategy` (0 fast, 1 default, 2 thorough) and `tolerance`.
  ///
  /// - 0: one start, no restart on the other side of kinked interpolations, no retries.
  /// - 1: retries from alternative starts when a fit does not converge, kink restarts.
  /// - 2: every alternative start is tried even after a converged minimum; the lowest is kept.
  ///
  /// A minimum counts as converged when its EDM is below 0.002 · `tolerance` · 0.5 (MINUIT's
  /// rule with errordef ½ for −log L), so the default tolerance 1e-3 means EDM < 1e-6.
  public init(strategy: Int, tolerance: Double = MinimizerOptions.defaultTolerance) throws {
    self.init()
    guard (0...2).contains(strategy) else { throw UserError("--strategy: \(strategy) is not 0, 1 or 2") }
    guard tolerance.isFinite, tolerance > 0 else { throw UserError("--tolerance: must be a positive number") }
    switch strategy {
    case 0:
      retries = 0
      escapeKinks = false
    case 2:
      retries = 5
      exhaustiveRestarts = true
    default:
      break
    }
    convergedEDM = 0.001 * tolerance
  }
}
