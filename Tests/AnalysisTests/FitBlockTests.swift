import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import Analysis
import YieldFit

/// The config's `fit` block: strict parsing with JSON paths.
@Suite struct FitBlockTests {
  func block(_ text: String) throws -> FitBlock {
    try FitBlock.parse(JSONCursor(JSONValue.parse(text, source: "c.json"), source: "c.json", path: "fit"))
  }

  func blockError(_ text: String) -> String? {
    do { _ = try block(text); return nil } catch let e as UserError { return e.message } catch { return "\(error)" }
  }

  @Test func parsesBinsAndRange() throws {
    let b = try block(#"{"observable": "m", "bins": 4, "range": [60, 100], "normfactors": {"ttbar": "mu_top"}}"#)
    #expect(b.edges == [60, 70, 80, 90, 100])
    #expect(b.staterror && b.regions == nil && b.poi == nil)
    #expect(b.normfactors == ["ttbar": "mu_top"])
  }

  @Test func strictErrorsWithPaths() {
    #expect(blockError(#"{"observable": "m", "bins": 4, "range": [60, 100], "stat_error": true}"#)
      == #"c.json: fit.stat_error: unknown key "stat_error" (did you mean "staterror"?)"#)
    #expect(blockError(#"{"observable": "m", "edges": [1, 3, 2]}"#) == "c.json: fit.edges[2]: edges must increase")
    #expect(blockError(#"{"observable": "m", "bins": 4}"#) == #"c.json: fit: "bins" needs "range": [low, high]"#)
    #expect(blockError(#"{"observable": "m", "edges": [1, 2], "systematics": [{"name": "x", "type": "normsys", "data": {"lo": 0.9}}]}"#)
      == #"c.json: fit.systematics[0].data: missing required key "hi""#)
    #expect(blockError(#"{"observable": "m", "edges": [1, 2], "systematics": [{"name": "x", "type": "shapesys", "data": [1, 2]}]}"#)
      == "c.json: fit.systematics[0].data: has 2 values, the sample has 1 bins")
  }

  @Test func systematicsReadThroughTheWorkspaceReader() throws {
    let b = try block(
      #"{"observable": "m", "edges": [0, 1, 2], "systematics": [{"name": "lumi", "type": "lumi", "data": {"sigma": 0.02}}, {"name": "jes", "type": "normsys", "data": {"lo": 0.9, "hi": 1.1}, "samples": ["ttbar"], "regions": ["SR"]}, {"name": "mu_x", "type": "normfactor"}]}"#)
    #expect(b.systematics == [
      FitBlock.Systematic(name: "lumi", kind: .lumi, lumiSigma: 0.02),
      FitBlock.Systematic(name: "jes", kind: .normsys(lo: 0.9, hi: 1.1), samples: ["ttbar"], regions: ["SR"]),
      FitBlock.Systematic(name: "mu_x", kind: .normfactor),
    ])
    #expect(b.binCount == 2 && b.workspace.edges == [0, 1, 2])
    #expect(blockError(#"{"observable": "m", "edges": [0, 1], "systematics": [{"name": "lumi", "type": "lumi", "data": {"sigma": -1}}]}"#)
      == "c.json: fit.systematics[0].data.sigma: sigma must be positive")
  }
}
