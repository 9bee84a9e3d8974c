import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

@Suite struct FitCLITests {
  @Test func jsonOutputHasTheContractKeys() throws {
    let path = TestPaths.fixture("pyhf/2bin_histosys.workspace.json")
    let r = try runCascade([
      "fit", path, "--interp", "normsys=code1,histosys=code0", "--hypotest", "1", "--test-stat", "q", "--limit", "--significance",
      "--minos", "bkg_norm", "--json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try JSONValue.parse(r.stdout, source: "stdout")
    #expect(j.objectValue!.keys == ["converged", "twice_nll", "edm", "poi", "parameters", "correlation", "hypotest", "limit", "significance"])
    #expect(j["converged"] == .bool(true))
    #expect(abs(j["twice_nll"]!.doubleValue! - 15.836601343522469) < 1e-6)
    let params = j["parameters"]!.arrayValue!
    #expect(params.map { $0["name"]!.stringValue! } == ["bkg_norm", "mu"])
    #expect(params[0].objectValue!.keys == ["name", "value", "error", "minos", "fixed"])
    #expect(params.allSatisfy { $0["minos"]!.arrayValue!.count == 2 })
    #expect(j["correlation"]!.arrayValue!.count == 2)
    let h = j["hypotest"]!
    #expect(h["test_stat"] == "q" && h["mu"] == .number(1))
    #expect(h["cls_exp"]!.arrayValue!.count == 5)
    let exact = try JSONValue.load(path: TestPaths.fixture("pyhf/exact_hypotest.json"))["cases"]!["2bin_histosys"]!
    #expect(abs(h["cls_obs"]!.doubleValue! / exact["cls_obs"]!.doubleValue! - 1) < 1e-6)
    #expect(j["limit"]!["expected"]!.arrayValue!.count == 5)
    #expect(j["significance"]!.objectValue!.keys == ["observed", "expected"])
  }

  @Test func plainFitOmitsInferenceAndWritesOutputs() throws {
    let dir = TestPaths.temporaryDirectory("fit-cli")
    let r = try runCascade(["fit", TestPaths.fixture("pyhf/2bin_2channel.workspace.json"), "--json", "--out", dir + "/fit"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try JSONValue.parse(r.stdout, source: "stdout")
    #expect(j["hypotest"] == nil && j["limit"] == nil && j["significance"] == nil)
    #expect(listFiles(dir + "/fit") == ["prepost.json", "result.json", "workspace.json", "yields.csv", "yields.md"])
    #expect(try JSONValue.load(path: dir + "/fit/result.json") == j)
    // --run refits the run's workspace in place.
    let again = try runCascade(["fit", "--run", dir, "--json"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try JSONValue.parse(again.stdout, source: "x") == j)
  }

  /// Separate processes (different hash seeds) write byte-identical outputs.
  @Test func outputsAreByteIdenticalAcrossRuns() throws {
    let dir = TestPaths.temporaryDirectory("fit-det")
    let ws = closureWorkspace()
    var observed = ws
    let model = try Model(workspace: ws)
    let expected = model.expectedMain(model.inits)
    for (ci, c) in model.channelNames.enumerated() {
      let i = observed.observations.firstIndex { $0.name == c }!
      observed.observations[i].data = model.channelBins[ci].map { (expected[$0] * 1.07).rounded() }
    }
    try observed.write(to: dir + "/ws.json")
    for out in ["a", "b"] {
      let r = try runCascade(["fit", dir + "/ws.json", "--out", dir + "/" + out])
      #expect(r.status == 0, "\(r.stderr)")
    }
    for f in listFiles(dir + "/a") {
      let a = FileManager.default.contents(atPath: dir + "/a/" + f), b = FileManager.default.contents(atPath: dir + "/b/" + f)
      #expect(a != nil && a == b, "\(f) differs between runs")
    }
  }

  @Test func badOptionsAreOneLineErrors() throws {
    let path = TestPaths.fixture("pyhf/1bin_normsys.workspace.json")
    let a = try runCascade(["fit", path, "--interp", "normsys=code9"])
    #expect(a.status == 1 && a.stderr == "cascade: error: --interp: normsys supports code1 and code4, not \"code9\"\n")
    let b = try runCascade(["fit", path, "--minos", "bkg_nrom"])
    #expect(b.status == 1 && b.stderr == "cascade: error: --minos: no parameter \"bkg_nrom\" (did you mean \"bkg_norm\"?)\n")
    let c = try runCascade(["fit", path, "--poi", "nope"])
    #expect(c.status == 1 && c.stderr.hasPrefix("cascade: error: the parameter of interest \"nope\""))
  }
}
