import CascadeSupport
import Foundation
import Testing
import TestSupport
@testable import Boosting

@Suite struct FlatnessLossTests {
  @Test func gradientByHand() throws {
    // Four background rows, unit weights, bins {0, 1} (observable 0, 1) and {2, 3} (9, 10);
    // margins 4, 3, 2, 1: bin 0 sits above the global distribution.
    let penalty = FlatnessPenalty(observable: [0, 1, 9, 10, 5], strength: 2, bins: 2)
    let loss = try #require(FlatnessLoss(
      penalty, rowOf: [0, 1, 2, 3, 4], label: [0, 0, 0, 0, 1], weight: [1, 1, 1, 1, 1], fitRows: [0, 1, 2, 3, 4]))
    #expect(loss.bins == 2 && loss.bin == [0, 0, 1, 1])
    var g: [Float] = [0, 0, 0, 0, 0.5]
    loss.addGradients(margin: [4, 3, 2, 1, 0], g: &g)
    // Global mid-CDF 7/8, 5/8, 3/8, 1/8; in-bin ¾, ¼, ¾, ¼; g += λ·w·2·(F − F_b).
    #expect(g == [0.5, 1.5, -1.5, -0.5, 0.5])
    // Equal margins (the first tree): no penalty.
    var g0: [Float] = [0, 0, 0, 0, 0]
    loss.addGradients(margin: [1, 1, 1, 1, 1], g: &g0)
    #expect(g0 == [0, 0, 0, 0, 0])
    #expect(FlatnessLoss(FlatnessPenalty(observable: [0], strength: 0), rowOf: [0], label: [0], weight: [1], fitRows: [0]) == nil)
  }

  /// Background: feature x follows the observable m; signal sits at m ≈ 0.5 with x ≈ 0.5 (a
  /// resonance), and y separates honestly. A plain BDT cuts on x and so on m.
  static func sample(_ n: Int) -> (data: TrainingData, m: [Float]) {
    var rng = SplitMix64(seed: 11)
    func u() -> Double { Double(rng.next() >> 11) * 0x1.0p-53 }
    func normal() -> Double { (-2 * log(max(u(), 1e-300))).squareRoot() * cos(2 * Double.pi * u()) }
    var x: [Float] = [], y: [Float] = [], m: [Float] = [], sig: [Bool] = []
    for i in 0..<n {
      let s = i % 2 == 0
      let mass = s ? 0.5 + 0.03 * normal() : u()
      x.append(Float(mass + 0.05 * normal()))
      y.append(Float((s ? 1 : 0) + normal()))
      m.append(Float(mass)); sig.append(s)
    }
    return (TrainingData(featureNames: ["x", "y"], columns: [x, y], isSignal: sig, weights: [Double](repeating: 1, count: n)), m)
  }

  /// Spread of the background's mean score over 10 equal bins of m.
  static func spread(_ s: [Double], _ m: [Float], _ sig: [Bool]) -> Double {
    var sum = [Double](repeating: 0, count: 10), count = sum
    for i in s.indices where !sig[i] { let b = min(9, Int(m[i] * 10)); sum[b] += s[i]; count[b] += 1 }
    let means = (0..<10).map { sum[$0] / count[$0] }
    let mu = means.reduce(0, +) / 10
    return (means.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 10).squareRoot()
  }

  @Test func flatnessFlattensTheBackgroundScoreAtAStatedAUCCost() throws {
    let (train, _) = Self.sample(6000)
    let (test, mTest) = Self.sample(6001)
    var p = small(60, depth: 3)
    p.threads = 1
    let plain = try Trainer.train(train, parameters: p)
    var flat = train
    flat.flatness = FlatnessPenalty(observable: Self.sample(6000).m, strength: 5, bins: 10)
    let decorrelated = try Trainer.train(flat, parameters: p)
    let s0 = plain.scores(columns: test.columns), s1 = decorrelated.scores(columns: test.columns)
    let spread0 = Self.spread(s0, mTest, test.isSignal), spread1 = Self.spread(s1, mTest, test.isSignal)
    let auc0 = auc(s0, test.isSignal), auc1 = auc(s1, test.isSignal)
    // Stated factor and cost: the spread falls by more than 4×, the AUC by less than 0.08.
    #expect(spread1 < spread0 / 4)
    #expect(auc0 - auc1 < 0.08)
    #expect(auc1 > 0.85)
  }

  @Test func flatnessTrainingIsThreadIndependent() throws {
    var (data, m) = Self.sample(3000)
    data.flatness = FlatnessPenalty(observable: m, strength: 3, bins: 8)
    var p = small(20, depth: 3)
    p.threads = 1
    let one = try FoldedModel.train(data, folds: (0..<3000).map { ($0 / 2) % 2 }, k: 2, parameters: p)
    p.threads = 2
    let two = try FoldedModel.train(data, folds: (0..<3000).map { ($0 / 2) % 2 }, k: 2, parameters: p)
    #expect(try one.forests.map { try JSONValueEncoder().encode($0) } == two.forests.map { try JSONValueEncoder().encode($0) })
  }
}
