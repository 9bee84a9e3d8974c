import CascadeSupport
import Foundation

/// Which calculator turns test statistics into p-values.
public enum InferenceCalculator: String, Sendable, CaseIterable {
  /// The asymptotic formulae of arXiv:1007.1727.
  case asymptotic
  /// Pseudo-experiments drawn from the fitted model (`ToyCalculator`).
  case toys
}

/// What a publication needs beyond the best fit: impacts and ranking, the stat/syst breakdown,
/// toy-based p-values, the minimiser's strategy, background-only fits.
public struct PublishRequest: Sendable {
  /// Compute the impact ranking (`fit/impacts.json`).
  public var impacts = false
  /// Further parameters (normfactors) to measure the impacts on, besides the POI.
  public var impactsOn: [String] = []
  /// Compute the uncertainty breakdown (`fit/breakdown.json`).
  public var breakdown = false
  /// Groups of the breakdown and where they came from (for errors).
  public var groups: [ParameterGroup] = []
  public var groupsSource = "groups"
  /// Fit without POI even if the measurement names one (`--poi none`).
  public var backgroundOnly = false
  public var calculator: InferenceCalculator = .asymptotic
  public var toys = ToySettings()
  /// Threads for the refits of impacts and breakdown (0 = all cores); never changes results.
  public var threads = 0
  public var minimizer = MinimizerOptions()
  /// Nothing beyond the best fit: asymptotic calculator, default toys and minimiser, all cores.
  public init() {}
}

/// What `PublishRequest` produced.
public struct PublishResults: Sendable {
  public var diagnostics: FitDiagnostics?
  public var impacts: ImpactRanking?
  public var breakdown: UncertaintyBreakdown?
  public var toyHypotest: ToyHypotest?
  public var toySignificance: ToyHypotest?
  /// The settings the toys ran with.
  public var toySettings: ToySettings?
  /// Lines for the terminal (background-only fit chosen automatically, failed refits).
  public var notes: [String] = []
  /// No results and no notes.
  public init() {}

  /// `yields.md`'s headline with a breakdown: "μ = 1.11 ± 0.10 (stat) ± 0.05 (syst)" for the POI
  /// (the first entry), then one line per other normfactor; empty without a breakdown.
  public var breakdownHeadline: String {
    guard let b = breakdown, !b.entries.isEmpty else { return "" }
    var lines: [String] = []
    for e in b.entries {
      let label = e.name == b.poi ? "μ" : e.name
      let d = decimals(max(e.stat, e.syst))
      let line = "\(label) = \(fixed(e.value, d)) ± \(fixed(e.stat, d)) (stat) ± \(fixed(e.syst, d)) (syst)"
      lines.append(line)
    }
    return lines.joined(separator: "  \n") + "\n\n"
  }
}

/// Decimal places for two significant digits of `x` (PDG-like: 0.10 → 2, 1.3 → 1).
func decimals(_ x: Double) -> Int {
  guard x.isFinite, x > 0 else { return 2 }
  return max(0, 1 - Int((x.log10Value).rounded(.down)))
}

func fixed(_ x: Double, _ d: Int) -> String {
  guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
  return String(format: "%.\(d)f", x)
}

extension Double {
  fileprivate var log10Value: Double { Foundation.log10(self) }
}

/// Runs the requested publication inference after the best fit `best` of `data`.
func publishInference(_ fitter: Fitter, data: FitData, best: FitResult, request: FitRequest) throws -> PublishResults {
  let p = request.publish
  var out = PublishResults()
  out.diagnostics = FitDiagnostics(result: best, model: fitter.model, options: fitter.options)
  if p.impacts {
    let extra = try fitter.parameterIndices(p.impactsOn, option: "--impacts-on")
    let r = try fitter.impacts(data, best: best, on: extra, threads: p.threads)
    if !r.failedRefits.isEmpty {
      out.notes.append("impacts: refits did not converge for \(r.failedRefits.joined(separator: ", "))")
    }
    out.impacts = r
  }
  if p.breakdown {
    let r = try fitter.breakdown(data, best: best, groups: p.groups, source: p.groupsSource, threads: p.threads)
    if !r.failedRefits.isEmpty {
      out.notes.append("breakdown: refits did not converge for \(r.failedRefits.joined(separator: ", "))")
    }
    out.breakdown = r
  }
  return out
}
