import CascadeSupport
import Foundation
import Testing
import TestSupport
@testable import Boosting

@Suite struct FoldedModelTests {
  @Test func foldAssignment() {
    #expect(Folds.assign(eventNumbers: [-1, 0, 5, 7, -6], k: 3) == [2, 0, 2, 1, 0])
    let a = Folds.assign(fileName: "/x/y/sig.h5", firstRow: 0, count: 100, k: 4)
    // Base name only; rows are absolute, so a later chunk continues the same sequence.
    #expect(a == Folds.assign(fileName: "sig.h5", firstRow: 0, count: 100, k: 4))
    #expect(Array(a[50...]) == Folds.assign(fileName: "sig.h5", firstRow: 50, count: 50, k: 4))
    #expect(Set(a) == [0, 1, 2, 3])
    #expect(a != Folds.assign(fileName: "bkg.h5", firstRow: 0, count: 100, k: 4))
  }

  @Test func everyEventIsScoredByTheModelThatNeverSawIt() throws {
    let data = toyData(rows: 600)
    let folds = Folds.assign(eventNumbers: (0..<600).map { Int64($0) }, k: 3)
    let p = small(5)
    let model = try FoldedModel.train(data, folds: folds, k: 3, parameters: p)
    #expect(model.forests.count == 3)
    for i in 0..<3 {
      // Retraining fold model i on exactly the events outside fold i reproduces it.
      var pi = p
      pi.seed = p.seed + UInt64(i)
      let alone = try Trainer.train(data.subset((0..<600).filter { folds[$0] != i }), parameters: pi)
      #expect(try JSONValueEncoder().encode(alone) == JSONValueEncoder().encode(model.forests[i]))
    }
    let oof = model.scores(columns: data.columns, folds: folds)
    let inFold = model.inFoldScores(columns: data.columns, folds: folds)
    for (j, f) in folds.enumerated() where j % 37 == 0 {
      let one = data.columns.map { [$0[j]] }
      #expect(oof[j] == model.forests[f].scores(columns: one)[0])
      #expect(inFold[j] == model.forests[(f + 1) % 3].scores(columns: one)[0])
    }
  }

  @Test func saveLoadGivesBitIdenticalScores() throws {
    let data = toyData(rows: 800)
    for boost in [BoostType.gradient, .adaboost] {
      var p = small(6)
      p.boost = boost
      p.seed = 42
      let folds = Folds.assign(fileName: "toy.h5", firstRow: 0, count: 800, k: 2)
      let model = try FoldedModel.train(data, folds: folds, k: 2, parameters: p)
      let dir = TestPaths.temporaryDirectory("boosting")
      let path = dir + "/model.json"
      try model.write(to: path, extra: JSONObject([("threshold", 0.625)]))
      let (loaded, extra) = try FoldedModel.load(path: path)
      #expect(extra["threshold"] == 0.625)
      var recorded = p
      recorded.threads = 0  // the thread count is not part of the model
      #expect(loaded.parameters == recorded)
      #expect(loaded.k == 2)
      #expect(loaded.scores(columns: data.columns, folds: folds) == model.scores(columns: data.columns, folds: folds))
      #expect(loaded.scores(columns: data.columns, folds: folds, outputMargin: true) == model.scores(columns: data.columns, folds: folds, outputMargin: true))
      try loaded.write(to: dir + "/again.json", extra: extra)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == String(contentsOfFile: dir + "/again.json", encoding: .utf8))
    }
  }

  @Test func corruptModelFilesAreClearErrors() throws {
    let dir = TestPaths.temporaryDirectory("boosting")
    let model = try FoldedModel.train(toyData(rows: 200), folds: Array(repeating: 0, count: 200), k: 1, parameters: small(2))
    guard case .object(var o) = try JSONValueEncoder().encode(model) else { return }
    o["version"] = 7
    try AtomicFile.write(JSONValue.object(o).serialized(), to: dir + "/v7.json")
    #expect(throws: UserError("\(dir)/v7.json: version: unsupported model version 7 (this cascade reads version 1)")) {
      try FoldedModel.load(path: dir + "/v7.json")
    }
    o["version"] = 1
    o["forests"] = [["boost": "gradient", "features": ["x0", "x1", "x2"], "base_margin": 0, "trees": [["weight": 1, "feature": [5, -1, -1], "threshold": [0, 0, 0], "default_left": [false, false, false], "left": [1, -1, -1], "value": [0, 1, 2], "gain": [0, 0, 0], "cover": [0, 0, 0]]]]]
    try AtomicFile.write(JSONValue.object(o).serialized(), to: dir + "/bad.json")
    #expect(throws: UserError("\(dir)/bad.json: forests[0].trees[0].feature[0]: feature index 5 out of range")) {
      try FoldedModel.load(path: dir + "/bad.json")
    }
  }
}
