import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

@Suite struct BuilderTests {
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

  /// Three regions built from templates whose data are the templates scaled by known factors:
  /// the fit recovers the factors and the outputs agree with the fit.
  @Test func buildFitAndWriteOutputs() throws {
    let truth = ["signal": 0.7, "wjets": 1.3, "ttbar": 0.8]
    func region(_ name: String, _ t: [(String, [Double])]) -> RegionHistograms {
      let templates = t.map { TemplateHistogram(sample: $0.0, sumw: $0.1, sumw2: $0.1.map { $0 * 0.01 }) }
      var data = [Double](repeating: 0, count: 3)
      for (s, w) in t { for b in 0..<3 { data[b] += truth[s]! * w[b] } }
      return RegionHistograms(region: name, templates: templates, data: data)
    }
    let regions = [
      region("CR_wjets", [("wjets", [400, 300, 200]), ("ttbar", [20, 30, 20]), ("signal", [1, 2, 1])]),
      region("CR_top", [("wjets", [10, 20, 10]), ("ttbar", [300, 250, 150]), ("signal", [2, 1, 0])]),
      region("SR", [("wjets", [30, 20, 10]), ("ttbar", [20, 40, 30]), ("signal", [30, 60, 20])]),
    ]
    let fit = try block(#"{"observable": "m", "bins": 3, "range": [0, 3], "systematics": [{"name": "lumi", "type": "lumi", "data": {"sigma": 0.02}}]}"#)
    let dir = TestPaths.temporaryDirectory("fit-build")
    let (run, warnings) = try fitRegions(regions: regions, fit: fit, signalSamples: ["signal"], asimov: false, directory: dir)
    // The signal template's empty bin in CR_top is clipped with a warning naming it.
    #expect(warnings == [#"fit: region "CR_top", sample "signal": bin 2 empty or negative (sum of weights <= 0), clipped to 1e-06"#])
    #expect(run.model.poiName == "mu_signal")
    let r = run.summary.result
    #expect(r.converged)
    for (s, v) in truth {
      let i = run.model.parameterIndex("mu_\(s)")!
      #expect(abs(r.values[i] - v) < 1e-4, "mu_\(s) = \(r.values[i])")
    }
    #expect(listFiles(dir) == ["prepost.json", "result.json", "workspace.json", "yields.csv", "yields.md"])
    let ws = try WorkspaceReader.read(path: dir + "/workspace.json")
    #expect(ws == run.workspace)
    let prepost = try JSONValue.load(path: dir + "/prepost.json")
    let sr = prepost["regions"]!.arrayValue!.first { $0["name"] == "SR" }!
    #expect(sr["edges"] == JSONValue([0.0, 1, 2, 3]))
    let post = sr["postfit_total"]!.arrayValue!.map { $0.doubleValue! }
    let data = sr["data"]!.arrayValue!.map { $0.doubleValue! }
    for b in 0..<3 { #expect(abs(post[b] - data[b]) < 1e-3 * data[b]) }
    let csv = try String(contentsOfFile: dir + "/yields.csv", encoding: .utf8)
    #expect(csv.hasPrefix("region,sample,prefit,prefit_error,postfit,postfit_error\n"))
    #expect(csv.contains("\nCR_top,data,"))
  }

  @Test func asimovAndMissingDataAndUnknownRegion() throws {
    let r = RegionHistograms(region: "SR", templates: [TemplateHistogram(sample: "sig", sumw: [5, 6], sumw2: [1, 1]), TemplateHistogram(sample: "bkg", sumw: [50, 40], sumw2: [4, 4])], data: nil)
    let fit = FitBlock(observable: "m", edges: [0, 1, 2])
    let (ws, _) = try buildWorkspace(regions: [r], fit: fit, signalSamples: ["sig"], asimov: true)
    #expect(ws.observations == [Observation(name: "SR", data: [55, 46])])
    #expect(ws.measurements[0].poi == "mu_sig")
    #expect(throws: UserError(#"fit: region "SR" has no data histogram (no data sample); use --asimov"#)) {
      try buildWorkspace(regions: [r], fit: fit, signalSamples: ["sig"], asimov: false)
    }
    var f2 = fit
    f2.regions = ["SRR"]
    #expect(throws: UserError(#"fit.regions: unknown region "SRR" (did you mean "SR"?) (regions: SR)"#)) {
      try buildWorkspace(regions: [r], fit: f2, signalSamples: ["sig"], asimov: true)
    }
  }
}
