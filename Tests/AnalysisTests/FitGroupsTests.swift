import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import Analysis
import YieldFit

/// The `fit.groups` of a config: parsed strictly, and used by `--breakdown` for a run.
@Suite struct FitGroupsTests {
  func block(_ text: String) throws -> FitBlock {
    try FitBlock.parse(JSONCursor(JSONValue.parse(text, source: "c.json"), source: "c.json", path: "fit"))
  }

  @Test func parsedInOrderWithPaths() throws {
    let b = try block(#"{"observable": "m", "edges": [0, 1], "groups": {"theory": ["xsec_*"], "lumi": ["lumi"]}}"#)
    #expect(b.groups == [ParameterGroup(name: "theory", globs: ["xsec_*"]), ParameterGroup(name: "lumi", globs: ["lumi"])])
    #expect(throws: UserError("c.json: fit.groups.lumi: needs at least one parameter name or glob")) {
      try block(#"{"observable": "m", "edges": [0, 1], "groups": {"lumi": []}}"#)
    }
    #expect(throws: UserError.self) { try block(#"{"observable": "m", "edges": [0, 1], "groups": ["lumi"]}"#) }
  }

  @Test func runBreakdownUsesTheBlockGroups() throws {
    let regions = [
      RegionHistograms(region: "SR", templates: [
        TemplateHistogram(sample: "signal", sumw: [20, 30], sumw2: [4, 9]),
        TemplateHistogram(sample: "bkg", sumw: [100, 80], sumw2: [10, 8]),
      ], data: [125, 118]),
      RegionHistograms(region: "CR", templates: [TemplateHistogram(sample: "bkg", sumw: [400, 300], sumw2: [40, 30])], data: [410, 290]),
    ]
    let fit = try block(
      #"{"observable": "m", "bins": 2, "range": [0, 2], "systematics": [{"name": "lumi", "type": "lumi", "data": {"sigma": 0.02}}, {"name": "xsec_bkg", "type": "normsys", "data": {"lo": 0.95, "hi": 1.05}, "samples": ["bkg"]}], "groups": {"mcstat": ["staterror_*"], "xsec": ["xsec_*"]}}"#)
    var request = FitRequest()
    request.publish.breakdown = true
    let dir = TestPaths.temporaryDirectory("fit-groups-run")
    let (run, _, _) = try RunFit.fitRegions(regions: regions, fit: fit, signalSamples: ["signal"], asimov: false, directory: dir, request: request)
    let b = try #require(run.publish.breakdown)
    #expect(b.groupNames == ["mcstat", "xsec"])
    #expect(b.entries.map(\.name) == ["mu_signal", "mu_bkg"])
    // The free mu_bkg absorbs the background cross-section: no xsec part for the signal, and for
    // mu_bkg the 5 % normsys itself.
    #expect(b.entries[0].groups[0] > 0 && b.entries[0].groups[1] < 1e-6)
    #expect(abs(b.entries[1].groups[1] - 0.05) < 1e-3)
    let file = try JSONFile.load(BreakdownFile.self, from: dir + "/breakdown.json")
    #expect(file.groups == ["mcstat", "xsec"])
    let md = try String(contentsOfFile: dir + "/yields.md", encoding: .utf8)
    #expect(md.hasPrefix("# Pre- and post-fit yields\n\nμ = "))
    // A glob matching nothing names the block's key.
    let bad = try block(#"{"observable": "m", "bins": 2, "range": [0, 2], "groups": {"jes": ["jes_*"]}}"#)
    #expect(throws: UserError.self) {
      try RunFit.fitRegions(regions: regions, fit: bad, signalSamples: ["signal"], asimov: false, directory: dir + "2", request: request)
    }
  }
}
