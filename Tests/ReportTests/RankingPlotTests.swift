import CascadeSupport
import Foundation
import FoundationXML
import Testing
import TestSupport
import YieldFit
@testable import Report

@Suite struct RankingPlotTests {
  static let impacts = """
    {"poi": "mu", "targets": ["mu"], "impacts": [
      {"name": "jes", "pull": 0.5, "constraint": 0.8, "prefit": [0.12, -0.1], "postfit": [0.09, -0.08]},
      {"name": "mu_bkg", "pull": 0.07, "constraint": 0.04, "prefit": null, "postfit": [0.05, -0.05]},
      {"name": "stat[0]", "pull": -0.2, "constraint": 0.95, "prefit": [0.02, -0.02], "postfit": [0.019, -0.018]}],
     "failed_refits": []}
    """
  static let breakdown = """
    {"poi": "mu", "groups": ["jes"], "parameters": [{"name": "mu", "value": 1.1, "total": 0.2, "stat": 0.15,
      "syst": 0.1322875655532295, "groups": {"jes": 0.1}}], "failed_refits": []}
    """

  @Test func rankingPlotHasBarsAndPulls() throws {
    let dir = TestPaths.temporaryDirectory("ranking")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write(Self.impacts, to: dir + "/impacts.json")
    let file = try JSONFile.load(ImpactsFile.self, from: dir + "/impacts.json")
    #expect(file.impacts.map(\.name) == ["jes", "mu_bkg", "stat[0]"] && file.impacts[1].prefit == nil)
    let svg = RankingPlots.ranking(file, id: "r")
    _ = try XMLDocument(xmlString: svg, options: [])
    func count(_ s: String) -> Int { svg.components(separatedBy: s).count - 1 }
    #expect(count("class=\"postfit-up\"") == 3 && count("class=\"postfit-down\"") == 3)
    #expect(count("class=\"prefit-up\"") == 2)
    // Pulls only for constrained parameters (mu_bkg has no pre-fit width).
    #expect(count("class=\"pull\"") == 2)
    let jes = try #require(svg.range(of: ">jes<")), stat = try #require(svg.range(of: ">stat[0]<"))
    #expect(jes.lowerBound < stat.lowerBound)
    // Impacts are cut at `limit`.
    #expect(RankingPlots.ranking(file, limit: 1, id: "r").components(separatedBy: "class=\"postfit-up\"").count - 1 == 1)
  }

  @Test func reportShowsRankingAndBreakdown() throws {
    let dir = TestPaths.temporaryDirectory("ranking-report")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write(#"{"converged": true, "twice_nll": 1, "edm": 0, "poi": "mu", "parameters": [], "correlation": []}"#, to: dir + "/result.json")
    #expect(try FitView.load(fitDirectory: dir)?.impacts == nil)
    try AtomicFile.write(Self.impacts, to: dir + "/impacts.json")
    try AtomicFile.write(Self.breakdown, to: dir + "/breakdown.json")
    let fit = try #require(try FitView.load(fitDirectory: dir))
    #expect(fit.breakdown?.parameters.first?.groups["jes"] == 0.1)
    let table = RankingPlots.breakdownTable(try #require(fit.breakdown))
    #expect(table.header == ["Parameter", "Value", "Total", "Stat", "Syst", "jes"])
    #expect(table.rows == [["mu", "1.1000", "0.200", "0.150", "0.132", "0.100"]])
    // A broken file is an error naming it.
    try AtomicFile.write(#"{"poi": "mu", "targets": ["mu"], "impacts": [{"name": "x"}], "failed_refits": []}"#, to: dir + "/impacts.json")
    #expect(throws: UserError.self) { try FitView.load(fitDirectory: dir) }
  }
}
