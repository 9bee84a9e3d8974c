import Foundation
import Testing
import TestSupport
import CascadeSupport
@testable import Evaluation

/// A hand-computed two-stage cascade: samples sig, wj, tt (MC) and data.
func handFlow() -> CascadeFlowInput {
  let nan = Double.nan
  return CascadeFlowInput(
    sampleNames: ["sig", "wj", "tt", "data"], sampleRoles: ["signal", "background", "background", "data"],
    stages: [(name: "A", region: "CR_wj"), (name: "B", region: "CR_tt")],
    sampleIndex: [0, 0, 0, 1, 1, 1, 2, 2, 3, 3],
    weight: [1, 2, 1, 3, -0.5, 2, 1.5, 1.5, 1, 1],
    scores: [
      [0.9, 0.4, 0.7, 0.1, 0.6, 0.2, 0.8, nan, 0.3, 0.9],
      [0.8, 0.9, 0.2, 0.9, 0.6, nan, 0.1, 0.5, 0.9, 0.9],
    ],
    thresholds: [0.5, 0.3])
}

@Suite struct CutflowTests {
  @Test func yieldsByHand() throws {
    let c = try Cutflow(handFlow())
    #expect(c.exitStage == [2, 0, 1, 0, 2, 0, 1, 2, 0, 2])
    #expect(c.entering[0][1] == Yield(count: 3, sumW: 4.5, sumW2: 13.25))
    #expect(c.toRegion[0][1] == Yield(count: 2, sumW: 5, sumW2: 13))
    #expect(c.surviving[0][1] == Yield(count: 1, sumW: -0.5, sumW2: 0.25))
    #expect(c.toRegion[0][3] == Yield(count: 1, sumW: 1, sumW2: 1))
    #expect(c.entering[1][2] == Yield(count: 2, sumW: 3, sumW2: 4.5))
    #expect(c.toRegion[1][2] == Yield(count: 1, sumW: 1.5, sumW2: 2.25))
    #expect(c.surviving[1][0] == Yield(count: 1, sumW: 1, sumW2: 1))
    #expect(c.regions == ["CR_wj", "CR_tt", "SR"])
    #expect(c.regionTargets == [[1], [2], [0]])
    #expect(abs(c.purity(region: 0) - 5.0 / 7) < 1e-15)
    #expect(abs(c.purity(region: 1) - 0.6) < 1e-15)
    #expect(abs(c.purity(region: 2) - 0.5) < 1e-15)
    #expect(c.signalEfficiency == 0.25)
    #expect(abs(c.backgroundRejection(sample: 1) - (1 + 0.5 / 4.5)) < 1e-15)
    #expect(c.backgroundRejection(sample: 2) == 0.5)
    // Every event is in exactly one region: region yields add up to the totals.
    for s in 0..<4 {
      let sum = c.regionYields.reduce(0.0) { $0 + $1[s].sumW }
      #expect(abs(sum - c.totals[s].sumW) < 1e-12)
      #expect(c.regionYields.reduce(0) { $0 + $1[s].count } == c.totals[s].count)
    }
  }

  @Test func workingPointScanByHand() throws {
    let flow = handFlow()
    let c = try Cutflow(flow)
    let scan = WorkingPointScan(flow: flow, cutflow: c, stage: 0)
    #expect(scan.sampleNames == ["sig", "wj", "tt"])
    let wp = try #require(scan.thresholds.firstIndex(of: 0.5))
    #expect(scan.signalEfficiency[wp] == 0.25)  // the nominal cascade efficiency
    #expect(abs(scan.efficiency[1][wp] - (-0.5 / 4.5)) < 1e-15)
    #expect(scan.efficiency[2][wp] == 0.5)  // tt's NaN score at A never routes it
    let lowest = try #require(scan.thresholds.firstIndex(of: 0.4))
    #expect(scan.signalEfficiency[lowest] == 0.75)
    #expect(scan.thresholds == scan.thresholds.sorted())
    let first = scan.efficiency[1][0]
    #expect(abs(first - 1) < 1e-15)  // lowest threshold 0.1: all wj events passing B reach the SR
  }

  @Test func badInputIsAUserError() {
    var f = handFlow()
    f.weight.removeLast()
    #expect(throws: UserError.self) { try Cutflow(f) }
    f = handFlow()
    f.sampleRoles[3] = "pseudo"
    #expect(throws: UserError.self) { try Cutflow(f) }
    f = handFlow()
    f.sampleIndex[0] = 9
    #expect(throws: UserError.self) { try Cutflow(f) }
  }
}
