import CascadeSupport

/// The trained cascade a threshold search works on: the MC events (never data: the training
/// load reads MC samples only), the stage models, and every stage's out-of-fold score of every
/// event — the cache that candidate thresholds re-route without re-scoring or re-training.
public struct TrainedStages: Sendable {
  public var config: CascadeConfig
  /// MC events in sample, file, row order (the order the fit sums region files in).
  public var events: LoadedEvents
  public var models: [StageModel]
  /// `scores[stage][event]`, out of fold.
  public var scores: [[Double]]

  /// The trained cascade of `config`: its MC `events`, stage `models` and cached `scores`.
  public init(config: CascadeConfig, events: LoadedEvents, models: [StageModel], scores: [[Double]]) {
    self.config = config
    self.events = events
    self.models = models
    self.scores = scores
  }
}

/// A step of `CascadePipeline.train` between training and writing the models: chooses every
/// stage's threshold from the trained stages (Analysis' working-point optimiser, which the
/// Cascade module cannot see, supplies `choose`).
public struct ThresholdSearch {
  /// Columns the search needs at Float64 precision (the fit observable).
  public var doubleColumns: [String]
  /// Every stage's threshold, in stage order.
  public var choose: (TrainedStages) throws -> [Double]

  /// A search loading `doubleColumns` at full precision and choosing thresholds with `choose`.
  public init(doubleColumns: [String], choose: @escaping (TrainedStages) throws -> [Double]) {
    self.doubleColumns = doubleColumns
    self.choose = choose
  }

  /// Puts `thresholds` into the models and re-solves what each stage's threshold achieves on
  /// the events reaching it under the new routing (`entering`/`training_events` stay those of
  /// training: the models were trained on them).
  static func adopt(
    _ thresholds: [Double], models: inout [StageModel], records: inout [StageTrainingRecord], config: CascadeConfig,
    events: LoadedEvents, scores: [[Double]]
  ) throws {
    precondition(thresholds.count == models.count)
    let isSignal = config.samples.map { $0.role == .signal }
    let exit = (0..<events.count).map { e in
      Routing.exitStage(stageCount: models.count) { k in (scores[k][e], thresholds[k]) }
    }
    for (k, stage) in config.stages.enumerated() {
      let targets = Set(stage.backgrounds.compactMap { b in config.samples.firstIndex { $0.name == b } })
      var ss: [Double] = [], sw: [Double] = [], bs: [Double] = [], bw: [Double] = []
      for e in 0..<events.count where exit[e] >= k {
        let s = Int(events.sampleIndex[e])
        if isSignal[s] { ss.append(scores[k][e]); sw.append(events.weights[e]) } else if targets.contains(s) {
          bs.append(scores[k][e]); bw.append(events.weights[e])
        }
      }
      let solution: WorkingPointSolution
      do {
        solution = try WorkingPointSolver.solve(.threshold(thresholds[k]), signalScores: ss, signalWeights: sw, backgroundScores: bs, backgroundWeights: bw)
      } catch let e as UserError {
        throw UserError("stages[\(k)] (\(stage.name)): at the chosen thresholds: \(e.message)")
      }
      models[k].threshold = thresholds[k]
      models[k].solution = solution
      records[k].solution = solution
    }
  }
}
