import Boosting
import CascadeSupport

/// Every stage's scores for every event, reached or not: what evaluation needs to draw ROC
/// curves, overtraining checks and working-point scans (which move thresholds, so events may
/// reach stages they did not reach at the trained working point).
public struct ScoredEvents: Sendable {
  public var events: LoadedEvents
  /// Out-of-fold scores: outOfFold[stage][event].
  public var outOfFold: [[Double]]
  /// Scores by a model that trained on the event (TMVA's "train" sample); NaN for data.
  public var inFold: [[Double]]
  /// The stage index that routes each event to its control region, or `stages.count` for SR.
  public var exitStage: [Int]
}

/// Scores every event of a run with every stage, for evaluation (``scoreAll(_:models:extraColumns:)``).
/// Unlike ``StageRouter``, which stops scoring an event at its exit stage, this scores all stages.
public enum CascadeScorer {
  /// Loads every sample (MC and data) and scores it with every stage.
  public static func scoreAll(_ config: CascadeConfig, models: [StageModel], extraColumns: [String] = []) throws -> ScoredEvents {
    var features: [String] = []
    for s in config.stages { for f in s.features where !features.contains(f) { features.append(f) } }
    for c in extraColumns where !features.contains(c) { features.append(c) }
    let events = try EventLoader.load(config, sampleIndices: Array(config.samples.indices), columns: features)
    let isMC = config.samples.map(\.isMC)
    var oof: [[Double]] = []
    var inFold: [[Double]] = []
    for m in models {
      let cols = events.features(m.features)
      oof.append(m.model.scores(columns: cols, folds: events.folds, threads: config.training.threads))
      if m.model.k >= 2 {
        var s = m.model.inFoldScores(columns: cols, folds: events.folds, threads: config.training.threads)
        for i in s.indices where !isMC[Int(events.sampleIndex[i])] { s[i] = .nan }
        inFold.append(s)
      } else {
        inFold.append(oof.last!)
      }
    }
    let exit = (0..<events.count).map { i in
      Routing.exitStage(stageCount: models.count) { s in (oof[s][i], models[s].threshold) }
    }
    return ScoredEvents(events: events, outOfFold: oof, inFold: inFold, exitStage: exit)
  }
}
