import Foundation
import FoundationXML
import Report
import Testing
import TestSupport

/// The systematics section of the report, from hand-written `tables/systematics.json` and
/// `systematics/templates.json` next to the example run.
@Suite struct SystematicsReportTests {
  static let table = """
    {"systematics": [
      {"systematic": "jes", "type": "shift", "sample": "ttbar", "side": "up", "regions": ["CR_wjets", "CR_ttbar", "SR"],
       "nominal": [10, 20, 30], "varied": [9, 22, 29], "change": [-0.1, 0.1, null],
       "migration": [[0.9, 0.1, 0], [0, 0.95, 0.05], [0, 0.05, 0.95]]},
      {"systematic": "phsf", "type": "weight", "sample": "ttbar", "side": "up", "regions": ["CR_wjets", "CR_ttbar", "SR"],
       "nominal": [10, 20, 30], "varied": [10.2, 20.4, 30.6], "change": [0.02, 0.02, 0.02]}],
     "pruning": [
      {"systematic": "jes", "region": "SR", "sample": "ttbar", "modifier": "normsys", "effect": 0.033, "threshold": 0.005, "kept": true},
      {"systematic": "jes", "region": "SR", "sample": "ttbar", "modifier": "histosys", "effect": 0.001, "threshold": 0.005,
       "kept": false, "reason": "below threshold"}]}
    """
  static let templates = """
    {"observable": "m_lg", "edges": [60, 100, 140, 200], "templates": [
      {"region": "SR", "sample": "ttbar", "variation": "nominal", "sumw": [4, 8, 2], "sumw2": [1, 1, 1]},
      {"region": "SR", "sample": "ttbar", "variation": "jes__up", "sumw": [5, 8, 1], "sumw2": [1, 1, 1]},
      {"region": "SR", "sample": "ttbar", "variation": "jes__down", "sumw": [3, 8, 3], "sumw2": [1, 1, 1]},
      {"region": "SR", "sample": "ttbar", "variation": "phsf__up", "sumw": [4.4, 8.8, 2.2], "sumw2": [1, 1, 1]}]}
    """

  func run() throws -> String {
    let dir = TestPaths.temporaryDirectory("report-syst")
    try ExampleRun.write(to: dir)
    try FileManager.default.createDirectory(atPath: dir + "/systematics", withIntermediateDirectories: true)
    try Self.table.write(toFile: dir + "/tables/systematics.json", atomically: true, encoding: .utf8)
    try Self.templates.write(toFile: dir + "/systematics/templates.json", atomically: true, encoding: .utf8)
    return dir
  }

  @Test func sectionHasMigrationMatrixAndTemplatePlotsInsideDetails() throws {
    let dir = try run()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let html = try htmlReport(runDirectory: dir)
    let start = try #require(html.range(of: "<section id=\"systematics\">"))
    let section = String(html[start.lowerBound...])
    #expect(section.contains("<details><summary>"))
    #expect(section.contains("1 of 2 modifiers kept"))
    #expect(section.contains("dropped (below threshold)"))
    #expect(section.contains("+10.00 %") && section.contains("–"))
    let svgs = svgElements(String(section[..<section.range(of: "</section>")!.upperBound]))
    // One migration matrix (jes), two template plots (jes with both sides, phsf up only).
    #expect(svgs.count == 3)
    let docs = try svgs.map { try XMLDocument(xmlString: $0, options: []) }
    let cells = elements(docs[0].rootElement()!, class: "cell")
    #expect(cells.count == 9)
    #expect(cells.compactMap { $0.stringValue }.contains("CR_ttbar → SR: 0.0500"))
    let jes = docs[1].rootElement()!
    for cls in ["template-nominal", "template-jes__up", "template-jes__down", "ratio-up", "ratio-down"] {
      #expect(elements(jes, class: cls).count == 1, "\(cls)")
    }
    // Step lines: two points per bin.
    let up = try #require(elements(jes, class: "template-jes__up").first)
    #expect(up.attribute(forName: "points")!.stringValue!.split(separator: " ").count == 6)
    let phsf = docs[2].rootElement()!
    #expect(elements(phsf, class: "template-phsf__up").count == 1)
    #expect(elements(phsf, class: "ratio-down").isEmpty)
  }

  @Test func aRunWithoutSystematicsHasNoSection() throws {
    let dir = TestPaths.temporaryDirectory("report-nosyst")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ExampleRun.write(to: dir)
    #expect(!(try htmlReport(runDirectory: dir)).contains("id=\"systematics\""))
  }

  @Test func aMistypedKeyIsAOneLineErrorNamingTheFile() throws {
    let dir = try run()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.table.replacingOccurrences(of: "\"threshold\": 0.005, \"kept\": true", with: "\"thresold\": 0.005, \"kept\": true")
      .write(toFile: dir + "/tables/systematics.json", atomically: true, encoding: .utf8)
    #expect {
      _ = try htmlReport(runDirectory: dir)
    } throws: { e in
      "\(e)" == "\(dir)/tables/systematics.json: pruning[0].threshold: missing"
    }
  }
}
