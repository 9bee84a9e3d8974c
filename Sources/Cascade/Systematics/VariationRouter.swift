extension StageRouter {
  /// The regions of a block's events under a variation that replaces the columns `shifted`:
  /// a stage none of whose features is shifted keeps its nominal score wherever the nominal pass
  /// computed one and is scored only for the events the variation newly brings to it; a stage
  /// with a shifted feature re-scores every event that reaches it. Routing is `Routing.rejects`,
  /// as for the nominal events.
  ///
  /// `features(name)` gives the varied Float32 values of a feature (nominal where not shifted).
  public func routeVariation(
    nominal: Routed, count: Int, folds: [Int], shifted: Set<String>, features: (String) throws -> [Float]
  ) rethrows -> [Int8] {
    var region = [Int8](repeating: Int8(stages.count), count: count)
    var active = Array(0..<count)
    for (s, stage) in stages.enumerated() {
      if active.isEmpty { break }
      let affected = stage.features.contains(where: shifted.contains)
      let nominalScores = nominal.scores[s]
      // Events whose score must be computed: all reaching the stage if its inputs differ,
      // else only those the nominal pass did not score (they did not reach the stage).
      let toScore = affected ? active : active.filter { nominalScores[$0].isNaN }
      var computed: [Double] = []
      if !toScore.isEmpty {
        let cols = try stage.features.map { name -> [Float] in
          let all = try features(name)
          return toScore.count == count ? all : toScore.map { all[$0] }
        }
        let f = toScore.count == count ? folds : toScore.map { folds[$0] }
        computed = stage.model.scores(columns: cols, folds: f, threads: threads)
      }
      var next: [Int] = []
      next.reserveCapacity(active.count)
      var j = 0
      for i in active {
        let score: Double
        if affected || nominalScores[i].isNaN {
          score = computed[j]
          j += 1
        } else {
          score = nominalScores[i]
        }
        if Routing.rejects(score: score, threshold: stage.threshold) { region[i] = Int8(s) } else { next.append(i) }
      }
      active = next
    }
    return region
  }
}
