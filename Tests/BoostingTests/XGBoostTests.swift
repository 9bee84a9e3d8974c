import CascadeSupport
import Foundation
import Testing
import TestSupport
@testable import Boosting

@Suite struct XGBoostTests {
  /// The reference inputs: 8 columns, empty cells as NaN.
  func inputs() throws -> [[Float]] {
    let text = try String(contentsOfFile: TestPaths.fixture("xgboost/binary_logistic_missing.inputs.csv"), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    let header = lines.removeFirst().split(separator: ",")
    var cols = [[Float]](repeating: [], count: header.count)
    for line in lines {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      for (f, c) in cells.enumerated() { cols[f].append(c.isEmpty ? .nan : Float(String(c))!) }
    }
    return cols
  }

  @Test func importedMarginsMatchXGBoost() throws {
    let model = try XGBoostJSON.importModel(path: TestPaths.fixture("xgboost/binary_logistic_missing.model.json"))
    let expected = try JSONValue.load(path: TestPaths.fixture("xgboost/binary_logistic_missing.expected.json"))
    let margin = expected["margin"]!.arrayValue!.map { $0.doubleValue! }
    let prob = expected["probability"]!.arrayValue!.map { $0.doubleValue! }
    let cols = try inputs()
    #expect(model.featureNames == (0..<8).map { "x\($0)" })
    #expect(model.forests[0].treeCount == 60)
    let ours = model.forests[0].scores(columns: cols, outputMargin: true)
    #expect(ours.count == 500)
    let worst = zip(ours, margin).map { abs($0 - $1) }.max()!
    #expect(worst <= 1e-6, "largest margin difference \(worst)")
    let p = model.forests[0].scores(columns: cols)
    #expect(zip(p, prob).allSatisfy { abs($0 - $1) <= 1e-6 })
  }

  @Test func exportThenImportKeepsScores() throws {
    let data = toyData(rows: 1000)
    let forest = try Trainer.train(data, parameters: small(10))
    let json = try XGBoostJSON.export(forest)
    let back = try XGBoostJSON.importModel(JSONCursor(try JSONValue.parse(XGBoostJSON.text(json), source: "x.json"), source: "x.json"))
    let a = forest.scores(columns: data.columns, outputMargin: true)
    let b = back.forests[0].scores(columns: data.columns, outputMargin: true)
    #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
    #expect(back.forests[0].nodes == forest.nodes)
  }

  @Test func unsupportedXGBoostModelsAreClearErrors() throws {
    var v = try JSONValue.load(path: TestPaths.fixture("xgboost/binary_logistic_missing.model.json"))
    guard case .object(var root) = v, case .object(var learner) = root["learner"]! else { return }
    learner["objective"] = ["name": "reg:squarederror"]
    root["learner"] = .object(learner)
    v = .object(root)
    #expect(throws: UserError(#"m.json: learner.objective.name: objective "reg:squarederror" is not supported (only binary:logistic)"#)) {
      try XGBoostJSON.importModel(JSONCursor(v, source: "m.json"))
    }
    var ada = small(2)
    ada.boost = .adaboost
    let adaForest = try Trainer.train(toyData(rows: 100), parameters: ada)
    #expect(throws: UserError.self) { try XGBoostJSON.export(adaForest) }
  }

  @Test func baseScoreForms() throws {
    for (v, want) in [(JSONValue.string("[5.451631E-1]"), Float(0.5451631)), (.string("0.5"), 0.5), (.number(0.25), 0.25)] {
      #expect(try XGBoostJSON.baseScore(JSONCursor(v, source: "m")) == want)
    }
  }
}
