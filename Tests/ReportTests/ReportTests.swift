import CascadeSupport
import Foundation
import FoundationXML
import Testing
import TestSupport
@testable import Report

/// Every `<svg>…</svg>` element of a page.
func svgElements(_ html: String) -> [String] {
  var out: [String] = []
  var rest = html[...]
  while let a = rest.range(of: "<svg "), let b = rest.range(of: "</svg>", range: a.upperBound..<rest.endIndex) {
    out.append(String(rest[a.lowerBound..<b.upperBound]))
    rest = rest[b.upperBound...]
  }
  return out
}

/// Elements of an XML tree (depth first) whose `class` attribute is `cls`.
func elements(_ node: XMLNode, class cls: String) -> [XMLElement] {
  var out: [XMLElement] = []
  if let e = node as? XMLElement, e.attribute(forName: "class")?.stringValue == cls { out.append(e) }
  for c in node.children ?? [] { out += elements(c, class: cls) }
  return out
}

func elements(_ node: XMLNode, named name: String) -> [XMLElement] {
  var out: [XMLElement] = []
  if let e = node as? XMLElement, e.name == name { out.append(e) }
  for c in node.children ?? [] { out += elements(c, named: name) }
  return out
}

@Suite struct ReportTests {
  /// Builds the example run (in $CASCADE_REPORT_CHECK_DIR when set, for `make check-report`) and
  /// writes its report through the CLI.
  func exampleRun() throws -> String {
    let dir = ProcessInfo.processInfo.environment["CASCADE_REPORT_CHECK_DIR"] ?? TestPaths.temporaryDirectory("report")
    try ExampleRun.write(to: dir)
    return dir
  }

  @Test func reportIsSelfContainedAndEverySVGParses() throws {
    let dir = try exampleRun()
    defer {
      if ProcessInfo.processInfo.environment["CASCADE_REPORT_CHECK_DIR"] == nil { try? FileManager.default.removeItem(atPath: dir) }
    }
    let r = try runCascade(["report", dir])
    #expect(r.status == 0, "\(r.stderr)")
    let html = try String(contentsOfFile: dir + "/report/index.html", encoding: .utf8)
    // Nothing external: no URLs, no src attributes, links only to anchors on the page.
    #expect(!html.contains("http:"))
    #expect(!html.contains("https:"))
    #expect(!html.contains("src="))
    #expect(!html.contains("url(") || !html.replacingOccurrences(of: "url(#", with: "").contains("url("))
    var hrefs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix(1) }
    hrefs.removeAll { $0 == "#" }
    #expect(hrefs.isEmpty)
    #expect(html.contains("id=\"fit\""))

    let svgs = svgElements(html)
    // Per stage: ROC ×2, overtraining, scan (2 stages); flow, composition; pulls, correlation, 3 regions × pre/post.
    #expect(svgs.count == 4 * 2 + 2 + 2 + 6)
    var docs: [XMLDocument] = []
    for s in svgs { docs.append(try XMLDocument(xmlString: s, options: [])) }

    // Stage 1 ROC: target test and train, the other background, all backgrounds; working point.
    let roc = docs[0].rootElement()!
    for cls in ["roc-target-test", "roc-target-train", "roc-sample-test", "roc-all-test"] {
      let line = try #require(elements(roc, class: cls).first, "\(cls)")
      let points = line.attribute(forName: "points")!.stringValue!.split(separator: " ")
      #expect(points.count > 50, "\(cls)")
    }
    #expect(elements(roc, class: "working-point").count == 1)
    #expect(elements(roc, class: "legend").count == 1)
    // Overtraining: filled test histograms, train points (40 bins each).
    let ot = docs[2].rootElement()!
    #expect(elements(ot, class: "signal-test").count == 1)
    #expect(elements(ot, class: "background-test").count == 1)
    #expect(elements(elements(ot, class: "signal-train")[0], named: "circle").count == 40)
    #expect(elements(elements(ot, class: "background-train")[0], named: "circle").count == 40)
    // Flow: 3 regions × 3 MC samples stacked, data points in each region.
    let flow = docs[8].rootElement()!
    #expect(elements(flow, class: "bar").count == 9)
    #expect(elements(flow, class: "data").count == 3)
    #expect(elements(docs[9].rootElement()!, class: "bar").count == 9)
    // Fit: 4 free parameters; 4×4 correlation cells; stacks of 3 samples with data in every bin.
    #expect(elements(docs[10].rootElement()!, class: "pull").count == 4)
    #expect(html.contains("95% CL upper limit on μ: observed 1.5200"))
    #expect(elements(docs[11].rootElement()!, class: "cell").count == 16)
    let pre = docs[12].rootElement()!
    #expect(elements(pre, class: "stack-wjets").count == 1)
    #expect(elements(elements(pre, class: "data")[0], named: "circle").count == 14)
    #expect(elements(pre, class: "ratio-point").count == 14)
  }

  @Test func reportIsDeterministicAndFitSectionOptional() throws {
    let dir = TestPaths.temporaryDirectory("report-det")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ExampleRun.write(to: dir)
    let a = try htmlReport(runDirectory: dir)
    #expect(a == (try htmlReport(runDirectory: dir)))
    try FileManager.default.removeItem(atPath: dir + "/fit")
    let b = try htmlReport(runDirectory: dir)
    #expect(!b.contains("id=\"fit\""))
    #expect(svgElements(b).count == 10)
  }

  @Test func textReportAlignsTables() throws {
    let dir = TestPaths.temporaryDirectory("report-text")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ExampleRun.write(to: dir)
    let r = try runCascade(["report", dir, "--format", "text"])
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let header = try #require(lines.firstIndex { $0.hasPrefix("Stage ") && $0.contains("ROC integral") })
    // Header, rule and the two stage rows have the same width: aligned columns.
    let widths = lines[header...(header + 3)].map { $0.count }
    #expect(Set(widths).count == 1, "\(lines[header...(header + 3)])")
    #expect(lines[header + 2].hasPrefix("vs_wjets"))
    #expect(r.stdout.contains("Cutflow"))
    #expect(r.stdout.contains("CR_ttbar"))
    #expect(!r.stdout.contains("|"))
  }

  @Test func missingOrForeignEvaluationIsAOneLineError() throws {
    let dir = TestPaths.temporaryDirectory("report-missing")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try runCascade(["report", dir])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("cascade: error: \(dir)/tables/evaluation.json: not found"))
    try AtomicFile.write("{\"stages\": []}", to: dir + "/tables/evaluation.json")
    let r2 = try runCascade(["report", dir, "--format", "text"])
    #expect(r2.status == 1)
    #expect(r2.stderr == "cascade: error: \(dir)/tables/evaluation.json: format: missing\n")
    try AtomicFile.write("{\"format\": \"other\", \"version\": 1}", to: dir + "/tables/evaluation.json")
    let r3 = try runCascade(["report", dir, "--format", "text"])
    #expect(r3.stderr.contains("evaluation.json: format: not a cascade evaluation file"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/report"))
  }

  @Test func scaleTicks() {
    let lin = Scale(0, 1, pixels: (0, 100))
    #expect(lin.ticks().map { $0.label } == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let log = Scale(1e-3, 1, pixels: (0, 100), log: true)
    #expect(log.ticks().map { $0.label } == ["0.001", "0.01", "0.1", "1"])
    #expect(abs(log(0.01) - 100.0 / 3) < 1e-9)
    #expect(Scale.niceUpper(437) == 500)
  }
}
