import Boosting
import Cascade
import CascadeSupport
import Foundation
import TestSupport
import Testing

@Suite struct DecorrelationTests {
  func parse(_ decorrelate: String, boost: String = "gradient") throws -> CascadeConfig {
    let dir = TestPaths.temporaryDirectory("decorrelate")
    for f in ["s.h5", "b.h5"] { FileManager.default.createFile(atPath: dir + "/" + f, contents: Data()) }
    let text = """
      {"name": "t", "samples": [{"name": "s", "role": "signal", "files": "s.h5"}, {"name": "b", "role": "background", "files": "b.h5"}],
       "bdt": {"boost": "\(boost)"},
       "stages": [{"name": "vs_b", "background": "b", "features": ["x"], "working_point": {"signal_efficiency": 0.9},
                   "decorrelate": \(decorrelate)}]}
      """
    return try CascadeConfig.parse(bytes: Array(text.utf8), source: "c.json", resolvingAgainst: dir + "/c.json")
  }

  @Test func parsesTheOption() throws {
    let c = try parse(#"{"observable": "m_lg", "method": "flatness", "strength": 4, "bins": 12}"#)
    #expect(c.stages[0].decorrelate == Decorrelation(observable: "m_lg", method: .flatness, strength: 4, bins: 12))
    let r = try parse(#"{"observable": "m_lg", "method": "reweight"}"#)
    #expect(r.stages[0].decorrelate == Decorrelation(observable: "m_lg", method: .reweight, strength: 1, bins: 20))
  }

  @Test func rejectsBadOptions() {
    func message(_ d: String, boost: String = "gradient") -> String {
      do { _ = try parse(d, boost: boost); return "" } catch { return "\(error)" }
    }
    #expect(message(#"{"observable": "m", "method": "planing"}"#).contains("stages[0].decorrelate.method: must be reweight or flatness"))
    #expect(message(#"{"observable": "m", "method": "flatness"}"#, boost: "adaboost").contains("flatness needs"))
    #expect(message(#"{"observable": "m", "method": "reweight", "strength": -1}"#).contains("decorrelate.strength: must be ≥ 0"))
    #expect(message(#"{"observable": "m", "method": "reweight", "bins": 1}"#).contains("decorrelate.bins"))
    #expect(message(#"{"observable": "m", "metod": "reweight"}"#).contains("did you mean \"method\""))
  }

  @Test func planingWeightsByHand() {
    // Signal m = 1, 2, 3, 4 → 2 equal-weight bins split at 3: S = (½, ½).
    // Background m = 0, 0.5 | 5, 6, 7, 8 (+ a negative weight at 9, ignored in the histogram):
    // B = (⅓, ⅔) → factors 3/2 and ¾.
    let m: [Float] = [1, 2, 3, 4, 0, 0.5, 5, 6, 7, 8, 9]
    let isSignal = [true, true, true, true, false, false, false, false, false, false, false]
    let w: [Double] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1]
    let out = StageDecorrelation.planingWeights(
      observable: m, isSignal: isSignal, weights: w, folds: [Int](repeating: 0, count: 11), k: 1,
      policy: .ignore, bins: 2, strength: 1)
    #expect(out == [1, 1, 1, 1, 1.5, 1.5, 0.75, 0.75, 0.75, 0.75, -0.75])
    let half = StageDecorrelation.planingWeights(
      observable: m, isSignal: isSignal, weights: w, folds: [Int](repeating: 0, count: 11), k: 1,
      policy: .ignore, bins: 2, strength: 0.5)
    #expect(abs(half[4] - 1.5.squareRoot()) < 1e-15 && abs(half[6] - 0.75.squareRoot()) < 1e-15)
  }

  @Test func planingStaysWithinEachFold() {
    var m: [Float] = [], isSignal: [Bool] = [], folds: [Int] = []
    for i in 0..<400 { m.append(Float(i % 97)); isSignal.append(i % 3 == 0); folds.append(i % 2) }
    let w = [Double](repeating: 1, count: 400)
    let a = StageDecorrelation.planingWeights(observable: m, isSignal: isSignal, weights: w, folds: folds, k: 2, policy: .ignore, bins: 5, strength: 1)
    // Moving the fold-1 events changes nothing in fold 0.
    var m2 = m
    for i in 0..<400 where folds[i] == 1 { m2[i] += 50 }
    let b = StageDecorrelation.planingWeights(observable: m2, isSignal: isSignal, weights: w, folds: folds, k: 2, policy: .ignore, bins: 5, strength: 1)
    for i in 0..<400 where folds[i] == 0 { #expect(a[i] == b[i]) }
    #expect(a != w)
    // Each fold's background now has the signal's bin shares: total background weight kept per fold.
    for f in 0..<2 {
      let bkg = (0..<400).filter { folds[$0] == f && !isSignal[$0] }
      let total = bkg.reduce(0.0) { $0 + a[$1] }
      #expect(abs(total - Double(bkg.count)) < 1e-9)
    }
  }
}
