import CascadeSupport
import Foundation
import Testing
@testable import Evaluation

@Suite struct SculptingMetricTests {
  @Test func jensenShannonByHand() {
    #expect(SculptingMetrics.jensenShannon([1, 0], [0, 1]) == 1)
    #expect(SculptingMetrics.jensenShannon([0.3, 0.7], [0.3, 0.7]) == 0)
    // p = (½, ½), q = (1, 0), m = (¾, ¼): ½[½ log₂(⅔) + ½ log₂ 2] + ½ log₂(4/3).
    let expected = 0.5 * (0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25)) + 0.5 * log2(1 / 0.75)
    #expect(abs(SculptingMetrics.jensenShannon([0.5, 0.5], [1, 0]) - expected) < 1e-15)
    #expect(abs(expected - 0.311278124459133) < 1e-12)
    // Unnormalised inputs are normalised first.
    #expect(abs(SculptingMetrics.jensenShannon([2, 2], [3, 0]) - expected) < 1e-15)
    #expect(SculptingMetrics.jensenShannon([0, 0], [1, 0]).isNaN)
  }

  @Test func chi2ByHand() {
    var a = ObservableHistogram(edges: [0, 1, 2]), b = a
    a.sumW = [2, 2]; a.sumW2 = [2, 2]
    b.sumW = [1, 3]; b.sumW2 = [1, 3]
    // (½ − ¼)² / (2/16 + 1/16) + (½ − ¾)² / (2/16 + 3/16) = 1/3 + 1/5.
    let r = SculptingMetrics.chi2PerNDF(a, b)
    #expect(abs(r.chi2 - 8.0 / 15.0) < 1e-15)
    #expect(r.ndf == 1)
  }

  @Test func histogramBinsAndNegativeBins() {
    var h = ObservableHistogram(edges: [0, 10, 20, 30], values: [0, 9.99, 10, 30, 31, -1, .nan], weights: [1, 1, 2, 4, 8, 16, 32])
    #expect(h.sumW == [2, 2, 4])
    h.fill(25, weight: -6)
    // Bin 2 is now −2: clipped to 0 in the shape.
    #expect(h.shape == [0.5, 0.5, 0])
  }

  @Test func sdeByHand() {
    // Bin 0 holds scores 4, 3; bin 1 holds 2, 1 (unit weights).
    let scores: [Double] = [4, 3, 2, 1], w: [Double] = [1, 1, 1, 1], bin: [Int?] = [0, 0, 1, 1]
    // ε = ½ passes {4, 3}: efficiencies (1, 0), spread ½·¼ + ½·¼ = ¼ → SDE ½.
    #expect(SculptingMetrics.sde(scores: scores, weights: w, bin: bin, bins: 2, efficiencies: [0.5]) == 0.5)
    // ε = ¼ passes {4}: (½, 0), mean ¼, spread 1/16; SDE = √((¼ + 1/16)/2).
    let two = SculptingMetrics.sde(scores: scores, weights: w, bin: bin, bins: 2, efficiencies: [0.25, 0.5])
    #expect(abs(two - (0.15625).squareRoot()) < 1e-15)
    // Interleaved bins: flat, SDE 0.
    #expect(SculptingMetrics.sde(scores: scores, weights: w, bin: [0, 1, 1, 0], bins: 2, efficiencies: [0.5]) == 0)
  }
}

@Suite struct SculptingTests {
  /// One stage, signal + one background of 2000 events with the observable spread over [0, 100).
  func input(sculpting: Bool) -> SculptingInput {
    let n = 2000
    let x = (0..<n).map { Double($0) * 0.05 }
    // Sculpting: the stage rejects the low-mass half; else it rejects every other event.
    let exit = (0..<n).map { i in sculpting ? (x[i] < 40 ? 0 : 1) : i % 2 }
    let score = (0..<n).map { i in sculpting ? x[i] / 100 : (i % 2 == 0 ? 0.2 : 0.8) }
    return SculptingInput(
      observable: "m", edges: stride(from: 0.0, through: 100, by: 10).map { $0 },
      sampleNames: ["sig", "bkg", "data"], sampleRoles: ["signal", "background", "data"],
      stages: [(name: "A", region: "CR_bkg", targets: [1])],
      sampleIndex: [Int32](repeating: 1, count: n) + [0, 2], weight: [Double](repeating: 0.5, count: n) + [1, 1],
      value: x + [50, 50], exitStage: exit + [1, 1], scores: [score + [0.9, 0.9]])
  }

  @Test func aSculptingStageIsFlagged() throws {
    let rows = Sculpting.rows(input(sculpting: true))
    #expect(rows.count == 1)
    let r = try #require(rows.first)
    #expect(r.sample == "bkg" && r.isTarget && r.region == "CR_bkg")
    #expect(r.controlRegion.total == 400 && r.survivors.total == 600 && r.input.total == 1000)
    // CR = the four lowest bins (¼ each), input uniform (1/10 each): JSD by hand.
    let m = (0.25 + 0.1) / 2
    let jsd = 0.5 * 4 * 0.25 * log2(0.25 / m) + 0.5 * (4 * 0.1 * log2(0.1 / m) + 6 * 0.1 * log2(0.1 / 0.05))
    #expect(abs(r.jsdControlRegion - jsd) < 1e-12)
    #expect(r.sculpted)
    #expect(r.flatness > 0.3)
    let warnings = Sculpting.warnings(rows, observable: "m")
    #expect(warnings.count == 1 && warnings[0].hasPrefix("stage A sculpts m of bkg"))
    let json = try JSONValueEncoder().encode(Sculpting.records(rows))
    #expect(json.arrayValue?.first?["stage"]?.stringValue == "A")
    #expect(json.arrayValue?.first?["sculpted"]?.boolValue == true)
    #expect(json.arrayValue?.first?.objectValue?.keys.prefix(5) == ["stage", "sample", "jsd_cr", "jsd_survivors", "flatness"])
    let back = try JSONValueDecoder(source: "sculpting.json").decode([SculptingRecord].self, from: json)
    #expect(back == Sculpting.records(rows))
  }

  @Test func aStageIndependentOfTheObservableIsNotFlagged() throws {
    let r = try #require(Sculpting.rows(input(sculpting: false)).first)
    #expect(r.jsdControlRegion < 1e-4 && r.jsdSurvivors < 1e-4)
    #expect(r.ksP > 0.5)
    #expect(!r.sculpted)
    #expect(r.flatness < 0.01)
    #expect(Sculpting.markdown([r], observable: "m").contains("| A     | bkg    | yes    |"))
  }
}
