import CascadeSupport
import Foundation
import YieldFit

/// The fit outputs of a run as the report shows them: `fit/result.json` (YieldFit's
/// `FitResultFile`) and, when present, `fit/prepost.json` (`PrePostFile`), both read strictly.
struct FitView {
  var result: FitResultFile
  var prepost: PrePostFile?

  /// Reads `<fitDirectory>/result.json` (and `prepost.json` if it exists); nil when the run has
  /// no fit.
  static func load(fitDirectory: String) throws -> FitView? {
    let resultPath = fitDirectory + "/result.json"
    guard FileManager.default.fileExists(atPath: resultPath) else { return nil }
    let result = try JSONFile.load(FitResultFile.self, from: resultPath)
    let prepostPath = fitDirectory + "/prepost.json"
    let prepost = FileManager.default.fileExists(atPath: prepostPath) ? try JSONFile.load(PrePostFile.self, from: prepostPath) : nil
    return FitView(result: result, prepost: prepost)
  }

  /// Summary lines for the optional inference results (POI, hypothesis test, limit, significance).
  var inference: [String] {
    var lines: [String] = []
    if let poi = result.poi { lines.append("parameter of interest: \(poi)") }
    if let h = result.hypotest {
      lines.append(
        "hypothesis test μ = \(fmt(h.mu, 3)) (\(h.testStat)): CLs observed \(fmt(h.clsObs, 4)), "
          + "expected [+2σ…−2σ] \(h.clsExp.map { fmt($0, 4) }.joined(separator: ", "))")
    }
    if let l = result.limit {
      lines.append(
        "95% CL upper limit on μ: observed \(fmt(l.observed, 4)), expected [+2σ…−2σ] "
          + l.expected.map { fmt($0, 4) }.joined(separator: ", "))
    }
    if let z = result.significance {
      lines.append("discovery significance Z0: observed \(fmt(z.observed, 3)), expected \(fmt(z.expected, 3))")
    }
    return lines
  }

  /// The names of the correlation matrix's rows and columns (every parameter, in order).
  var correlationNames: [String] { result.parameters.map(\.name) }

  /// The parameters a plot shows: the free ones; when there are more than `limit`, per-bin
  /// parameters (`name[i]`: staterror, shapesys, …) are left out, then the list is cut at `limit`.
  /// Returns the kept names and how many were left out.
  static func plotted(_ names: [String], limit: Int) -> (names: [String], omitted: Int) {
    var kept = names
    if kept.count > limit { kept = kept.filter { !$0.contains("[") } }
    if kept.count > limit { kept = Array(kept.prefix(limit)) }
    return (kept, names.count - kept.count)
  }

  /// The correlation sub-matrix of `names` (a subset of `correlationNames`).
  func correlation(of names: [String]) -> [[Double]] {
    let all = correlationNames
    let idx = names.compactMap { all.firstIndex(of: $0) }
    return idx.map { i in idx.map { result.correlation[i][$0] } }
  }
}
