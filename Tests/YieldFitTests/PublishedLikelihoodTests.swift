import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

/// Background-only workspaces with signal patches, as published on HEPData.
@Suite struct PublishedLikelihoodTests {
  /// Writes full.json, BkgOnly.json (the signal samples removed, the measurement still naming
  /// "mu"), signal.json (a JSON Patch adding them back) and patchset.json into `dir`.
  static func writeFiles(_ dir: String) throws {
    let ws = try publishWorkspace()
    try ws.write(to: dir + "/full.json")
    var bkg = ws
    for i in bkg.channels.indices { bkg.channels[i].samples.removeAll { $0.name == "signal" } }
    try bkg.write(to: dir + "/BkgOnly.json")
    let full = try JSONValue.load(path: dir + "/full.json")
    var ops: [JSONValue] = []
    for (ci, channel) in full["channels"]!.arrayValue!.enumerated() {
      for sample in channel["samples"]!.arrayValue! where sample["name"] == "signal" {
        ops.append(["op": "add", "path": .string("/channels/\(ci)/samples/-"), "value": sample])
      }
    }
    try AtomicFile.write(JSONValue.array(ops).serialized(), to: dir + "/signal.json")
    let set: JSONValue = [
      "metadata": ["name": "test", "labels": ["m"], "digests": [:], "description": "d"],
      "patches": [["metadata": ["name": "sig_1", "values": [1]], "patch": .array(ops)]], "version": "1.0.0",
    ]
    try AtomicFile.write(set.serialized(), to: dir + "/patchset.json")
  }

  @Test func patchedBackgroundOnlyEqualsTheFullWorkspace() throws {
    let dir = TestPaths.temporaryDirectory("fit-patch")
    try Self.writeFiles(dir)
    let full = try runCascade(["fit", dir + "/full.json", "--hypotest", "1", "--json"])
    #expect(full.status == 0, "\(full.stderr)")
    let patched = try runCascade(["fit", dir + "/BkgOnly.json", "--patch", dir + "/signal.json", "--hypotest", "1", "--json"])
    #expect(patched.status == 0, "\(patched.stderr)")
    #expect(try JSONValue.parse(patched.stdout, source: "a") == JSONValue.parse(full.stdout, source: "b"))
    let viaSet = try runCascade([
      "fit", dir + "/BkgOnly.json", "--patchset", dir + "/patchset.json", "--patch-name", "sig_1", "--hypotest", "1", "--json",
    ])
    #expect(viaSet.stdout == patched.stdout, "\(viaSet.stderr)")
  }

  @Test func backgroundOnlyFits() throws {
    let dir = TestPaths.temporaryDirectory("fit-bkgonly")
    try Self.writeFiles(dir)
    let auto = try runCascade(["fit", dir + "/BkgOnly.json", "--json"])
    #expect(auto.status == 0)
    #expect(auto.stderr == "cascade: warning: the measurement's POI \"mu\" is not a parameter of the model: background-only fit\n")
    let j = try JSONValue.parse(auto.stdout, source: "stdout")
    #expect(j["poi"] == .null && !j["parameters"]!.arrayValue!.contains { $0["name"] == "mu" })
    let none = try runCascade(["fit", dir + "/full.json", "--poi", "none", "--json"])
    #expect(none.status == 0 && none.stderr.isEmpty, "\(none.stderr)")
    #expect(try JSONValue.parse(none.stdout, source: "x")["poi"] == .null)
    // Impacts of a background-only fit need a target.
    let imp = try runCascade(["fit", dir + "/BkgOnly.json", "--impacts"])
    #expect(imp.status == 1 && imp.stderr.hasPrefix("cascade: error: --impacts: the model has no parameter of interest"))
    let on = try runCascade(["fit", dir + "/BkgOnly.json", "--impacts", "--impacts-on", "mu_bkg", "--json"])
    #expect(on.status == 0, "\(on.stderr)")
    #expect(try JSONValue.parse(on.stdout, source: "x")["impacts"]!["targets"] == ["mu_bkg"])
    // The explicit --poi keeps its error.
    let typo = try runCascade(["fit", dir + "/full.json", "--poi", "mux"])
    #expect(typo.stderr == "cascade: error: the parameter of interest \"mux\" is not a parameter of the model (did you mean \"mu\"?)\n")
  }

  @Test func patchErrors() throws {
    let dir = TestPaths.temporaryDirectory("fit-patch-errors")
    try Self.writeFiles(dir)
    try AtomicFile.write("[{\"op\": \"replace\", \"path\": \"/channels/7/name\", \"value\": \"x\"}]", to: dir + "/bad.json")
    let r = try runCascade(["fit", dir + "/BkgOnly.json", "--patch", dir + "/bad.json"])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("cascade: error: \(dir)/bad.json: [0] (op \"replace\", path \"/channels/7/name\"): "), "\(r.stderr)")
    #expect(!r.stderr.dropLast().contains("\n"))
    let name = try runCascade(["fit", dir + "/BkgOnly.json", "--patchset", dir + "/patchset.json", "--patch-name", "sig_2"])
    #expect(name.stderr == "cascade: error: \(dir)/patchset.json: no patch named \"sig_2\" (available: sig_1)\n")
    let lone = try runCascade(["fit", dir + "/BkgOnly.json", "--patch-name", "sig_1"])
    #expect(lone.stderr == "cascade: error: --patch-name needs --patchset FILE\n")
    // A patch that applies but leaves an invalid workspace: the error names the patched document.
    try AtomicFile.write("[{\"op\": \"add\", \"path\": \"/channels/0/bogus\", \"value\": 1}]", to: dir + "/invalid.json")
    let invalid = try runCascade(["fit", dir + "/BkgOnly.json", "--patch", dir + "/invalid.json"])
    #expect(invalid.status == 1 && invalid.stderr.contains("patched with \(dir)/invalid.json"), "\(invalid.stderr)")
  }
}
