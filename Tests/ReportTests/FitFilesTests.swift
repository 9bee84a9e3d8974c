import CascadeSupport
import Foundation
import FoundationXML
import Testing
import TestSupport
import YieldFit
@testable import Report

@Suite struct FitFilesTests {
  @Test func prepostIsReadWithItsWritersType() throws {
    let dir = TestPaths.temporaryDirectory("fitfiles")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write(
      """
      {"regions": [{"name": "SR", "edges": [0, 1, 2], "samples": [{"name": "sig", "prefit": [1, 2], "postfit": [1.5, 2.5]},
        {"name": "bkg", "prefit": [2, 2], "postfit": [2, 1.5]}], "data": [3, 4], "prefit_total": [3, 4],
        "prefit_error": [0.4, 0.5], "postfit_total": [3.5, 4], "postfit_error": [0.5, 0.6]}]}
      """, to: dir + "/prepost.json")
    try AtomicFile.write(#"{"converged": true, "twice_nll": 1, "edm": 0, "poi": null, "parameters": [], "correlation": []}"#, to: dir + "/result.json")
    let fit = try #require(try FitView.load(fitDirectory: dir))
    let r = try #require(fit.prepost?.regions.first)
    #expect(r.name == "SR")
    #expect(r.data == [3, 4])
    #expect(r.samples.map { $0.name } == ["sig", "bkg"])
    #expect(r.samples[0].postfit == [1.5, 2.5])
    #expect(r.postfitError == [0.5, 0.6])
    let svg = FitPlots.prepost(r, postfit: true, id: "x", colors: [:])
    _ = try XMLDocument(xmlString: svg, options: [])
  }

  @Test func otherLayoutsAreErrorsNamingFileAndKey() throws {
    let dir = TestPaths.temporaryDirectory("fitfiles-alias")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/prepost.json"
    try AtomicFile.write(#"{"channels": [{"channel": "SR", "edges": [0, 1, 2], "observed": [3, 4]}]}"#, to: path)
    #expect(throws: UserError("\(path): regions: missing")) { try JSONFile.load(PrePostFile.self, from: path) }
  }

  @Test func prepostWrongBinCountIsAnError() throws {
    let dir = TestPaths.temporaryDirectory("fitfiles-bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/prepost.json"
    try AtomicFile.write(
      "{\"regions\": [{\"name\": \"CR\", \"edges\": [0, 1, 2], \"samples\": [{\"name\": \"a\", \"prefit\": [1], \"postfit\": [1]}]}]}",
      to: path)
    #expect(throws: UserError("\(path): regions[0].samples[0]: sample \"a\": expected 2 prefit and postfit yields")) {
      try JSONFile.load(PrePostFile.self, from: path)
    }
  }

  @Test func manyPerBinParametersAreLeftOutOfThePlots() throws {
    var names = ["mu_signal", "mu_bkg"]
    for b in 0..<40 { names.append("staterror_SR[\(b)]") }
    let n = names.count
    let corr: [[Double]] = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : (i < 2 && $0 < 2 ? -0.4 : 0.01) } }
    let result = FitResultFile(
      converged: true, twiceNLL: 10, edm: 0, poi: nil,
      parameters: names.map { FitResultFile.Parameter(name: $0, value: 1.01, error: 0.05, minos: nil, fixed: false) },
      correlation: corr)
    let dir = TestPaths.temporaryDirectory("fitfiles-many")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try JSONFile.write(result, to: dir + "/result.json")
    let fit = try #require(try FitView.load(fitDirectory: dir))
    #expect(fit.result == result)
    #expect(fit.correlationNames.count == n)
    let shown = FitView.plotted(names, limit: 30)
    #expect(shown.names == ["mu_signal", "mu_bkg"])
    #expect(shown.omitted == 40)
    #expect(fit.correlation(of: shown.names) == [[1, -0.4], [-0.4, 1]])
    #expect(FitView.plotted(names, limit: 60).names.count == n)
    let doc = try XMLDocument(xmlString: FitPlots.correlation(fit, names: shown.names, id: "c"), options: [])
    #expect(elements(doc.rootElement()!, class: "cell").count == 4)
  }
}
