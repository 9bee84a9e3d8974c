import Boosting
import CascadeSupport
import Foundation

/// Per-stage record of `train-summary.json`.
public struct StageTrainingRecord: Sendable {
  public var stage: String
  public var region: String
  /// Per sample reaching the stage: (name, events, Σw).
  public var entering: [(sample: String, events: Int, weight: Double)]
  public var trainingEvents: Int
  public var solution: WorkingPointSolution
  public var seconds: Double
  /// The stage's `decorrelate` option (nil = plain training).
  public var decorrelation: DecorrelationRecord? = nil
}

/// Trains the stages in order: stage k sees the MC events that survived stages 1..k−1 (by
/// their out-of-fold scores), so each later stage trains on cleaner data with its own features.
public struct StageTrainer {
  public let config: CascadeConfig
  public var progress: (String) -> Void = { _ in }

  /// A trainer for `config`'s stages; `progress` receives a line as each stage starts and when it
  /// gets its threshold (default: silent).
  public init(config: CascadeConfig, progress: @escaping (String) -> Void = { _ in }) {
    self.config = config
    self.progress = progress
  }

  /// The columns training loads: every stage's features, then the decorrelation observables,
  /// each once, in first-seen order.
  public func allFeatures() -> [String] {
    var seen: [String] = []
    for s in config.stages { for f in s.features where !seen.contains(f) { seen.append(f) } }
    for s in config.stages { if let o = s.decorrelate?.observable, !seen.contains(o) { seen.append(o) } }
    return seen
  }

  /// Trains every stage on `events` (MC only) and returns the stage models in order.
  public func train(_ events: LoadedEvents) throws -> (models: [StageModel], records: [StageTrainingRecord]) {
    let r = try train(events, keepingScores: false)
    return (r.models, r.records)
  }

  /// What `train(_:keepingScores:)` returns.
  public struct Result: Sendable {
    public var models: [StageModel]
    public var records: [StageTrainingRecord]
    /// With `keepingScores`: every stage's out-of-fold score of every event, `scores[stage][event]`
    /// (also for events the stage's training never reached), the cache a threshold search re-routes.
    public var scores: [[Double]]
  }

  /// Trains every stage; with `keepingScores` every stage scores every event (out of fold).
  public func train(_ events: LoadedEvents, keepingScores: Bool) throws -> Result {
    var allScores: [[Double]] = []
    let k = config.training.folds
    var alive = [Bool](repeating: true, count: events.count)
    var models: [StageModel] = []
    var records: [StageTrainingRecord] = []
    for (si, stage) in config.stages.enumerated() {
      let start = Date()
      let targetIdx = Set(stage.backgrounds.compactMap { b in config.samples.firstIndex { $0.name == b } }.map(Int32.init))
      let isSignalSample = config.samples.map { $0.role == .signal }
      var idx: [Int] = []
      for i in 0..<events.count where alive[i] {
        let s = events.sampleIndex[i]
        if isSignalSample[Int(s)] || targetIdx.contains(s) { idx.append(i) }
      }
      let sub = events.subset(idx)
      let isSignal = sub.sampleIndex.map { isSignalSample[Int($0)] }
      let where_ = "stages[\(si)] (\(stage.name))"
      if !isSignal.contains(true) { throw UserError("\(where_): no signal events reach this stage") }
      for b in stage.backgrounds {
        let bi = Int32(config.samples.firstIndex { $0.name == b }!)
        if !sub.sampleIndex.contains(bi) {
          throw UserError("\(where_): background \"\(b)\" has no events left at this stage")
        }
      }
      progress("stage \(si + 1)/\(config.stages.count) \(stage.name): training on \(idx.count) events (\(k) folds)")
      var params = stage.bdt
      params.seed = config.training.seed &+ UInt64(si)
      var data = TrainingData(featureNames: stage.features, columns: sub.features(stage.features), isSignal: isSignal, weights: sub.weights)
      if let d = stage.decorrelate {
        data = StageDecorrelation.apply(
          d, to: data, observable: sub.columns[d.observable]!, folds: sub.folds, k: k, negativeWeights: params.negativeWeights)
      }
      let model: FoldedModel
      do {
        model = try FoldedModel.train(data, folds: sub.folds, k: k, parameters: params)
      } catch let e as UserError {
        throw UserError("\(where_): \(e.message)")
      }
      let oof = model.scores(columns: data.columns, folds: sub.folds, threads: config.training.threads)
      var ss: [Double] = [], sw: [Double] = [], bs: [Double] = [], bw: [Double] = []
      for j in 0..<idx.count {
        if isSignal[j] { ss.append(oof[j]); sw.append(sub.weights[j]) } else { bs.append(oof[j]); bw.append(sub.weights[j]) }
      }
      let solution: WorkingPointSolution
      do {
        solution = try WorkingPointSolver.solve(stage.workingPoint, signalScores: ss, signalWeights: sw, backgroundScores: bs, backgroundWeights: bw)
      } catch let e as UserError {
        throw UserError("\(where_).working_point: \(e.message)")
      }
      let stageModel = StageModel(
        name: stage.name, features: stage.features, backgrounds: stage.backgrounds, region: stage.region,
        model: model, threshold: solution.threshold, workingPoint: stage.workingPoint, solution: solution,
        decorrelation: stage.decorrelate.map(DecorrelationRecord.init))
      models.append(stageModel)

      // Route every surviving MC event (other backgrounds too) by its out-of-fold score.
      var entering: [(String, Int, Double)] = []
      var perSample = [(Int, Double)](repeating: (0, 0), count: config.samples.count)
      let aliveIdx = (0..<events.count).filter { alive[$0] }
      for i in aliveIdx { perSample[Int(events.sampleIndex[i])].0 += 1; perSample[Int(events.sampleIndex[i])].1 += events.weights[i] }
      for (j, s) in config.samples.enumerated() where s.isMC { entering.append((s.name, perSample[j].0, perSample[j].1)) }
      // The training events were just scored out of fold (scores are per event): only the other
      // events are scored here — every event when the scores are kept, else the survivors.
      var known = [Double](repeating: .nan, count: events.count)
      var isKnown = [Bool](repeating: false, count: events.count)
      if stage.decorrelate == nil {
        for (j, i) in idx.enumerated() { known[i] = oof[j]; isKnown[i] = true }
      }
      let rest = (keepingScores ? Array(0..<events.count) : aliveIdx).filter { !isKnown[$0] }
      let restEvents = events.subset(rest, columns: stage.features)
      let restScores = model.scores(columns: restEvents.features(stage.features), folds: restEvents.folds, threads: config.training.threads)
      for (j, i) in rest.enumerated() { known[i] = restScores[j] }
      if keepingScores { allScores.append(known) }
      let aliveScores = aliveIdx.map { known[$0] }
      for (j, i) in aliveIdx.enumerated() where Routing.rejects(score: aliveScores[j], threshold: solution.threshold) { alive[i] = false }
      records.append(StageTrainingRecord(
        stage: stage.name, region: stage.region, entering: entering, trainingEvents: idx.count,
        solution: solution, seconds: Date().timeIntervalSince(start),
        decorrelation: stage.decorrelate.map(DecorrelationRecord.init)))
      progress(String(format: "stage %@: threshold %.6g, signal efficiency %.4f, %@ efficiency %.4f",
        stage.name, solution.threshold, solution.signalEfficiency, stage.backgrounds.joined(separator: "+"), solution.backgroundEfficiency))
    }
    return Result(models: models, records: records, scores: allScores)
  }
}
