import Cascade
import CascadeSupport
import YieldFit

/// The objective of a working-point search: one number from the Asimov fit of a workspace.
public struct AsimovObjective: Sendable {
  public var objective: FitObjective
  /// The objective `objective` (its parameter is looked up in each model).
  public init(_ objective: FitObjective) { self.objective = objective }

  /// Whether larger is better.
  public var maximised: Bool { objective == .expectedSignificance }

  /// The parameter the objective is about in `model`.
  public func parameter(_ model: Model) throws -> Int {
    if case .expectedError(let name) = objective {
      guard let i = model.parameterIndex(name) else {
        var msg = "working_point.of: no parameter \"\(name)\" in the fit model"
        if let near = nearestName(to: name, in: model.parameterNames) { msg += " (did you mean \"\(near)\"?)" }
        throw UserError(msg)
      }
      return i
    }
    guard let p = model.poiIndex else { throw UserError("fit: the model has no parameter of interest") }
    return p
  }

  /// The objective on the Asimov dataset of `workspace` (expected counts at the nominal
  /// parameters, nominal auxiliary data): a HESSE error, or √q₀ for the significance. Nil when
  /// the fit fails there (not converged, singular Hessian).
  public func value(_ workspace: Workspace) throws -> Double? {
    let model = try Model(workspace: workspace)
    let index = try parameter(model)
    let data = model.expectedData(model.inits)
    let fitter = Fitter(model: model)
    if maximised {
      guard let z = try? fitter.significance(data).observed, z.isFinite else { return nil }
      return z
    }
    let r = fitter.fit(data)
    let e = r.errors[index]
    return r.converged && e.isFinite && e > 0 ? e : nil
  }
}

/// The joint search over the optimised stages' thresholds (coordinate descent, deterministic).
///
/// Coordinates are signal efficiencies: stage k's coordinate is the fraction of all signal MC
/// weight its score alone keeps, mapped to the largest threshold keeping at least that much.
/// From the trained (start) thresholds, each optimised coordinate in stage order is moved by
/// ±step (+ first, each move crossing at least one distinct signal score); the first move that improves the objective is taken; a round without one
/// halves the step, down to `minimumStep`. Stops there or after `budget` evaluations. Every
/// evaluation re-bins the templates from `TemplateCache` and fits the Asimov dataset of the
/// workspace `workspace` builds from them — the hook where the run's systematics enter.
public struct WorkingPointOptimiser {
  public var cache: TemplateCache
  public var objective: AsimovObjective
  /// Stage indices searched over.
  public var optimised: [Int]
  public var startThresholds: [Double]
  public var stageNames: [String]
  public var budget: Int
  public var initialStep = 0.04
  public var minimumStep = 0.005
  /// The scan offsets around the optimum, in signal efficiency.
  public var scanOffsets: [Double] = [-0.1, -0.075, -0.05, -0.025, 0, 0.025, 0.05, 0.075, 0.1]
  /// (thresholds, nominal templates at them) → the Asimov fit's workspace, built exactly as the
  /// run's fit builds it (the thresholds let it re-bin the systematics' variation templates too).
  public var workspace: ([Double], [RegionHistograms]) throws -> Workspace
  let sweeps: [WeightedSweep]

  /// A search over the stages `optimised` from `startThresholds`; the coordinates are defined on
  /// the events of `signalSamples`, `budget` bounds the joint search's evaluations.
  public init(
    cache: TemplateCache, objective: AsimovObjective, optimised: [Int], startThresholds: [Double], stageNames: [String],
    signalSamples: Set<String>, budget: Int, workspace: @escaping ([Double], [RegionHistograms]) throws -> Workspace
  ) {
    self.cache = cache
    self.objective = objective
    self.optimised = optimised
    self.startThresholds = startThresholds
    self.stageNames = stageNames
    self.budget = budget
    self.workspace = workspace
    let signal = Set(cache.samples.indices.filter { signalSamples.contains(cache.samples[$0]) }.map(Int32.init))
    sweeps = startThresholds.indices.map { k in
      let (s, w) = cache.signalScores(stage: k, signal: signal)
      return WeightedSweep(scores: s, weights: w)
    }
  }

  /// Stage k's coordinate at threshold t.
  func efficiency(_ k: Int, _ t: Double) -> Double {
    let total = sweeps[k].total(class: 0)
    return total > 0 ? sweeps[k].passing(class: 0, threshold: t) / total : 0
  }

  /// Stage k's threshold for coordinate `u`, rounded in the direction of the move so that any
  /// move crosses at least one distinct score: loosening (`up`), the largest threshold keeping
  /// at least `u` of the signal weight; tightening, the smallest keeping at most `u`.
  func threshold(_ k: Int, _ u: Double, up: Bool) -> Double {
    let sweep = sweeps[k]
    let target = u * sweep.total(class: 0)
    if up {
      for step in 0..<sweep.count where sweep.passing(class: 0, atStep: step) >= target { return sweep.thresholds[step] }
      return sweep.thresholds[sweep.count - 1]
    }
    var chosen = sweep.thresholds[0]
    for step in 0..<sweep.count {
      if sweep.passing(class: 0, atStep: step) > target { break }
      chosen = sweep.thresholds[step]
    }
    return chosen
  }

  /// Memoised objective evaluations of one search.
  final class Evaluations {
    var values: [[Double]: Double?] = [:]
    var count = 0
  }

  func evaluate(_ t: [Double], _ memo: Evaluations) throws -> Double? {
    if let v = memo.values[t] { return v }
    memo.count += 1
    let v = try objective.value(workspace(t, cache.histograms(thresholds: t)))
    memo.values[t] = v
    return v
  }

  func better(_ a: Double?, than b: Double?) -> Bool {
    guard let a else { return false }
    guard let b else { return true }
    // A relative margin keeps round-off from walking the search around a flat optimum.
    let margin = 1e-9 * abs(b)
    return objective.maximised ? a > b + margin : a < b - margin
  }

  /// Coordinate descent over `stages` from the start; `record` receives every new evaluation.
  func search(_ stages: [Int], budget: Int, record: ((Step) -> Void)? = nil) throws -> (t: [Double], u: [Double], value: Double, evaluations: Int) {
    let memo = Evaluations()
    var t = startThresholds
    var u = t.indices.map { efficiency($0, t[$0]) }
    guard let start = try evaluate(t, memo) else {
      throw UserError("working-point optimisation: the Asimov fit at the trained thresholds failed (not converged or singular)")
    }
    record?(Step(t: t, u: u, value: start, accepted: true))
    var best = start
    var step = initialStep
    while step >= minimumStep - 1e-15, memo.count < budget {
      var moved = false
      for k in stages where memo.count < budget {
        for direction in [1.0, -1.0] where memo.count < budget {
          let uk = min(1, max(0.01, u[k] + direction * step))
          let tk = threshold(k, uk, up: direction > 0)
          if tk == t[k] { continue }
          var candidate = t
          candidate[k] = tk
          let known = memo.values[candidate] != nil
          let v = try evaluate(candidate, memo)
          let accept = better(v, than: best)
          var cu = u
          cu[k] = efficiency(k, tk)
          if !known { record?(Step(t: candidate, u: cu, value: v, accepted: accept)) }
          if accept, let v {
            t = candidate
            u = cu
            best = v
            moved = true
            break
          }
        }
      }
      if !moved { step /= 2 }
    }
    return (t, u, best, memo.count)
  }

  struct Step {
    var t: [Double], u: [Double], value: Double?, accepted: Bool
  }

  /// Runs the joint search, the single-stage searches and the scans.
  public func run(notes: [String], progress: (String) -> Void = { _ in }) throws -> OptimisationRecord {
    let startModel = try Model(workspace: workspace(startThresholds, cache.histograms(thresholds: startThresholds)))
    let parameter = startModel.parameterNames[try objective.parameter(startModel)]
    var path: [OptimisationRecord.Step] = []
    let joint = try search(optimised, budget: budget) { s in
      path.append(.init(evaluation: path.count + 1, thresholds: s.t, signalEfficiencies: s.u, objective: s.value, accepted: s.accepted))
    }
    let start = path[0].objective!
    progress("optimise: objective \(JSONValue.format(start)) → \(JSONValue.format(joint.value)) in \(joint.evaluations) evaluations")
    var singles: [OptimisationRecord.SingleStage] = []
    if optimised.count > 1 {
      for k in optimised {
        let r = try search([k], budget: budget)
        singles.append(.init(stage: stageNames[k], threshold: r.t[k], signalEfficiency: r.u[k], objective: r.value, evaluations: r.evaluations))
      }
    } else if let k = optimised.first {
      singles.append(.init(stage: stageNames[k], threshold: joint.t[k], signalEfficiency: joint.u[k], objective: joint.value, evaluations: joint.evaluations))
    }
    var bestSingle: OptimisationRecord.SingleStage?
    for s in singles where bestSingle == nil || better(s.objective, than: bestSingle!.objective) { bestSingle = s }
    let memo = Evaluations()
    memo.values[joint.t] = joint.value
    var scans: [OptimisationRecord.Scan] = []
    for k in optimised {
      var points: [OptimisationRecord.ScanPoint] = []
      var seen: Set<Double> = []
      for d in scanOffsets {
        let tk = d == 0 ? joint.t[k] : threshold(k, min(1, max(0.01, joint.u[k] + d)), up: d > 0)
        guard seen.insert(tk).inserted else { continue }
        var t = joint.t
        t[k] = tk
        points.append(.init(signalEfficiency: efficiency(k, tk), threshold: tk, objective: try evaluate(t, memo)))
      }
      scans.append(.init(stage: stageNames[k], points: points.sorted { $0.signalEfficiency < $1.signalEfficiency }))
    }
    let stages = stageNames.indices.map { k in
      OptimisationRecord.Stage(
        stage: stageNames[k], optimised: optimised.contains(k), startThreshold: startThresholds[k],
        startSignalEfficiency: efficiency(k, startThresholds[k]), threshold: joint.t[k], signalEfficiency: joint.u[k])
    }
    return OptimisationRecord(
      objective: objective.objective.name, parameter: parameter, maximised: objective.maximised, budget: budget,
      evaluations: joint.evaluations, notes: notes, start: start, end: joint.value, stages: stages, path: path,
      singleStage: singles, bestSingleStage: bestSingle, scans: scans)
  }
}
