import CascadeSupport
import Evaluation
import Foundation

/// The sculpting plots, from `tables/sculpting.json`: per stage and target background, the fit
/// observable's normalised shape entering the stage, in its control region and in its
/// survivors, with a ratio panel (CR / input, survivors / input).
enum SculptingPlots {
  /// One stage × sample row of `tables/sculpting.json`.
  static func shapes(_ row: SculptingRecord, observable: String, id: String) -> String {
    var svg = SVGCanvas(width: 800, height: 560)
    let edges = row.edges
    let series: [(key: String, label: String, color: String, dash: String?)] = [
      ("input", "entering the stage", "#555", nil), ("cr", row.region, "#1f77b4", nil),
      ("survivors", "survivors", "#d62728", "6 3"),
    ]
    let shapes = [row.input, row.cr, row.survivors]
    guard edges.count >= 2, shapes.allSatisfy({ $0.count == edges.count - 1 }) else {
      return svg.render(label: "no sculpting data")
    }
    let width = (0..<(edges.count - 1)).map { edges[$0 + 1] - edges[$0] }
    // Densities per unit of the observable, so unequal bins compare.
    let density = shapes.map { s in s.indices.map { s[$0] / width[$0] } }
    let ymax = (density.flatMap { $0 }.filter(\.isFinite).max() ?? 1) * 1.25
    let main = PlotFrame(
      left: 80, top: 40, width: 690, height: 330, xRange: (edges[0], edges[edges.count - 1]), yRange: (0, max(ymax, 1e-12)),
      clipID: id)
    let stage = row.stage, sample = row.sample
    main.drawAxes(&svg, xLabel: observable, yLabel: "fraction / unit", title: "Sculpting — stage \(stage), \(sample)", xTickLabels: false)
    func steps(_ v: [Double], _ frame: PlotFrame) -> [(Double, Double)] {
      var pts: [(Double, Double)] = []
      for i in v.indices where v[i].isFinite {
        pts.append((frame.x(edges[i]), frame.y(v[i])))
        pts.append((frame.x(edges[i + 1]), frame.y(v[i])))
      }
      return pts
    }
    svg.beginGroup("series", clipTo: id)
    for (k, s) in series.enumerated() { svg.polyline(steps(density[k], main), stroke: s.color, width: 2, dash: s.dash, cls: "sculpt-\(s.key)") }
    svg.endGroup()
    main.drawLegend(&svg, [
      ("entering the stage", .line(color: "#555", dash: nil)),
      ("\(row.region) (JSD \(fmt(row.jsdCR, 4)))", .line(color: "#1f77b4", dash: nil)),
      ("survivors (JSD \(fmt(row.jsdSurvivors, 4)))", .line(color: "#d62728", dash: "6 3")),
    ])
    // Ratio panel.
    let ratios = [1, 2].map { k in shapes[k].indices.map { shapes[0][$0] > 0 ? shapes[k][$0] / shapes[0][$0] : Double.nan } }
    let rmax = min(3, max(1.5, (ratios.flatMap { $0 }.filter(\.isFinite).max() ?? 1) * 1.1))
    let ratio = PlotFrame(
      left: 80, top: 390, width: 690, height: 120, xRange: (edges[0], edges[edges.count - 1]), yRange: (0, rmax),
      clipID: id + "r")
    ratio.drawAxes(&svg, xLabel: observable, yLabel: "ratio to input")
    svg.beginGroup("ratio", clipTo: id + "r")
    svg.line(ratio.left, ratio.y(1), ratio.right, ratio.y(1), stroke: "#999", dash: "4 4")
    svg.polyline(steps(ratios[0], ratio), stroke: "#1f77b4", width: 2, cls: "ratio-cr")
    svg.polyline(steps(ratios[1], ratio), stroke: "#d62728", width: 2, dash: "6 3", cls: "ratio-survivors")
    svg.endGroup()
    return svg.render(label: "Sculpting of \(observable) by stage \(stage) for \(sample)")
  }

  /// The report section: the metrics table and one plot per stage's target background(s).
  /// Empty when the run has no `tables/sculpting.json`.
  /// `observable` is the fit observable's name as the page's other sections label it.
  static func section(runDirectory: String, observable: String, page: inout ReportPage) throws {
    let path = runDirectory + "/tables/sculpting.json"
    guard FileManager.default.fileExists(atPath: path) else { return }
    let rows = try JSONFile.load([SculptingRecord].self, from: path)
    page.body += "<section id=\"sculpting\">\n<h2>Sculpting of \(htmlEscape(observable))</h2>\n"
    page.body += "<p>JSD = Jensen–Shannon divergence (bits) of the control region's and the survivors' shapes from the "
      + "shape entering the stage; flatness = bin-based SDE of the stage's score in bins of \(htmlEscape(observable)). "
      + "Flagged (!) above JSD \(JSONValue.format(Sculpting.jsdThreshold)) with KS p &lt; \(JSONValue.format(Sculpting.pThreshold)).</p>\n"
    var t = TextTable(header: ["Stage", "Sample", "JSD CR", "JSD survivors", "KS p", "Flatness", ""])
    for r in rows {
      t.rows.append([
        r.stage, r.sample, fmt(r.jsdCR, 4), fmt(r.jsdSurvivors, 4),
        String(format: "%.3g", r.ksP), fmt(r.flatness, 4), r.sculpted ? "!" : "",
      ])
    }
    page.body += t.renderHTML()
    for r in rows where r.target {
      page.figure(shapes(r, observable: observable, id: page.nextID()),
        "Normalised \(observable) of \(r.sample) entering stage \(r.stage), in \(r.region) and in the survivors; below, the ratios to the input.")
    }
    page.body += "</section>\n"
  }
}
