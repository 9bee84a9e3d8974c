import CascadeSupport

/// `tables/optimisation.json`: the fit-driven working-point search of `cascade train` — the
/// objective, where it started and ended, every evaluation of the search in order, the best
/// result moving one stage alone, and scans of the objective around the optimum. Written by
/// `RunOptimisation`, read back with this type (the report's optimisation section).
///
/// Everything here is computed on the Asimov dataset of the MC templates: no data is read.
public struct OptimisationRecord: Codable, Sendable, Equatable {
  /// One stage: where its threshold started and ended. `signal_efficiency` is the fraction of
  /// all signal MC weight the stage's score alone keeps (the search's coordinate).
  public struct Stage: Codable, Sendable, Equatable {
    public var stage: String
    public var optimised: Bool
    public var startThreshold: Double
    public var startSignalEfficiency: Double
    public var threshold: Double
    public var signalEfficiency: Double
    enum CodingKeys: String, CodingKey {
      case stage, optimised
      case startThreshold = "start_threshold"
      case startSignalEfficiency = "start_signal_efficiency"
      case threshold
      case signalEfficiency = "signal_efficiency"
    }
  }

  /// One objective evaluation: every stage's threshold and coordinate, the objective (nil when
  /// the fit failed there) and whether the search moved to it.
  public struct Step: Codable, Sendable, Equatable {
    public var evaluation: Int
    public var thresholds: [Double]
    public var signalEfficiencies: [Double]
    public var objective: Double?
    public var accepted: Bool
    enum CodingKeys: String, CodingKey {
      case evaluation, thresholds
      case signalEfficiencies = "signal_efficiencies"
      case objective, accepted
    }
  }

  /// The search restricted to one stage, the others at their start.
  public struct SingleStage: Codable, Sendable, Equatable {
    public var stage: String
    public var threshold: Double
    public var signalEfficiency: Double
    public var objective: Double
    public var evaluations: Int
    enum CodingKeys: String, CodingKey {
      case stage, threshold
      case signalEfficiency = "signal_efficiency"
      case objective, evaluations
    }
  }

  /// A point of a scan: one stage's coordinate moved from the optimum, the others kept.
  public struct ScanPoint: Codable, Sendable, Equatable {
    public var signalEfficiency: Double
    public var threshold: Double
    public var objective: Double?
    enum CodingKeys: String, CodingKey {
      case signalEfficiency = "signal_efficiency"
      case threshold, objective
    }
  }

  /// The objective against one optimised stage's coordinate around the optimum.
  public struct Scan: Codable, Sendable, Equatable {
    public var stage: String
    public var points: [ScanPoint]
  }

  /// `expected_poi_error`, `expected_significance` or `expected_error`.
  public var objective: String
  /// The parameter whose expected error (or, for the significance, whose discovery) is the objective.
  public var parameter: String
  /// Whether larger is better (the significance) or smaller (an error).
  public var maximised: Bool
  public var budget: Int
  public var evaluations: Int
  /// What the objective's model contains and what the search holds fixed, in words.
  public var notes: [String]
  public var start: Double
  public var end: Double
  public var stages: [Stage]
  public var path: [Step]
  public var singleStage: [SingleStage]
  /// The best of `single_stage` (nil when no single-stage search ran).
  public var bestSingleStage: SingleStage?
  public var scans: [Scan]

  enum CodingKeys: String, CodingKey {
    case objective, parameter, maximised, budget, evaluations, notes, start, end, stages, path
    case singleStage = "single_stage"
    case bestSingleStage = "best_single_stage"
    case scans
  }

  /// The file's name inside `tables/`.
  public static let jsonName = "optimisation.json"
  public static let markdownName = "optimisation.md"
}

extension OptimisationRecord {
  /// `tables/optimisation.md`.
  public func markdown() -> String {
    func f(_ v: Double?) -> String { v.map { JSONValue.format($0) } ?? "failed" }
    var out = "# Working-point optimisation (\(objective) of \(parameter), Asimov dataset, no data read)\n\n"
    let change = start != 0 ? String(format: " (%+.2f%%)", 100 * (end - start) / abs(start)) : ""
    out += "Objective: start \(f(start)), end \(f(end))\(change); \(evaluations) evaluations (budget \(budget)).\n\n"
    if let b = bestSingleStage {
      out += "Best single-stage search: stage \(b.stage) alone reaches \(f(b.objective)) (threshold \(f(b.threshold))).\n\n"
    }
    out += "| stage | optimised | start threshold | start signal eff. | threshold | signal eff. |\n|---|---|---|---|---|---|\n"
    for s in stages {
      out += "| \(s.stage) | \(s.optimised ? "yes" : "no") | \(f(s.startThreshold)) | \(f(s.startSignalEfficiency)) | \(f(s.threshold)) | \(f(s.signalEfficiency)) |\n"
    }
    if !singleStage.isEmpty {
      out += "\n## One stage at a time\n\n| stage | threshold | signal eff. | objective | evaluations |\n|---|---|---|---|---|\n"
      for s in singleStage { out += "| \(s.stage) | \(f(s.threshold)) | \(f(s.signalEfficiency)) | \(f(s.objective)) | \(s.evaluations) |\n" }
    }
    out += "\n## Search path\n\n| # | signal efficiencies | objective | accepted |\n|---|---|---|---|\n"
    for p in path {
      out += "| \(p.evaluation) | \(p.signalEfficiencies.map { f($0) }.joined(separator: ", ")) | \(f(p.objective)) | \(p.accepted ? "yes" : "") |\n"
    }
    out += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined()
    return out
  }
}
