import Boosting
@testable import Cascade
import Testing

/// A shift variation's regions come from `StageRouter.routeVariation`, which re-scores only the
/// stages whose features are shifted and reuses the nominal scores of the others. Whatever it
/// saves, its regions must be exactly those of an independent routing of the shifted events.
@Suite struct VariationRoutingTests {
  static let n = 600

  /// Two features, separable by both; stage 0 and 2 read `x`, stage 1 reads `y`.
  static func cascade() throws -> (router: StageRouter, x: [Float], y: [Float], folds: [Int]) {
    let n = Self.n
    let isSignal = (0..<n).map { $0 % 2 == 0 }
    let x: [Float] = (0..<n).map { e in (isSignal[e] ? 0.6 : 0.4) + Float((e * 37) % 101) / 250 }
    let y: [Float] = (0..<n).map { e in (isSignal[e] ? 0.55 : 0.45) + Float((e * 53) % 97) / 200 }
    let folds = (0..<n).map { ($0 / 2) % 2 }
    var params = BoostParameters()
    params.trees = 5
    params.depth = 2
    func model(_ name: String, _ v: [Float]) throws -> FoldedModel {
      let data = TrainingData(featureNames: [name], columns: [v], isSignal: isSignal, weights: [Double](repeating: 1, count: n))
      return try FoldedModel.train(data, folds: folds, k: 2, parameters: params)
    }
    let mx = try model("x", x), my = try model("y", y)
    func quantile(_ m: FoldedModel, _ v: [Float], _ q: Double) -> Double {
      m.scores(columns: [v], folds: folds, threads: 1).sorted()[Int(q * Double(n))]
    }
    let specs: [(String, FoldedModel, [Float], Double)] = [("x", mx, x, 0.2), ("y", my, y, 0.25), ("x", mx, x, 0.4)]
    let stages = specs.enumerated().map { k, spec in
      let t = quantile(spec.1, spec.2, spec.3)
      return StageModel(
        name: "s\(k)", features: [spec.0], backgrounds: ["b\(k)"], region: "CR_b\(k)", model: spec.1, threshold: t,
        workingPoint: .threshold(t),
        solution: WorkingPointSolution(threshold: t, signalEfficiency: 0, backgroundEfficiency: 0, significance: 0))
    }
    return (StageRouter(stages: stages, threads: 1), x, y, folds)
  }

  @Test(arguments: [Float(0.06), Float(-0.06)])
  func shiftedRoutingEqualsAnIndependentRouting(shift: Float) throws {
    let (router, x, y, folds) = try Self.cascade()
    let n = Self.n
    // The shift moves x by an event-dependent amount, so events cross every x threshold.
    let shifted = (0..<n).map { x[$0] + shift * Float(1 + $0 % 3) }
    let nominal = router.route(count: n, folds: folds) { $0 == "x" ? x : y }
    let varied = router.routeVariation(nominal: nominal, count: n, folds: folds, shifted: ["x"]) { $0 == "x" ? shifted : y }
    let independent = router.route(count: n, folds: folds) { $0 == "x" ? shifted : y }
    #expect(varied == independent.region)

    // The test means something only if events migrate and the reuse path is taken: some events
    // reach the unshifted stage 1 in both passes (nominal score reused), some only in the
    // varied one (scored afresh).
    let migrated = (0..<n).filter { nominal.region[$0] != varied[$0] }.count
    let reused = (0..<n).filter { nominal.region[$0] >= 1 && varied[$0] >= 1 }.count
    let newlyReached = (0..<n).filter { nominal.region[$0] == 0 && varied[$0] >= 1 }.count
    #expect(migrated > 10)
    #expect(reused > 100)
    let lost = (0..<n).filter { nominal.region[$0] >= 1 && varied[$0] == 0 }.count
    // x up moves events past stage 0 (they need a stage-1 score), x down moves them into CR_b0.
    #expect(shift > 0 ? newlyReached > 0 : lost > 0)
  }

  @Test func unshiftedFeaturesGiveTheNominalRegions() throws {
    let (router, x, y, folds) = try Self.cascade()
    let nominal = router.route(count: Self.n, folds: folds) { $0 == "x" ? x : y }
    // A variation that names a feature no stage reads reuses every nominal score.
    let varied = router.routeVariation(nominal: nominal, count: Self.n, folds: folds, shifted: ["z"]) { $0 == "x" ? x : y }
    #expect(varied == nominal.region)
  }
}
