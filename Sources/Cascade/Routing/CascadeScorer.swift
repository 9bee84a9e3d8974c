import Boosting
import CascadeSupport

/// Every stage's scores for every event, reached or not: what evaluation needs to draw ROC
/// curves, overtraining checks and working-point scans (which move thresholds, so events may
/// reach stages they did not reach at the trained working point).
public struct ScoredEvents: Sendable {
  public var events: LoadedEvents
  /// Out-of-fold scores: outOfFold[stage][event].
  public var outOfFold: [[Double]]
  /// Scores by a model that trained on the event (TMVA's "train" sample), for MC events that
  /// reach the stage; NaN for the others and for data.
  public var inFold: [[Double]]
  /// The stage index that routes each event to its control region, or `stages.count` for SR.
  public var exitStage: [Int]

  /// No events, `stages` stages.
  public init(stages: Int, columns: [String]) {
    events = LoadedEvents()
    for c in columns { events.columns[c] = [] }
    outOfFold = .init(repeating: [], count: stages)
    inFold = .init(repeating: [], count: stages)
    exitStage = []
  }

  /// The scores of `events`, one entry per stage in `outOfFold` and `inFold`.
  public init(events: LoadedEvents, outOfFold: [[Double]], inFold: [[Double]], exitStage: [Int]) {
    self.events = events
    self.outOfFold = outOfFold
    self.inFold = inFold
    self.exitStage = exitStage
  }

  /// Appends the events of `other` (same stages and columns) after these.
  public mutating func append(_ other: ScoredEvents) {
    events.append(other.events)
    for s in outOfFold.indices {
      outOfFold[s] += other.outOfFold[s]
      inFold[s] += other.inFold[s]
    }
    exitStage += other.exitStage
  }
}

/// Scores events with every stage, for evaluation. Unlike ``StageRouter``, which stops scoring
/// an event at its exit stage, this scores all stages; `cascade evaluate` scores the whole run
/// here (``scoreAll(_:models:extraColumns:)``) and `cascade run` scores each block of its apply
/// pass here once (``score(_:models:isMC:threads:outOfFold:)``), so both hold the same numbers.
public enum CascadeScorer {
  /// Loads every sample (MC and data) and scores it with every stage.
  public static func scoreAll(_ config: CascadeConfig, models: [StageModel], extraColumns: [String] = []) throws -> ScoredEvents {
    let events = try EventLoader.load(config, sampleIndices: Array(config.samples.indices), columns: columns(models, extraColumns: extraColumns))
    return score(events, models: models, isMC: config.samples.map(\.isMC), threads: config.training.threads)
  }

  /// The columns ``score(_:models:isMC:threads:outOfFold:)`` reads: every stage's features, then `extraColumns`.
  public static func columns(_ models: [StageModel], extraColumns: [String]) -> [String] {
    var features: [String] = []
    for m in models { for f in m.features where !features.contains(f) { features.append(f) } }
    for c in extraColumns where !features.contains(c) { features.append(c) }
    return features
  }

  /// Every stage's out-of-fold score of `events`, the exit stage of each by those scores, and
  /// the in-fold score of every MC event (`isMC[sampleIndex]`) that reaches the stage — what the
  /// overtraining check compares; NaN for the others, which no table reads.
  /// `outOfFold`, when given, are those scores already computed (by training): not recomputed.
  public static func score(
    _ events: LoadedEvents, models: [StageModel], isMC: [Bool], threads: Int, outOfFold known: [[Double]]? = nil
  ) -> ScoredEvents {
    let oof = known ?? models.map { m in m.model.scores(columns: events.features(m.features), folds: events.folds, threads: threads) }
    let exit = (0..<events.count).map { i in
      Routing.exitStage(stageCount: models.count) { s in (oof[s][i], models[s].threshold) }
    }
    var inFold: [[Double]] = []
    for (s, m) in models.enumerated() {
      guard m.model.k >= 2 else {
        inFold.append(oof[s])
        continue
      }
      let reached = (0..<events.count).filter { isMC[Int(events.sampleIndex[$0])] && exit[$0] >= s }
      let cols = events.features(m.features)
      var scores = [Double](repeating: .nan, count: events.count)
      if reached.count == events.count {
        scores = m.model.inFoldScores(columns: cols, folds: events.folds, threads: threads)
      } else if !reached.isEmpty {
        let sub = m.model.inFoldScores(columns: cols.map { c in reached.map { c[$0] } }, folds: reached.map { events.folds[$0] }, threads: threads)
        for (j, i) in reached.enumerated() { scores[i] = sub[j] }
      }
      inFold.append(scores)
    }
    return ScoredEvents(events: events, outOfFold: oof, inFold: inFold, exitStage: exit)
  }
}
