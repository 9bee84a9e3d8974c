import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

@Suite struct ImpactsTests {
  /// Every free parameter but the POI is ranked; each shift equals an independent refit with the
  /// parameter fixed at θ̂ ± σ̂ (post-fit) or θ₀ ± σ₀ (pre-fit); pulls and constraints are
  /// normalised by the pre-fit width.
  @Test func shiftsAreRefitsWithTheParameterFixed() throws {
    let (fitter, data, best) = try publishFit()
    let model = fitter.model
    let poi = model.poiIndex!
    let r = try fitter.impacts(data, best: best, threads: 1)
    #expect(r.poi == "mu" && r.targets == ["mu"])
    #expect(Set(r.impacts.map(\.name)) == Set(model.parameterNames.filter { $0 != "mu" }))
    #expect(r.failedRefits.isEmpty)
    let jes = try #require(r.impacts.first { $0.name == "jes" })
    let i = model.parameterIndex("jes")!
    let up = fitter.fit(data, fixedValues: [i: best.values[i] + best.errors[i]], covariance: false)
    let preDown = fitter.fit(data, fixedValues: [i: -1], covariance: false)
    #expect(abs(jes.postfit[0][1] - (up.values[poi] - best.values[poi])) < 1e-7)
    #expect(abs(jes.prefit![0][0] - (preDown.values[poi] - best.values[poi])) < 1e-7)
    #expect(abs(jes.pull - best.values[i]) < 1e-12 && abs(jes.constraint - best.errors[i]) < 1e-12)
    // A staterror component: pre-fit width σ = 6/200 = 0.03 around 1.
    let stat = try #require(r.impacts.first { $0.name == "stat_SR[0]" })
    let k = model.parameterIndex("stat_SR[0]")!
    #expect(abs(stat.pull - (best.values[k] - 1) / 0.03) < 1e-9)
    // The free background normalisation has no pre-fit impact.
    let norm = try #require(r.impacts.first { $0.name == "mu_bkg" })
    #expect(norm.prefit == nil && !norm.constrained)
    #expect(abs(norm.pull - (best.values[model.parameterIndex("mu_bkg")!] - 1)) < 1e-12)
    // More background (jes up) leaves less room for signal.
    #expect(jes.postfit[0][0] > 0 && jes.postfit[0][1] < 0)
  }

  @Test func rankedByPostfitImpactAndIndependentOfThreads() throws {
    let (fitter, data, best) = try publishFit()
    let one = try fitter.impacts(data, best: best, threads: 1)
    let two = try fitter.impacts(data, best: best, threads: 2)
    #expect(one == two)
    let sizes = one.impacts.map { abs($0.postfit[0][0]) + abs($0.postfit[0][1]) }
    #expect(sizes == sizes.sorted(by: >))
    #expect(try JSONValueEncoder().encode(ImpactsFile(one)).serialized() == JSONValueEncoder().encode(ImpactsFile(two)).serialized())
  }

  @Test func furtherTargetsAndErrors() throws {
    let (fitter, data, best) = try publishFit()
    let muBkg = fitter.model.parameterIndex("mu_bkg")!
    let r = try fitter.impacts(data, best: best, on: [muBkg], threads: 1)
    #expect(r.targets == ["mu", "mu_bkg"])
    let file = try JSONValueEncoder().encode(ImpactsFile(r))
    let jes = file["impacts"]!.arrayValue!.first { $0["name"] == "jes" }!
    #expect(jes.objectValue!.keys == ["name", "pull", "constraint", "prefit", "postfit", "on"])
    #expect(jes["on"]!["mu_bkg"]!["postfit"]!.arrayValue!.count == 2)
    // mu_bkg's own entry does not list its impact on itself.
    let own = file["impacts"]!.arrayValue!.first { $0["name"] == "mu_bkg" }!
    #expect(own["on"]!.objectValue!.keys.isEmpty && own["prefit"] == .null)
    #expect(throws: UserError("--impacts-on: no parameter \"mu_bkgx\" (did you mean \"mu_bkg\"?)")) {
      try fitter.parameterIndices(["mu_bkgx"], option: "--impacts-on")
    }
  }

  @Test func cliWritesImpactsJSON() throws {
    let dir = TestPaths.temporaryDirectory("fit-impacts")
    try publishWorkspace().write(to: dir + "/ws.json")
    var bytes: [String] = []
    for threads in ["1", "2"] {
      let r = try runCascade(["fit", dir + "/ws.json", "--impacts", "--threads", threads, "--out", dir + "/t" + threads])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stdout.contains("impacts on mu"))
      bytes.append(try String(contentsOfFile: dir + "/t\(threads)/impacts.json", encoding: .utf8))
    }
    #expect(bytes[0] == bytes[1])
    let j = try JSONValue.parse(bytes[0], source: "impacts.json")
    #expect(j.objectValue!.keys == ["poi", "targets", "impacts", "failed_refits"])
    #expect(j["impacts"]!.arrayValue!.count == 8)
    let json = try runCascade(["fit", dir + "/ws.json", "--impacts", "--json"])
    #expect(try JSONValue.parse(json.stdout, source: "stdout")["impacts"] == j)
    let bad = try runCascade(["fit", dir + "/ws.json", "--impacts-on", "mu_bkg"])
    #expect(bad.status == 1 && bad.stderr == "cascade: error: --impacts-on needs --impacts\n")
  }
}
