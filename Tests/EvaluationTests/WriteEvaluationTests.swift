import Foundation
import Testing
import TestSupport
import CascadeSupport
@testable import Evaluation

/// Stage A of `handFlow()` seen as an evaluation input, with a few more events.
func handStage() -> StageEvaluationInput {
  StageEvaluationInput(
    stage: "A", region: "CR_wj", sampleNames: ["sig", "wj", "tt"], sampleIsSignal: [true, false, false],
    targetSamples: [1],
    sampleIndex: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2],
    weight: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    testScore: [0.9, 0.8, 0.6, 0.3, 0.7, 0.4, 0.2, 0.1, 0.5, 0.95],
    trainScore: [0.95, 0.85, 0.7, 0.5, 0.6, 0.3, 0.1, 0.05, 0.4, 0.9],
    threshold: 0.5, ranking: [(feature: "x", importance: 0.2), (feature: "y", importance: 0.5), (feature: "z", importance: 0.2)])
}

@Suite struct WriteEvaluationTests {
  @Test func stageFiguresOfMerit() throws {
    let e = try StageEvaluation(handStage())
    #expect(e.roc.map { $0.kind } == ["target", "sample", "all"])
    #expect(e.roc[1].backgrounds == ["tt"])
    // Test scores, sig {0.9,0.8,0.6,0.3} vs wj {0.7,0.4,0.2,0.1}: 13 of 16 pairs ordered.
    #expect(abs(e.target.test.auc - 13.0 / 16) < 1e-15)
    // Train scores, sig {0.95,0.85,0.7,0.5} vs wj {0.6,0.3,0.1,0.05}: 15 of 16.
    #expect(abs(e.target.train.auc - 15.0 / 16) < 1e-15)
    #expect(abs(e.roc[2].test.auc - 16.0 / 24) < 1e-15)  // vs all six backgrounds: 5+5+4+2 of 24
    #expect(e.ranking.map { $0.feature } == ["y", "x", "z"])
    // KS train vs test for the signal: ECDFs of {0.3,0.6,0.8,0.9} and {0.5,0.7,0.85,0.95}; D = 1/4.
    #expect(abs(e.ksSignal.statistic - 0.25) < 1e-15)
    #expect(abs(e.ksSignal.pValue - Statistics.kolmogorovSurvival(0.25 * 2.0.squareRoot())) < 1e-15)
  }

  @Test func writesEveryTableDeterministically() throws {
    let dir = TestPaths.temporaryDirectory("eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try writeEvaluation(stages: [handStage()], flow: handFlow(), to: dir + "/tables")
    let files = listFiles(dir + "/tables")
    #expect(files == [
      "cutflow.csv", "cutflow.json", "cutflow.md", "efficiency.csv", "efficiency.json", "efficiency.md",
      "evaluation.json", "roc_A.csv", "wpscan_A.csv", "wpscan_B.csv",
    ])
    let first = files.map { try! String(contentsOfFile: dir + "/tables/" + $0, encoding: .utf8) }
    try writeEvaluation(stages: [handStage()], flow: handFlow(), to: dir + "/tables")
    let second = files.map { try! String(contentsOfFile: dir + "/tables/" + $0, encoding: .utf8) }
    #expect(first == second)

    let eff = try JSONValue.load(path: dir + "/tables/efficiency.json")
    let row = try #require(eff.arrayValue?.first?.objectValue)
    #expect(row.keys == [
      "stage", "auc_test", "auc_train", "sig_eff_at_bkg_0.01", "sig_eff_at_bkg_0.10", "sig_eff_at_bkg_0.30",
      "separation", "significance", "ks_p_signal", "ks_p_background", "ranking",
    ])
    #expect(row["auc_test"]?.doubleValue == 13.0 / 16)
    #expect(row["ranking"]?.arrayValue?.first?["feature"]?.stringValue == "y")

    let roc = try String(contentsOfFile: dir + "/tables/roc_A.csv", encoding: .utf8).split(separator: "\n")
    #expect(roc.first == "threshold,signal_efficiency,background_efficiency,background_rejection")
    #expect(roc[1] == "inf,0,0,1")
    #expect(roc.last == "0.1,1,1,0")

    let scan = try String(contentsOfFile: dir + "/tables/wpscan_A.csv", encoding: .utf8).split(separator: "\n")
    #expect(scan.first == "threshold,signal_efficiency,wj_efficiency,tt_efficiency")
    #expect(scan.contains("0.5,0.25,\(-0.5 / 4.5),0.5"))  // the working point reproduces the cutflow

    let cutflowCSV = try String(contentsOfFile: dir + "/tables/cutflow.csv", encoding: .utf8).split(separator: "\n")
    #expect(cutflowCSV.count == 1 + 2 * 4)
    #expect(cutflowCSV[2] == "A,CR_wj,0.5,wj,background,3,4.5,\(13.25.squareRoot()),2,5,\(13.0.squareRoot()),1,-0.5,0.5,\(-0.5 / 4.5)")
    let md = try String(contentsOfFile: dir + "/tables/cutflow.md", encoding: .utf8)
    #expect(md.contains("| CR_wj  |"))
    #expect(md.contains("0.7143"))  // CR_wj purity 5/7
  }

  @Test func invalidInputWritesNothing() {
    let dir = TestPaths.temporaryDirectory("eval-bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var stage = handStage()
    stage.trainScore.removeLast()
    #expect(throws: UserError.self) { try writeEvaluation(stages: [stage], flow: handFlow(), to: dir + "/tables") }
    #expect(listFiles(dir).isEmpty)
  }
}
