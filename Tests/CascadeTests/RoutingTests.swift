import Boosting
@testable import Cascade
import Testing

/// Pins THE routing rule and the one weighted sweep that every table, curve and working point
/// reads: the tie, NaN and ordering rules decide the last bit of every reported number.
@Suite struct RoutingTests {
  @Test func firstRejectingStageWins() {
    let scores = [0.9, 0.1, 0.05], thresholds = [0.5, 0.2, 0.3]
    #expect(Routing.exitStage(stageCount: 3) { (scores[$0], thresholds[$0]) } == 1)
    #expect(Routing.exitStage(from: 2, stageCount: 3) { (scores[$0], thresholds[$0]) } == 2)
  }

  @Test func scoreEqualToThresholdSurvivesAndNaNNeverRejects() {
    #expect(!Routing.rejects(score: 0.5, threshold: 0.5))
    #expect(Routing.rejects(score: 0.4999, threshold: 0.5))
    #expect(!Routing.rejects(score: .nan, threshold: 0.5))
    #expect(Routing.exitStage(stageCount: 2) { _ in (Double.nan, 0.5) } == 2)
    #expect(Routing.exitStage(stageCount: 0) { _ in (0, 1) } == 0)
  }

  @Test func sweepGroupsTiesAndAccumulatesPerClass() {
    let sweep = WeightedSweep(
      scores: [0.9, 0.2, 0.9, 0.5, .nan, 0.5], weights: [1, 1, 2, 1, 100, -0.5],
      classes: [1, 0, 0, 1, 1, 3], classCount: 2)
    // 0.5 appears twice, once for a class left out (3): still one step, counted once.
    #expect(sweep.thresholds == [0.9, 0.5, 0.2])
    #expect(sweep.passing(class: 1, atStep: 0) == 1)
    #expect(sweep.passing(class: 0, atStep: 0) == 2)
    #expect(sweep.passing(class: 1, atStep: 1) == 2)
    #expect(sweep.total(class: 0) == 3)
    #expect(sweep.total(class: 1) == 2)  // the NaN-scored event is left out
  }

  @Test func sweepLooksUpAnyThreshold() {
    let sweep = WeightedSweep(scores: [3, 1, 2, 2], weights: [1, 10, 100, 1000])
    #expect(sweep.passing(class: 0, threshold: 3.5) == 0)
    #expect(sweep.passing(class: 0, threshold: 3) == 1)
    #expect(sweep.passing(class: 0, threshold: 2.5) == 1)
    #expect(sweep.passing(class: 0, threshold: 2) == 1101)
    #expect(sweep.passing(class: 0, threshold: -.infinity) == 1111)
  }

  @Test func sweepSkipsStepsOfIgnoredEventsOnly() {
    let sweep = WeightedSweep(scores: [0.3, 0.2], weights: [1, 1], classes: [-1, 0], classCount: 1)
    #expect(sweep.thresholds == [0.2])
    #expect(WeightedSweep(scores: [], weights: []).total(class: 0) == 0)
  }

  @Test func tiesAreSummedInIndexOrder() {
    // 1e16 + 1 + 1 differs from 1 + 1 + 1e16 in floating point: the order is part of the contract.
    let sweep = WeightedSweep(scores: [1, 1, 1], weights: [1e16, 1, 1])
    #expect(sweep.total(class: 0) == (1e16 + 1) + 1)
    let reversed = WeightedSweep(scores: [1, 1, 1], weights: [1e16, 1, 1], order: [2, 1, 0])
    #expect(reversed.total(class: 0) == (1 + 1) + 1e16)
    #expect(WeightedSweep.descendingOrder([0.5, .nan, 0.7, 0.5]) == [2, 0, 3])
  }

  /// The radix sort against the comparison it replaces: descending score, ties (−0 = +0
  /// included) by index, NaN left out, on values with many ties, signs and infinities.
  @Test func descendingOrderIsTheComparisonSort() {
    var state: UInt64 = 7
    func next() -> UInt64 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return state >> 11
    }
    let special: [Double] = [0, -0.0, .infinity, -.infinity, .nan, 1, -1, 0.5, 1e-300, -1e300]
    for n in [0, 1, 2, 17, 5_000] {
      let scores = (0..<n).map { _ -> Double in
        let r = next()
        if r % 3 == 0 { return special[Int(r / 3 % UInt64(special.count))] }
        return (Double(r % 2_000) - 1_000) / 997 * (r % 5 == 0 ? 1e10 : 1)
      }
      let expected = scores.indices.filter { !scores[$0].isNaN }
        .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.map { Int32($0) }
      #expect(WeightedSweep.descendingOrder(scores) == expected, "n = \(n)")
    }
    // Scores in [0, 1] share their high bytes: those passes are skipped, the order is the same.
    let probabilities = (0..<3_000).map { _ in Double(next() % 1_000) / 1_000 }
    let expected = probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
    #expect(WeightedSweep.descendingOrder(probabilities) == expected.map { Int32($0) })
  }

  @Test func routerAgreesWithTheRule() throws {
    // Two trained stages on one feature; the router's regions must be exactly what the rule
    // gives on the router's own scores (NaN where a stage was not reached).
    let n = 400
    let x: [Float] = (0..<n).map { e in
      let base: Float = e % 2 == 0 ? 0.6 : 0.4
      return base + Float((e * 37) % 101) / 250
    }
    let isSignal = (0..<n).map { $0 % 2 == 0 }
    var params = BoostParameters()
    params.trees = 5
    params.depth = 2
    let data = TrainingData(featureNames: ["x"], columns: [x], isSignal: isSignal, weights: [Double](repeating: 1, count: n))
    let folds = (0..<n).map { ($0 / 2) % 2 }
    let model = try FoldedModel.train(data, folds: folds, k: 2, parameters: params)
    let sorted = model.scores(columns: [x], folds: folds, threads: 1).sorted()
    let stages = [sorted[n / 4], sorted[n / 2]].enumerated().map { k, t in
      StageModel(
        name: "s\(k)", features: ["x"], backgrounds: ["b"], region: "CR_b\(k)", model: model, threshold: t,
        workingPoint: .threshold(t),
        solution: WorkingPointSolution(threshold: t, signalEfficiency: 0, backgroundEfficiency: 0, significance: 0))
    }
    let routed = StageRouter(stages: stages, threads: 1).route(count: n, folds: folds) { _ in x }
    var reachedSR = 0
    for e in 0..<n {
      let exit = Routing.exitStage(stageCount: 2) { (routed.scores[$0][e], stages[$0].threshold) }
      #expect(Int(routed.region[e]) == exit)
      if exit == 0 { #expect(routed.scores[1][e].isNaN) }
      if exit == 2 { reachedSR += 1 }
    }
    #expect(reachedSR > 0 && reachedSR < n)
  }
}
