import CascadeSupport
import Foundation
import Testing
import TestSupport
@testable import Evaluation

@Suite struct DiagnosticTests {
  func write(_ text: String) throws -> String {
    let path = TestPaths.temporaryDirectory("diag") + "/scores.csv"
    try AtomicFile.write(text, to: path)
    return path
  }

  @Test func evaluatesAScoreCSV() throws {
    let path = try write("score,label,weight\n0.9,1,1\n0.8,1,1\n0.4,1,1\n0.7,0,1\n0.3,0,1\n")
    let j = try evaluateScoreCSV(path: path)
    #expect(abs((j["auc"]?.doubleValue ?? 0) - 5.0 / 6) < 1e-15)
    #expect(j["roc_points"]?.doubleValue == 6)
    #expect(j["ks_statistic"]?.doubleValue == 2.0 / 3)
  }

  @Test func badCSVNamesRowAndColumn() throws {
    let header = try write("score,weight,label\n")
    #expect(throws: UserError("\(header): row 1: expected the header \"score,label,weight\"")) { try evaluateScoreCSV(path: header) }
    let number = try write("score,label,weight\n0.5,1,1\n0.5,1,abc\n")
    #expect(throws: UserError("\(number): row 3, column weight: \"abc\" is not a number")) { try evaluateScoreCSV(path: number) }
    let label = try write("score,label,weight\n0.5,2,1\n")
    #expect(throws: UserError("\(label): row 2, column label: expected 0 or 1, found 2")) { try evaluateScoreCSV(path: label) }
  }
}
