import CascadeSupport
import Testing
@testable import Boosting

@Suite struct WeightsAndOptionsTests {
  func withNegativeWeights() -> TrainingData {
    var d = toyData(rows: 1000)
    for i in stride(from: 0, to: 1000, by: 7) { d.weights[i] = -d.weights[i] }
    return d
  }

  @Test(arguments: [NegativeWeightPolicy.ignore, .abs, .keep], [BoostType.gradient, .adaboost])
  func everyNegativeWeightPolicyGivesFiniteScores(policy: NegativeWeightPolicy, boost: BoostType) throws {
    var p = small(10)
    p.boost = boost
    p.negativeWeights = policy
    p.minChildWeight = 0
    p.lambda = 0
    let data = withNegativeWeights()
    let forest = try Trainer.train(data, parameters: p)
    let s = forest.scores(columns: data.columns)
    #expect(s.allSatisfy { $0.isFinite })
    #expect(auc(s, data.isSignal) > 0.7)
  }

  @Test func keepPolicyWithMostlyNegativeWeightsStaysFinite() throws {
    var d = toyData(rows: 400)
    // Half the weights negative: hessian sums of many nodes are ≤ 0.
    for i in stride(from: 0, to: 400, by: 2) { d.weights[i] = -0.5 * d.weights[i] }
    var p = small(10, depth: 4)
    p.negativeWeights = .keep
    p.lambda = 0
    p.minChildWeight = 0
    let forest = try Trainer.train(d, parameters: p)
    #expect(forest.scores(columns: d.columns).allSatisfy { $0.isFinite })
    #expect(forest.values.allSatisfy { $0.isFinite })
  }

  @Test func ignorePolicyWithOnlyNegativeSignalIsAnError() throws {
    var d = toyData(rows: 100)
    for i in 0..<100 where d.isSignal[i] { d.weights[i] = -1 }
    #expect(throws: UserError.self) { try Trainer.train(d, parameters: small()) }
    do { _ = try Trainer.train(d, parameters: small()) } catch let e as UserError {
      #expect(e.message.contains("no signal events"))
    }
  }

  @Test func classBalancingMakesBaseScoreOneHalf() throws {
    var d = toyData(rows: 500)
    for i in 0..<500 where d.isSignal[i] { d.weights[i] *= 0.01 }
    let balanced = try Trainer.train(d, parameters: small(1))
    #expect(abs(balanced.baseMargin) < 1e-12)
    var p = small(1)
    p.balanceClasses = false
    let raw = try Trainer.train(d, parameters: p)
    #expect(raw.baseMargin < -3)
  }

  @Test func jsonBlockOverridesAndRejectsBadKeys() throws {
    let ok = try JSONValue.parse(#"{"trees": 50, "depth": 6, "learning_rate": 0.3, "boost": "adaboost", "max_leaves": 31}"#, source: "c.json")
    let p = try BoostParameters().overriding(with: JSONCursor(ok, source: "c.json", path: "bdt"))
    #expect(p.trees == 50 && p.depth == 6 && p.learningRate == 0.3 && p.boost == .adaboost && p.maxLeaves == 31)
    #expect(try JSONValueEncoder().encode(p).objectValue?.keys == BoostParameters.jsonKeys)
    #expect(try BoostParameters().overriding(with: JSONCursor(JSONValueEncoder().encode(p), source: "x")) == p)

    func message(_ text: String) -> String {
      do {
        _ = try BoostParameters().overriding(with: JSONCursor(try JSONValue.parse(text, source: "c.json"), source: "c.json", path: "bdt"))
        return "no error"
      } catch { return "\(error)" }
    }
    #expect(message(#"{"tress": 5}"#) == #"c.json: bdt.tress: unknown key "tress" (did you mean "trees"?)"#)
    #expect(message(#"{"depth": 0}"#).hasPrefix("c.json: bdt.depth: 0 is out of range"))
    #expect(message(#"{"learning_rate": 2}"#).hasPrefix("c.json: bdt.learning_rate:"))
    #expect(message(#"{"boost": "grad"}"#).contains("unknown boost type"))
    #expect(message(#"{"bins": 256}"#).hasPrefix("c.json: bdt.bins:"))
  }

  @Test func invalidParametersAndDataAreClearErrors() throws {
    var p = small()
    p.earlyStopping = 3
    #expect(throws: UserError("bdt parameters: early_stopping needs validation_fraction > 0")) {
      try Trainer.train(toyData(rows: 50), parameters: p)
    }
    var d = toyData(rows: 50)
    d.columns[1].removeLast()
    #expect(throws: UserError("training data: feature \"x1\" has 49 values for 50 events")) {
      try Trainer.train(d, parameters: small())
    }
    #expect(throws: UserError(#"in.h5: feature "pt" not found (did you mean "pT"?)"#)) {
      try orderedColumns(["pt"], from: ["pT": [1]], source: "in.h5")
    }
  }
}
