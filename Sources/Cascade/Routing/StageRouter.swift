import Boosting
import CascadeSupport

/// Routes events through the trained stages: an event goes to the control region of the first
/// stage whose score falls below its threshold, else to `SR`. Scores of stages an event never
/// reaches are NaN.
public struct StageRouter: Sendable {
  public let stages: [StageModel]
  public let threads: Int

  /// A router through `stages` in cascade order, scoring with `threads` workers (0 = all cores;
  /// the result does not depend on it).
  public init(stages: [StageModel], threads: Int = 0) {
    self.stages = stages
    self.threads = threads
  }

  /// Region names in index order (`region` column values index into this list).
  public var regions: [String] { stages.map(\.region) + [CascadeConfig.signalRegion] }

  /// The result of routing one block of events: every stage's score and each event's region.
  public struct Routed: Sendable {
    /// scores[stage][event], NaN where not reached.
    public var scores: [[Double]]
    /// Index into `regions`.
    public var region: [Int8]
  }

  /// `features(name)` gives the Float32 values of a feature for the block's events.
  public func route(count: Int, folds: [Int], features: (String) throws -> [Float]) rethrows -> Routed {
    var scores = [[Double]](repeating: [Double](repeating: .nan, count: count), count: stages.count)
    var region = [Int8](repeating: Int8(stages.count), count: count)
    var active = Array(0..<count)
    for (s, stage) in stages.enumerated() {
      if active.isEmpty { break }
      let cols = try stage.features.map { name -> [Float] in
        let all = try features(name)
        return active.count == count ? all : active.map { all[$0] }
      }
      let f = active.count == count ? folds : active.map { folds[$0] }
      let sc = stage.model.scores(columns: cols, folds: f, threads: threads)
      var next: [Int] = []
      next.reserveCapacity(active.count)
      for (j, i) in active.enumerated() {
        scores[s][i] = sc[j]
        if Routing.rejects(score: sc[j], threshold: stage.threshold) { region[i] = Int8(s) } else { next.append(i) }
      }
      active = next
    }
    return Routed(scores: scores, region: region)
  }

  /// What ``route(count:folds:features:)`` returns, from every stage's score of every event
  /// (``CascadeScorer/score(_:models:isMC:threads:outOfFold:)``): scores of stages after the exit stage
  /// become NaN, as if never computed. Scores are per event, so both give the same bits.
  public static func routed(_ scored: ScoredEvents) -> Routed {
    var scores = scored.outOfFold
    for s in scores.indices {
      for i in scores[s].indices where scored.exitStage[i] < s { scores[s][i] = .nan }
    }
    return Routed(scores: scores, region: scored.exitStage.map { Int8($0) })
  }
}
