import CascadeSupport

/// Everything one `cascade fit` computed; `file` is its `result.json` / `--json` form
/// (`FitResultFile`).
public struct FitSummary: Sendable {
  public var result: FitResult
  public var poi: String?
  /// MINOS errors (signed: lower ≤ 0 ≤ upper) by parameter component index.
  public var minos: [Int: (lower: Double, upper: Double)]
  public var hypotest: HypotestResult?
  public var limit: UpperLimit?
  public var significance: Significance?

  /// The fit `result` with POI name `poi` (nil: none); MINOS errors and the inference results are
  /// empty / nil by default.
  public init(
    result: FitResult, poi: String?, minos: [Int: (lower: Double, upper: Double)] = [:], hypotest: HypotestResult? = nil,
    limit: UpperLimit? = nil, significance: Significance? = nil
  ) {
    self.result = result
    self.poi = poi
    self.minos = minos
    self.hypotest = hypotest
    self.limit = limit
    self.significance = significance
  }

  /// The content of `result.json` / `cascade fit --json`.
  public var file: FitResultFile {
    FitResultFile(
      converged: result.converged, twiceNLL: result.twiceNLL, edm: result.edm, poi: poi,
      parameters: (0..<result.parameterCount).map { i in
        FitResultFile.Parameter(
          name: result.parameterNames[i], value: result.values[i], error: result.errors[i],
          minos: minos[i].map { [$0.lower, $0.upper] }, fixed: result.fixed[i])
      },
      correlation: result.correlation,
      hypotest: hypotest.map {
        FitResultFile.Hypotest(mu: $0.mu, testStat: $0.testStatistic.rawValue, clsObs: $0.clsObserved, clsExp: $0.clsExpected)
      },
      limit: limit.map { FitResultFile.Limit(observed: $0.observed, expected: $0.expected) },
      significance: significance.map { FitResultFile.Significance(observed: $0.observed, expected: $0.expected) })
  }

  /// A human-readable summary for the terminal.
  public func text() -> String {
    var lines: [String] = []
    lines.append("fit \(result.converged ? "converged" : "DID NOT CONVERGE")  twice_nll = \(fmt(result.twiceNLL, 10))  edm = \(fmt(result.edm, 3))")
    let width = max(9, result.parameterNames.map(\.count).max() ?? 9)
    lines.append(pad("parameter", width) + "         value         error   minos")
    for i in 0..<result.parameterCount {
      var line = pad(result.parameterNames[i], width) + " " + lpad(fmt(result.values[i], 6), 13) + " "
      line += result.fixed[i] ? lpad("fixed", 13) : lpad(fmt(result.errors[i], 6), 13)
      if let m = minos[i] { line += "   \(fmt(m.lower, 5)) / +\(fmt(m.upper, 5))" }
      if result.parameterNames[i] == poi { line += "   (POI)" }
      lines.append(line)
    }
    if let h = hypotest {
      lines.append("hypotest mu = \(fmt(h.mu, 6)) (\(h.testStatistic.rawValue)): \(h.testStatistic == .q0 ? "p0" : "CLs") observed = \(fmt(h.clsObserved, 6))")
      lines.append("  expected [+2, +1, 0, -1, -2 sigma] = [\(h.clsExpected.map { fmt($0, 6) }.joined(separator: ", "))]")
    }
    if let l = limit {
      lines.append("95% CL upper limit on \(poi ?? "POI"): observed = \(fmt(l.observed, 6))")
      lines.append("  expected [+2, +1, 0, -1, -2 sigma] = [\(l.expected.map { fmt($0, 6) }.joined(separator: ", "))]")
    }
    if let s = significance {
      lines.append("significance Z0: observed = \(fmt(s.observed, 4)) (p0 = \(fmt(s.pObserved, 4))), expected = \(fmt(s.expected, 4))")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

func fmt(_ x: Double, _ digits: Int) -> String {
  guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
  return String(format: "%.\(digits)g", x)
}
func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }

import Foundation
