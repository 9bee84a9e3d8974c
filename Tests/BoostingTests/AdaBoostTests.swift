import Testing
@testable import Boosting

@Suite struct AdaBoostTests {
  @Test func seedGiniExample() throws {
    // Photon pT 20 GeV (signal), 30 and 50 GeV (background).
    let pt = [20.0, 30, 50], sig = [true, false, false], w = [1.0, 1, 1]
    #expect(Gini.splitIndex(values: pt, isSignal: sig, weights: w, threshold: 25) == 0)
    #expect(abs(Gini.splitIndex(values: pt, isSignal: sig, weights: w, threshold: 40) - 1.0 / 3) < 1e-15)
    // The trainer picks the pure cut: between 20 and 30 (x < 30 goes left).
    var p = BoostParameters()
    p.boost = .adaboost
    p.trees = 1
    p.depth = 1
    p.balanceClasses = false
    let data = TrainingData(featureNames: ["photon_pt"], columns: [pt.map { Float($0) }], isSignal: sig, weights: w)
    let forest = try Trainer.train(data, parameters: p)
    #expect(forest.nodes[0].feature == 0 && forest.nodes[0].threshold == 30)
    #expect(forest.scores(columns: data.columns) == [1, -1, -1])
  }

  @Test func scoresStayInRangeAndSeparate() throws {
    let data = toyData(rows: 2000)
    var p = small(30, depth: 3)
    p.boost = .adaboost
    let forest = try Trainer.train(data, parameters: p)
    let s = forest.scores(columns: data.columns)
    #expect(s.allSatisfy { $0 >= -1 && $0 <= 1 })
    #expect(auc(s, data.isSignal, data.weights) > 0.75)
    #expect(forest.treeWeights.allSatisfy { $0 > 0 })
    let margin = forest.scores(columns: data.columns, outputMargin: true)
    let total = forest.treeWeights.reduce(0, +)
    #expect(abs(margin[0] / total - s[0]) < 1e-12)
  }
}
