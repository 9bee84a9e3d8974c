import CascadeSupport
import Foundation
import FoundationXML
import Testing
import TestSupport
@testable import Report

@Suite struct FitFilesTests {
  @Test func prepostAlternativeLayout() throws {
    let dir = TestPaths.temporaryDirectory("fitfiles")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write(
      """
      {"channels": [{"channel": "SR", "edges": [0, 1, 2], "observed": [3, 4],
        "prefit": {"sig": [1, 2], "bkg": [2, 2]}, "postfit": {"sig": [1.5, 2.5], "bkg": [2, 1.5]},
        "total_error": [0.5, 0.6]}]}
      """, to: dir + "/prepost.json")
    let p = try PrePost(path: dir + "/prepost.json")
    #expect(p.regions.count == 1)
    let r = p.regions[0]
    #expect(r.name == "SR")
    #expect(r.data == [3, 4])
    #expect(r.samples.map { $0.name } == ["sig", "bkg"])
    #expect(r.samples[0].postfit == [1.5, 2.5])
    #expect(r.postfitError == [0.5, 0.6])
    #expect(r.prefitError == nil)
    let svg = FitPlots.prepost(r, postfit: true, id: "x", colors: [:])
    _ = try XMLDocument(xmlString: svg, options: [])
  }

  @Test func prepostWrongBinCountIsAnError() throws {
    let dir = TestPaths.temporaryDirectory("fitfiles-bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write(
      "{\"regions\": [{\"region\": \"CR\", \"edges\": [0, 1, 2], \"samples\": [{\"name\": \"a\", \"prefit\": [1], \"postfit\": [1]}]}]}",
      to: dir + "/prepost.json")
    #expect(throws: UserError.self) { try PrePost(path: dir + "/prepost.json") }
  }

  @Test func manyPerBinParametersAreLeftOutOfThePlots() throws {
    let dir = TestPaths.temporaryDirectory("fitfiles-many")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var names = ["mu_signal", "mu_bkg"]
    for b in 0..<40 { names.append("staterror_SR[\(b)]") }
    let n = names.count
    let corr: [JSONValue] = (0..<n).map { i in JSONValue((0..<n).map { $0 == i ? 1.0 : (i < 2 && $0 < 2 ? -0.4 : 0.01) }) }
    let result: JSONValue = [
      "converged": true, "twice_nll": 10,
      "parameters": .array(names.map { ["name": .string($0), "value": 1.01, "error": 0.05, "minos": nil, "fixed": false] }),
      "correlation": .array(corr),
    ]
    try AtomicFile.write(result.serialized(), to: dir + "/result.json")
    let fit = try FitResult(path: dir + "/result.json")
    #expect(fit.correlationNames.count == n)
    let shown = FitResult.plotted(names, limit: 30)
    #expect(shown.names == ["mu_signal", "mu_bkg"])
    #expect(shown.omitted == 40)
    #expect(fit.correlation(of: shown.names) == [[1, -0.4], [-0.4, 1]])
    #expect(FitResult.plotted(names, limit: 60).names.count == n)
    let doc = try XMLDocument(xmlString: FitPlots.correlation(fit, names: shown.names, id: "c"), options: [])
    #expect(elements(doc.rootElement()!, class: "cell").count == 4)
  }
}
