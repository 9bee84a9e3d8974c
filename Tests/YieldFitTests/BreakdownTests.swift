import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

@Suite struct BreakdownTests {
  @Test func globs() {
    #expect(globMatches("jes_*", "jes_up"))
    #expect(globMatches("jes_*", "jes_"))
    #expect(!globMatches("jes_*", "jer_up"))
    #expect(globMatches("stat_?R", "stat_SR"))
    #expect(globMatches("*", "anything"))
    #expect(globMatches("a*b*c", "axxbyyc") && !globMatches("a*b*c", "axxbyy"))
  }

  /// stat = the error with every constrained parameter fixed at its best fit; stat² + syst² =
  /// total²; a group of every constrained parameter carries the whole systematic part.
  @Test func statSystAndGroups() throws {
    let (fitter, data, best) = try publishFit()
    let model = fitter.model
    let groups = [
      ParameterGroup(name: "jes", globs: ["jes"]), ParameterGroup(name: "mcstat", globs: ["stat_*"]),
      ParameterGroup(name: "all", globs: ["jes", "shape", "stat_SR", "stat_CR"]),
    ]
    let b = try fitter.breakdown(data, best: best, groups: groups, source: "groups", threads: 1)
    #expect(b.entries.map(\.name) == ["mu", "mu_bkg"])
    let poi = model.poiIndex!
    let constrained = model.parameterSets.filter { $0.constraint != .unconstrained }.flatMap { s in (0..<s.count).map { s.offset + $0 } }
    let statFit = fitter.fit(data, fixedValues: Dictionary(uniqueKeysWithValues: constrained.map { ($0, best.values[$0]) }), start: best.values)
    let mu = b.entries[0]
    #expect(abs(mu.stat - statFit.errors[poi]) < 1e-9)
    #expect(abs(mu.total - best.errors[poi]) < 1e-12)
    #expect(abs(mu.stat * mu.stat + mu.syst * mu.syst - mu.total * mu.total) < 1e-9)
    #expect(mu.stat > 0 && mu.syst > 0)
    #expect(abs(mu.groups[2] - mu.syst) < 1e-9)
    #expect(mu.groups[0] > 0 && mu.groups[0] < mu.syst)
    #expect(try fitter.breakdown(data, best: best, groups: groups, source: "groups", threads: 2) == b)
    let file = try JSONValueEncoder().encode(BreakdownFile(b))
    #expect(file["parameters"]!.arrayValue![0]["groups"]!.objectValue!.keys == ["jes", "mcstat", "all"])
    // The yields.md headline.
    var results = PublishResults()
    results.breakdown = b
    let d = decimals(max(mu.stat, mu.syst))
    #expect(results.breakdownHeadline.hasPrefix("μ = \(String(format: "%.\(d)f", mu.value)) ± \(String(format: "%.\(d)f", mu.stat)) (stat) ± "))
  }

  @Test func headlineRounding() {
    #expect(decimals(0.10) == 2 && decimals(0.05) == 3 && decimals(1.3) == 1 && decimals(25) == 0)
    var r = PublishResults()
    r.breakdown = UncertaintyBreakdown(
      poi: "mu", groupNames: [], entries: [.init(name: "mu", value: 1.1149, total: 0.1118, stat: 0.1, syst: 0.05, groups: [])],
      failedRefits: [])
    #expect(r.breakdownHeadline == "μ = 1.11 ± 0.10 (stat) ± 0.05 (syst)\n\n")
  }

  @Test func groupErrors() throws {
    let (fitter, data, best) = try publishFit()
    #expect(throws: UserError("cfg.json: fit.groups.jes: no parameter matches \"jesx\" (did you mean \"jes\"?)")) {
      try fitter.breakdown(data, best: best, groups: [ParameterGroup(name: "jes", globs: ["jesx"])], source: "cfg.json: fit.groups")
    }
    let dir = TestPaths.temporaryDirectory("fit-groups")
    try "{\"jes\": []}".write(toFile: dir + "/g.json", atomically: true, encoding: .utf8)
    #expect(throws: UserError.self) { try ParameterGroup.load(path: dir + "/g.json") }
    try "{\"jes\": [\"jes\"], \"mc\": [\"stat_*\"]}".write(toFile: dir + "/g.json", atomically: true, encoding: .utf8)
    #expect(try ParameterGroup.load(path: dir + "/g.json") == [.init(name: "jes", globs: ["jes"]), .init(name: "mc", globs: ["stat_*"])])
  }

  @Test func cliWritesBreakdownAndHeadline() throws {
    let dir = TestPaths.temporaryDirectory("fit-breakdown")
    try publishWorkspace().write(to: dir + "/ws.json")
    try "{\"jes\": [\"jes\"], \"mc\": [\"stat_*\"]}".write(toFile: dir + "/g.json", atomically: true, encoding: .utf8)
    let r = try runCascade(["fit", dir + "/ws.json", "--breakdown", "--groups", dir + "/g.json", "--out", dir + "/fit"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try JSONValue.load(path: dir + "/fit/breakdown.json")
    #expect(j.objectValue!.keys == ["poi", "groups", "parameters", "failed_refits"])
    #expect(j["groups"] == ["jes", "mc"])
    let md = try String(contentsOfFile: dir + "/fit/yields.md", encoding: .utf8)
    #expect(md.hasPrefix("# Pre- and post-fit yields\n\nμ = "))
    #expect(md.contains("(stat) ± ") && md.contains("\nmu_bkg = "))
  }
}
