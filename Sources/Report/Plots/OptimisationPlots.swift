import Analysis
import Evaluation
import CascadeSupport
import Foundation

/// The working-point optimisation section, from `tables/optimisation.json`: the start, the
/// end and the best one-stage result, the stages' thresholds, and per optimised stage the
/// objective against its threshold around the optimum (the others at the optimum).
enum OptimisationPlots {
  /// One stage's scan.
  static func scan(_ scan: OptimisationRecord.Scan, record: OptimisationRecord, id: String) -> String {
    var svg = SVGCanvas(width: 800, height: 420)
    let points = scan.points.compactMap { p in p.objective.map { (p.threshold, $0) } }.sorted { $0.0 < $1.0 }
    guard points.count >= 2, let stage = record.stages.first(where: { $0.stage == scan.stage }) else {
      return svg.render(label: "no scan of stage \(scan.stage)")
    }
    let xs = points.map(\.0), ys = points.map(\.1) + [record.end]
    let xpad = max(1e-6, (xs.max()! - xs.min()!) * 0.05)
    let ypad = max(1e-12 * abs(ys.max()!), (ys.max()! - ys.min()!) * 0.15)
    let frame = PlotFrame(
      left: 90, top: 40, width: 680, height: 310, xRange: (xs.min()! - xpad, xs.max()! + xpad),
      yRange: (ys.min()! - ypad, ys.max()! + ypad), clipID: id)
    let label = "\(record.objective) (\(record.parameter))"
    frame.drawAxes(&svg, xLabel: "threshold of stage \(scan.stage)", yLabel: label,
      title: "Objective around the optimum — stage \(scan.stage)")
    svg.beginGroup("scan", clipTo: id)
    svg.polyline(points.map { (frame.x($0.0), frame.y($0.1)) }, stroke: Palette.signal, width: 2, cls: "opt-scan")
    for p in points { svg.circle(frame.x(p.0), frame.y(p.1), r: 3, fill: Palette.signal) }
    svg.line(frame.x(stage.threshold), frame.top, frame.x(stage.threshold), frame.bottom, stroke: Palette.background, dash: "6 3")
    svg.endGroup()
    frame.drawLegend(&svg, [
      ("objective, other stages at the optimum", .line(color: Palette.signal, dash: nil)),
      ("chosen: \(fmt(stage.threshold, 4)) (signal eff. \(fmt(stage.signalEfficiency, 3)))", .line(color: Palette.background, dash: "6 3")),
    ])
    return svg.render(label: "Objective vs the threshold of stage \(scan.stage)")
  }

  /// The report section; empty when the run has no `tables/optimisation.json`.
  static func section(runDirectory: String, page: inout ReportPage) throws {
    let path = runDirectory + "/tables/" + OptimisationRecord.jsonName
    guard FileManager.default.fileExists(atPath: path) else { return }
    let r = try JSONFile.load(OptimisationRecord.self, from: path)
    page.body += "<section id=\"optimisation\">\n<h2>Working-point optimisation</h2>\n"
    page.body += "<p><strong>Blind:</strong> \(htmlEscape(r.objective)) of \(htmlEscape(r.parameter)) on the Asimov dataset of the MC "
      + "templates, no data read. Start \(fmt(r.start, 5)), end \(fmt(r.end, 5)) after \(r.evaluations) evaluations (budget \(r.budget))"
    if let b = r.bestSingleStage { page.body += "; best single stage (\(htmlEscape(b.stage)) alone) \(fmt(b.objective, 5))" }
    page.body += ".</p>\n"
    var t = TextTable(header: ["Stage", "Optimised", "Start threshold", "Start signal eff.", "Threshold", "Signal eff."])
    for s in r.stages {
      t.rows.append([s.stage, s.optimised ? "yes" : "no", fmt(s.startThreshold, 5), fmt(s.startSignalEfficiency, 4), fmt(s.threshold, 5), fmt(s.signalEfficiency, 4)])
    }
    page.body += t.renderHTML()
    page.body += "<ul>\n" + r.notes.map { "<li>\(htmlEscape($0))</li>\n" }.joined() + "</ul>\n"
    for s in r.scans {
      page.figure(scan(s, record: r, id: page.nextID()),
        "\(r.objective) against stage \(s.stage)'s threshold (signal efficiency \(fmt(s.points.first?.signalEfficiency ?? 0, 3))–\(fmt(s.points.last?.signalEfficiency ?? 0, 3))), the other stages at the chosen thresholds.")
    }
    page.body += "</section>\n"
  }
}
