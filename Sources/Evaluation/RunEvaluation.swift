import Boosting
import Cascade
import CascadeSupport

/// Evaluates a trained cascade on its inputs and writes `tables/`: every event of every sample is
/// scored by every stage (out of fold, and in fold for the overtraining check), then ROC curves,
/// efficiency tables, cutflows and working-point scans are computed from those scores.
public enum RunEvaluation {
  /// Sculpting warnings (tables/sculpting.md) go to `warn`. `scored` are the scores of a
  /// whole apply pass that kept them (``scoring(_:)``); without them every event is read and
  /// scored here.
  public static func evaluate(
    _ config: CascadeConfig, models: [StageModel]? = nil, scored: ScoredEvents? = nil, progress: (String) -> Void = { _ in },
    warn: (String) -> Void = { _ in }
  ) throws {
    let models = try models ?? CascadePipeline.loadStageModels(config)
    let observable = SculptingRun.observable(config)
    let scored = try scored ?? {
      progress("evaluate: scoring every event with every stage")
      return try CascadeScorer.scoreAll(config, models: models, extraColumns: observable.map { [$0] } ?? [])
    }()
    let (stages, flow) = inputs(config, models: models, scored: scored)
    // The tables and the sculpting rows are independent: computed side by side.
    let tables = RunDirectory(config.output).tables
    let sculpting = observable.map { SculptingRun.input(config, observable: $0, scored: scored) }
    let parts = ParallelBlocks.map(count: 2, blockSize: 1, threads: config.training.threads) { r -> Result<(EvaluationResult?, [SculptingRow]?), any Error> in
      r.lowerBound == 0
        ? Result { (try EvaluationResult(stages: stages, flow: flow), nil) }
        : .success((nil, sculpting.map { Sculpting.rows($0) }))
    }
    let result = try parts[0].get().0!
    for f in try result.files { try AtomicFile.write(f.contents, to: tables + "/" + f.name) }
    if let observable, let rows = try parts[1].get().1 {
      try SculptingRun.write(config, observable: observable, rows: rows, to: tables, warn: warn)
    }
    if config.systematics.contains(where: \.hasTemplates) {
      progress("evaluate: systematic migrations")
      try SystematicsTable.write(config, runDirectory: config.output, pruning: [])
    }
  }

  /// What an apply pass must keep for ``evaluate(_:models:scored:progress:warn:)``: the
  /// scores of every stage plus the sculpting observable.
  public static func scoring(_ config: CascadeConfig) -> Applier.ScoringRequest {
    Applier.ScoringRequest(extraColumns: SculptingRun.observable(config).map { [$0] } ?? [])
  }

  static func inputs(_ config: CascadeConfig, models: [StageModel], scored: ScoredEvents) -> ([StageEvaluationInput], CascadeFlowInput) {
    let mcIndices = config.samples.indices.filter { config.samples[$0].isMC }
    var mcIndexOf = [Int32](repeating: -1, count: config.samples.count)
    for (j, i) in mcIndices.enumerated() { mcIndexOf[i] = Int32(j) }
    let ev = scored.events
    var stageInputs: [StageEvaluationInput] = []
    for (s, stage) in config.stages.enumerated() {
      var si: [Int32] = [], w: [Double] = [], test: [Double] = [], train: [Double] = []
      for e in 0..<ev.count where scored.exitStage[e] >= s {
        let m = mcIndexOf[Int(ev.sampleIndex[e])]
        guard m >= 0 else { continue }
        si.append(m)
        w.append(ev.weights[e])
        test.append(scored.outOfFold[s][e])
        train.append(scored.inFold[s][e])
      }
      var gains: [String: Double] = [:]
      for f in models[s].model.forests { for imp in f.importance { gains[imp.feature, default: 0] += imp.gain } }
      let ranking = stage.features.map { (feature: $0, importance: gains[$0] ?? 0) }
      let targets = stage.backgrounds.compactMap { b in config.samples.firstIndex { $0.name == b } }.map { Int(mcIndexOf[$0]) }
      stageInputs.append(StageEvaluationInput(
        stage: stage.name, region: stage.region,
        sampleNames: mcIndices.map { config.samples[$0].name },
        sampleIsSignal: mcIndices.map { config.samples[$0].role == .signal },
        targetSamples: targets, sampleIndex: si, weight: w, testScore: test, trainScore: train,
        threshold: models[s].threshold, ranking: ranking,
        scoreRange: stage.bdt.boost == .adaboost ? -1...1 : 0...1))
    }
    let flow = CascadeFlowInput(
      sampleNames: config.samples.map(\.name), sampleRoles: config.samples.map(\.role.rawValue),
      stages: config.stages.map { (name: $0.name, region: $0.region) },
      stageTargets: config.stages.map { st in st.backgrounds.compactMap { b in config.samples.firstIndex { $0.name == b } } },
      sampleIndex: ev.sampleIndex, weight: ev.weights, scores: scored.outOfFold, thresholds: models.map(\.threshold))
    return (stageInputs, flow)
  }
}
