import CascadeSupport
import Foundation
import Testing
import TestSupport
@testable import Boosting

@Suite struct GradientTests {
  @Test func separableOneFeatureGivesAUCOne() throws {
    let x: [Float] = (0..<200).map { Float($0) }
    let sig = x.map { $0 >= 100 }
    let data = TrainingData(featureNames: ["pt"], columns: [x], isSignal: sig, weights: Array(repeating: 1, count: 200))
    let forest = try Trainer.train(data, parameters: small(5, depth: 1))
    let s = forest.scores(columns: [x])
    #expect(auc(s, sig) == 1)
    #expect(s.allSatisfy { $0 > 0 && $0 < 1 })
    // The single split sits between 99 and 100: x < 100 goes left.
    #expect(forest.nodes[0].threshold == 100)
  }

  @Test func learnsToySeparation() throws {
    let data = toyData(rows: 2000)
    let forest = try Trainer.train(data, parameters: small(20))
    let a = auc(forest.scores(columns: data.columns), data.isSignal, data.weights)
    #expect(a > 0.75)
    #expect(forest.treeCount == 20)
    #expect(forest.maxDepth <= 3)
    // x0 carries the largest shift: it ranks first.
    #expect(forest.importance.first?.feature == "x0")
    #expect(abs(forest.ranking.reduce(0) { $0 + $1.importance } - 1) < 1e-12)
  }

  @Test func weightTwoEqualsDuplicatedEvent() throws {
    var a = toyData(rows: 300, features: 2)
    var b = a
    a.weights[5] = 2 * a.weights[5]
    for f in 0..<2 { b.columns[f].append(b.columns[f][5]) }
    b.isSignal.append(b.isSignal[5]); b.weights.append(b.weights[5])
    var p = small(8)
    // λ = 0 and no hessian floor: the model does not depend on the overall weight scale,
    // which normalisation to the event count changes by one event.
    p.lambda = 0
    p.minChildWeight = 0
    let fa = try Trainer.train(a, parameters: p), fb = try Trainer.train(b, parameters: p)
    #expect(fa.nodes.map(\.feature) == fb.nodes.map(\.feature))
    #expect(fa.nodes.map(\.threshold) == fb.nodes.map(\.threshold))
    let sa = fa.scores(columns: a.columns), sb = fb.scores(columns: a.columns)
    // Gradients are Float32: the rescaled weights round differently in the last bits.
    #expect(sa.indices.allSatisfy { abs(sa[$0] - sb[$0]) < 1e-6 })
  }

  @Test func nanRowsFollowLearnedDefaultDirection() throws {
    // Signal has x missing, background has x in [0, 1): only the NaN bin separates.
    var x: [Float] = [], y: [Float] = [], sig: [Bool] = []
    for i in 0..<400 {
      let s = i % 2 == 0
      x.append(s ? .nan : Float(i % 97) / 97)
      y.append(Float(i % 13))
      sig.append(s)
    }
    let data = TrainingData(featureNames: ["x", "y"], columns: [x, y], isSignal: sig, weights: Array(repeating: 1, count: 400))
    var p = small(5, depth: 2)
    p.learningRate = 0.5
    let forest = try Trainer.train(data, parameters: p)
    let s = forest.scores(columns: [x, y])
    #expect(auc(s, sig) == 1)
    let nanScore = forest.scores(columns: [[.nan], [3]])[0]
    let valueScore = forest.scores(columns: [[0.5], [3]])[0]
    #expect(nanScore > 0.8 && valueScore < 0.2)
  }

  @Test func unseenNaNIsScoredFinitely() throws {
    let data = toyData(rows: 500, features: 2)
    let forest = try Trainer.train(data, parameters: small(5))
    let s = forest.scores(columns: [[.nan, 0, .infinity, -.infinity], [.nan, .nan, 1, 1]])
    #expect(s.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 })
  }

  @Test func oneAndTwoThreadsGiveIdenticalModelBytes() throws {
    // More rows than one histogram block (32 768) so the block reduction is exercised.
    let data = toyData(rows: 70_000, features: 3, seed: 11)
    var p = small(4, depth: 3)
    p.subsample = 0.8
    p.colsample = 0.7
    p.validationFraction = 0.1
    var p2 = p
    p2.threads = 2
    var p3 = p
    p3.threads = 3
    let one = try JSONFile.text(FoldedModel(k: 1, forests: [try Trainer.train(data, parameters: p)], parameters: p))
    let two = try JSONFile.text(FoldedModel(k: 1, forests: [try Trainer.train(data, parameters: p2)], parameters: p))
    let three = try JSONFile.text(FoldedModel(k: 1, forests: [try Trainer.train(data, parameters: p3)], parameters: p))
    #expect(one == two)
    #expect(one == three)
  }

  @Test func leafWiseGrowthRespectsMaxLeaves() throws {
    let data = toyData(rows: 1000)
    var p = small(5, depth: 10)
    p.maxLeaves = 5
    let forest = try Trainer.train(data, parameters: p)
    for t in 0..<forest.treeCount {
      let leaves = forest.nodeRange(ofTree: t).filter { forest.nodes[$0].feature < 0 }.count
      #expect(leaves <= 5 && leaves >= 2)
    }
    #expect(auc(forest.scores(columns: data.columns), data.isSignal) > 0.75)
  }

  @Test func earlyStoppingTruncatesToBestIteration() throws {
    let data = toyData(rows: 1500, shift: 0.3)
    var p = small(200, depth: 6)
    p.learningRate = 0.5
    p.validationFraction = 0.3
    p.earlyStopping = 5
    let forest = try Trainer.train(data, parameters: p)
    #expect(forest.treeCount < 200)
    #expect(forest.validationLoss.count == forest.treeCount)
    #expect(forest.validationLoss.last == forest.validationLoss.min())
  }

  @Test func regularisationLimitsApply() throws {
    let data = toyData(rows: 1000)
    var p = small(3, depth: 4)
    p.minNodeSize = 20
    let forest = try Trainer.train(data, parameters: p)
    // Each child holds ≥ 20 % of the training weight: at most 5 leaves per tree.
    for t in 0..<forest.treeCount {
      #expect(forest.nodeRange(ofTree: t).filter { forest.nodes[$0].feature < 0 }.count <= 5)
    }
    p = small(3)
    p.minSplitGain = 1e9
    let stump = try Trainer.train(data, parameters: p)
    #expect(stump.nodes.allSatisfy { $0.feature < 0 })
  }
}
