@testable import Boosting
import CascadeSupport
import EventData
import Foundation
import Testing
import TestSupport
import Workflow

@Suite struct BDTWorkflowTests {
  /// 400 events: features x (signal shifted) and y (NaN every 13th row), label, event number.
  func writeEvents(_ dir: String) throws -> (path: String, x: [Float], y: [Float], label: [Bool]) {
    var rng = Deviates(state: 11)
    var x = [Float](), y = [Float](), label = [Bool](), text = "x,y,label,evt\n"
    for i in 0..<400 {
      let s = i % 2 == 0
      let xv = Float((s ? 1 : -1) + rng.normal()), yv: Float = i % 13 == 0 ? .nan : Float(rng.normal())
      x.append(xv); y.append(yv); label.append(s)
      text += "\(xv),\(yv.isNaN ? "" : "\(yv)"),\(s ? 1 : 0),\(i)\n"
    }
    let path = dir + "/events.csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return (path, x, y, label)
  }

  @Test func predictWritesTheModelsOwnOutOfFoldScores() throws {
    let dir = TestPaths.temporaryDirectory("workflow-bdt")
    let events = try writeEvents(dir)
    var p = BoostParameters()
    p.trees = 12; p.depth = 3; p.threads = 2
    let captured = CapturedConsole()
    let model = try BDTWorkflow.train(
      BDTTrainRequest(
        classes: .labelColumn("label", files: [events.path]), features: "x, y", eventNumber: "evt", folds: 3,
        parameters: p, output: dir + "/m.json"),
      console: captured.console())
    #expect(captured.stdout.hasPrefix("trained gradient BDT: 3 fold models, 12/12/12 trees, 2 features\nevents: 200 signal, 200 background; "))
    #expect(model.k == 3)

    try BDTWorkflow.predict(
      BDTPredictRequest(model: dir + "/m.json", input: events.path, output: dir + "/s.csv", keepColumns: "evt", eventNumber: "evt"),
      console: captured.console())
    let written = try openEventFile(dir + "/s.csv").readAll()
    let scores = try written.column(named: "score").float64Values()
    let expected = model.scores(columns: [events.x, events.y], folds: (0..<400).map { $0 % 3 })
    #expect(scores == expected)
    #expect(try written.column(named: "evt").int64Values() == (0..<400).map { Int64($0) })
    // And the margin, through the same loop.
    try BDTWorkflow.predict(
      BDTPredictRequest(model: dir + "/m.json", input: events.path, output: dir + "/m.csv", outputMargin: true, eventNumber: "evt"),
      console: captured.console())
    let margins = try openEventFile(dir + "/m.csv").readAll().column(named: "score").float64Values()
    #expect(margins == model.scores(columns: [events.x, events.y], folds: (0..<400).map { $0 % 3 }, outputMargin: true))
  }

  @Test func trainingAndPredictionRefuseAnInfiniteFeature() throws {
    let dir = TestPaths.temporaryDirectory("workflow-bdt")
    let events = try writeEvents(dir)
    var lines = try String(contentsOfFile: events.path, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[8] = "-inf,0.5,0,7"  // data row 7
    try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
    let train = userErrorMessage {
      try BDTWorkflow.train(
        BDTTrainRequest(classes: .labelColumn("label", files: [dir + "/bad.csv"]), features: "x,y", output: dir + "/bad.json"),
        console: CapturedConsole().console())
    }
    #expect(train.hasPrefix("\(dir)/bad.csv: row 7, column \"x\": feature is -inf"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/bad.json"))

    var p = BoostParameters()
    p.trees = 3
    try BDTWorkflow.train(
      BDTTrainRequest(classes: .labelColumn("label", files: [events.path]), features: "x,y", parameters: p, output: dir + "/m.json"),
      console: CapturedConsole().console())
    let predict = userErrorMessage {
      try BDTWorkflow.predict(BDTPredictRequest(model: dir + "/m.json", input: dir + "/bad.csv", output: dir + "/s.h5"), console: CapturedConsole().console())
    }
    #expect(predict.hasPrefix("\(dir)/bad.csv: row 7, column \"x\": feature is -inf"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/s.h5"))
  }

  /// Two hand-made fold forests over x, y, z: fold 0 splits on x (gain 3) then y (gain 1),
  /// fold 1 splits once on y (gain 4); z is never used.
  func handMadeModel() -> FoldedModel {
    func split(_ feature: Int32, left: Int32) -> FlatNode { FlatNode(threshold: 0, feature: feature, left: left, defaultLeft: true) }
    let leaf = FlatNode(threshold: 0, feature: -1, left: -1, defaultLeft: true)
    var f0 = Forest(featureNames: ["x", "y", "z"], boost: .gradient, baseMargin: 0)
    f0.nodes = [split(0, left: 1), split(1, left: 3), leaf, leaf, leaf]
    f0.values = [0, 0, 0.5, -0.5, 0.2]
    f0.gains = [3, 1, 0, 0, 0]
    f0.covers = [10, 6, 4, 3, 3]
    f0.treeRoots = [0]
    f0.treeWeights = [1]
    var f1 = Forest(featureNames: ["x", "y", "z"], boost: .gradient, baseMargin: 0)
    f1.nodes = [split(1, left: 1), leaf, leaf]
    f1.values = [0, 0.3, -0.3]
    f1.gains = [4, 0, 0]
    f1.covers = [10, 5, 5]
    f1.treeRoots = [0]
    f1.treeWeights = [1]
    return FoldedModel(k: 2, forests: [f0, f1])
  }

  @Test func importanceSumsTheGainsOfEveryFoldModel() {
    let ranking = FeatureImportance.ranking(handMadeModel())
    #expect(ranking == [
      RankedFeature(feature: "y", gain: 5, share: 0.625, splits: 2),
      RankedFeature(feature: "x", gain: 3, share: 0.375, splits: 1),
      RankedFeature(feature: "z", gain: 0, share: 0, splits: 0),
    ])
    let text = BDTWorkflow.infoText(handMadeModel(), path: "hand.json")
    #expect(text.contains("folds:     2\ntrees:     1, 1\nmax depth: 2\n"))
    #expect(text.hasSuffix("""
      rank  feature               importance  gain          splits
         1  y                         0.6250             5       2
         2  x                         0.3750             3       1
         3  z                         0.0000             0       0

      """))
  }

  @Test func modelFilesAreSniffedByTheirKeys() throws {
    let dir = TestPaths.temporaryDirectory("workflow-bdt")
    try handMadeModel().write(to: dir + "/ours.json")
    let xgb = TestPaths.fixture("xgboost/binary_logistic_missing.model.json")
    #expect(try ModelFormat.sniff(JSONValue.load(path: dir + "/ours.json"), source: "ours") == .cascadeBDT)
    #expect(try ModelFormat.sniff(JSONValue.load(path: xgb), source: "xgb") == .xgboostJSON)
    #expect(try ModelFile.load(dir + "/ours.json").forests.map(\.gains) == handMadeModel().forests.map(\.gains))
    let imported = try ModelFile.load(xgb)
    #expect(imported.k == 1 && imported.forests[0].treeCount > 0)

    try #"{"trees": []}"#.write(toFile: dir + "/other.json", atomically: true, encoding: .utf8)
    #expect(userErrorMessage { _ = try ModelFile.load(dir + "/other.json") }
      == "\(dir)/other.json: not a model file: neither a cascade-bdt model (key \"format\") nor an XGBoost JSON model (key \"learner\")")
    try "[1, 2]".write(toFile: dir + "/array.json", atomically: true, encoding: .utf8)
    #expect(userErrorMessage { _ = try ModelFile.load(dir + "/array.json") }
      == "\(dir)/array.json: not a model file: expected a JSON object (a cascade-bdt or XGBoost JSON model)")
    try "\u{1}\u{2}garbage".write(toFile: dir + "/garbage.json", atomically: true, encoding: .utf8)
    let garbage = userErrorMessage { _ = try ModelFile.load(dir + "/garbage.json") }
    #expect(garbage.hasPrefix("\(dir)/garbage.json: "), "\(garbage)")
  }
}
