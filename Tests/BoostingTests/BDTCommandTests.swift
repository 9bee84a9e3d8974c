import CascadeSupport
import Foundation
import Testing
import TestSupport
@testable import Boosting

@Suite struct BDTCommandTests {
  /// A small CSV with features a, b (b sometimes missing), weight w, label y and event number.
  func writeCSV(_ dir: String) throws -> String {
    let data = toyData(rows: 600, features: 2)
    var text = "a,b,w,y,evt\n"
    for i in 0..<600 {
      let b = i % 17 == 0 ? "" : "\(data.columns[1][i])"
      text += "\(data.columns[0][i]),\(b),\(data.weights[i]),\(data.isSignal[i] ? 1 : 0),\(i)\n"
    }
    let path = dir + "/events.csv"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func scores(_ path: String) throws -> [Double] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
      .map { Double($0.split(separator: ",").last!)! }
  }

  @Test func trainPredictInfoAndXGBoostRoundTrip() throws {
    let dir = TestPaths.temporaryDirectory("bdt-cli")
    let csv = try writeCSV(dir)
    let train = try runCascade([
      "bdt", "train", "--input", csv, "--label", "y", "--weight", "w", "--features", "a,b", "--trees", "8",
      "--depth", "3", "--folds", "2", "--event-number", "evt", "--threads", "2", "--out", dir + "/m.json",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let (model, extra) = try FoldedModel.load(path: dir + "/m.json")
    #expect(model.k == 2 && model.forests.map(\.treeCount) == [8, 8])
    #expect(extra["fold_rule"] == "evt mod k")

    let predict = try runCascade([
      "bdt", "predict", "--model", dir + "/m.json", "--input", csv, "--out", dir + "/s.csv",
      "--keep-columns", "evt", "--event-number", "evt",
    ])
    #expect(predict.status == 0, "\(predict.stderr)")
    let lines = try String(contentsOfFile: dir + "/s.csv", encoding: .utf8).split(separator: "\n")
    #expect(lines.first == "evt,score")
    // Out-of-fold: each event scored by the model of its fold (event_number mod 2).
    let s = try scores(dir + "/s.csv")
    let toy = toyData(rows: 600, features: 2)
    var b = toy.columns[1]
    for i in stride(from: 0, to: 600, by: 17) { b[i] = .nan }
    let columns = [toy.columns[0].map { Float("\($0)")! }, b]
    let expected = model.scores(columns: columns, folds: (0..<600).map { $0 % 2 })
    #expect(s == expected)

    let info = try runCascade(["bdt", "info", dir + "/m.json"])
    #expect(info.status == 0 && info.stdout.contains("folds:     2") && info.stdout.contains("trees:     8, 8"))
    let exportFails = try runCascade(["bdt", "export-xgboost", dir + "/m.json", dir + "/x.json"])
    #expect(exportFails.status == 1 && exportFails.stderr.contains("choose one with --fold"))
    #expect(try runCascade(["bdt", "export-xgboost", dir + "/m.json", dir + "/x.json", "--fold", "1"]).status == 0)
    #expect(try runCascade(["bdt", "import-xgboost", dir + "/x.json", dir + "/back.json"]).status == 0)
    let back = try FoldedModel.load(path: dir + "/back.json").model
    #expect(back.forests[0].nodes == model.forests[1].nodes)
  }

  @Test func signalAndBackgroundFilesWithAdaBoost() throws {
    let dir = TestPaths.temporaryDirectory("bdt-cli")
    try "x\n1\n2\n3\n4\n".write(toFile: dir + "/sig.csv", atomically: true, encoding: .utf8)
    try "x\n-1\n-2\n-3\n".write(toFile: dir + "/bkg.csv", atomically: true, encoding: .utf8)
    let r = try runCascade([
      "bdt", "train", "--signal", dir + "/sig.csv", "--background", dir + "/bkg.csv", "--features", "x",
      "--boost", "adaboost", "--trees", "3", "--depth", "1", "--out", dir + "/a.json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try runCascade(["bdt", "predict", "--model", dir + "/a.json", "--input", dir + "/bkg.csv", "--out", dir + "/p.csv"]).status == 0)
    #expect(try scores(dir + "/p.csv") == [-1, -1, -1])
  }

  @Test func badInputsAreOneLineErrorsWithoutOutput() throws {
    let dir = TestPaths.temporaryDirectory("bdt-cli")
    let csv = try writeCSV(dir)
    func fails(_ args: [String], _ message: String) throws {
      let r = try runCascade(args)
      #expect(r.status != 0)
      #expect(r.stderr.contains(message), "\(r.stderr)")
    }
    try fails(["bdt", "train", "--input", csv, "--label", "y", "--features", "a,bb", "--out", dir + "/m.json"],
              "cascade: error: \(csv): column \"bb\" not found (did you mean \"b\"?)")
    try fails(["bdt", "train", "--input", csv, "--label", "y", "--features", "a", "--boost", "grad", "--out", dir + "/m.json"],
              "cascade: error: The value 'grad' is invalid for '--boost <boost>'. Please provide one of 'gradient' and 'adaboost'.\n")
    try fails(["bdt", "train", "--input", csv, "--label", "y", "--features", "a", "--bins", "300", "--out", dir + "/m.json"],
              "bins must be in 2…255 (got 300)")
    try fails(["bdt", "predict", "--model", dir + "/none.json", "--input", csv, "--out", dir + "/s.csv"], "none.json: cannot read file")
    #expect(!FileManager.default.fileExists(atPath: dir + "/m.json"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/s.csv"))
  }
}
