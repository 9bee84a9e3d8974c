import Analysis
import CascadeSupport
import Evaluation
import Foundation

/// The systematics section, from `tables/systematics.json` (yield changes, migration matrices,
/// pruning) and `systematics/templates.json` (the up/nominal/down templates of the fit
/// observable), all inside one collapsible `<details>` block. Absent for runs without
/// systematics, so their report stays as it was.
enum SystematicsPlots {
  /// The migration matrix of one shift variation: the fraction of each region's nominal yield
  /// (row) that the variation routes to each region (column), white (0) to blue (1).
  static func migration(_ row: SystematicsTable.Row, id: String) -> String {
    let m = row.migration ?? [], names = row.regions, n = names.count
    let cell = 64.0, left = 150.0, top = 70.0, side = cell * Double(n)
    var svg = SVGCanvas(width: max(800, left + side + 120), height: top + side + 80)
    svg.text(20, 28, "Migration — \(row.systematic) \(row.side), \(row.sample)", size: 15, bold: true)
    svg.text(20, 48, "row: nominal region, column: varied region; fraction of the nominal yield", size: 12, fill: "#555")
    func color(_ v: Double) -> String {
      let a = max(0, min(1, v.isFinite ? v : 0))
      func c(_ x: Double) -> Int { Int((255 + (x - 255) * a).rounded()) }
      return String(format: "#%02X%02X%02X", c(33), c(102), c(172))
    }
    svg.beginGroup("series")
    for i in 0..<min(n, m.count) {
      for j in 0..<min(n, m[i].count) {
        let v = m[i][j]
        svg.rect(left + cell * Double(j), top + cell * Double(i), cell, cell, fill: color(v), stroke: "#fff", cls: "cell",
          title: "\(names[i]) → \(names[j]): \(fmt(v, 4))")
        svg.text(left + cell * (Double(j) + 0.5), top + cell * (Double(i) + 0.5) + 4, fmt(v, 3), size: 11, anchor: .middle,
          fill: v > 0.6 ? "#fff" : "#222")
      }
    }
    svg.endGroup()
    svg.beginGroup("axes")
    for i in 0..<n {
      svg.text(left - 8, top + cell * (Double(i) + 0.5) + 4, names[i], size: 12.5, anchor: .end)
      svg.text(left + cell * (Double(i) + 0.5), top + side + 20, names[i], size: 12.5, anchor: .middle)
    }
    svg.endGroup()
    return svg.render(label: "Migration matrix of \(row.systematic) \(row.side) for \(row.sample)")
  }

  /// Nominal, up and down templates of one (region, sample, systematic), with the ratios to the
  /// nominal below. `up`/`down` nil: the side does not exist (a one-sided `files` variation).
  static func templates(
    nominal: TemplatesFile.Entry, up: TemplatesFile.Entry?, down: TemplatesFile.Entry?, systematic: String, edges: [Double],
    observable: String, id: String
  ) -> String {
    var svg = SVGCanvas(width: 800, height: 560)
    let nb = edges.count - 1
    let sides: [(entry: TemplatesFile.Entry?, label: String, color: String, dash: String?)] = [
      (nominal, "nominal", "#222", nil), (up, "\(systematic) up", "#d62728", nil), (down, "\(systematic) down", "#1f77b4", "6 3"),
    ]
    guard nb >= 1, sides.allSatisfy({ $0.entry.map { $0.sumw.count == nb } ?? true }) else {
      return svg.render(label: "no template data")
    }
    let ymax = sides.compactMap { $0.entry?.sumw.max() }.max() ?? 1
    let main = PlotFrame(
      left: 90, top: 40, width: 680, height: 330, xRange: (edges[0], edges[nb]), yRange: (0, Scale.niceUpper(max(ymax, 1e-12) * 1.25)),
      clipID: id)
    main.drawAxes(&svg, xLabel: observable, yLabel: "events / bin", title: "\(systematic) — \(nominal.sample) in \(nominal.region)",
      xTickLabels: false)
    func steps(_ v: [Double], _ frame: PlotFrame) -> [(Double, Double)] {
      var pts: [(Double, Double)] = []
      for b in v.indices where v[b].isFinite {
        pts.append((frame.x(edges[b]), frame.y(v[b])))
        pts.append((frame.x(edges[b + 1]), frame.y(v[b])))
      }
      return pts
    }
    svg.beginGroup("series", clipTo: id)
    for s in sides { if let e = s.entry { svg.polyline(steps(e.sumw, main), stroke: s.color, width: 2, dash: s.dash, cls: "template-\(e.variation)") } }
    svg.endGroup()
    main.drawLegend(&svg, sides.compactMap { s in s.entry.map { _ in (s.label, .line(color: s.color, dash: s.dash)) } })
    let ratios = [up, down].map { e in e.map { v in (0..<nb).map { nominal.sumw[$0] > 0 ? v.sumw[$0] / nominal.sumw[$0] : Double.nan } } }
    let deviation = ratios.compactMap { $0 }.flatMap { $0 }.filter(\.isFinite).map { abs($0 - 1) }.max() ?? 0
    let half = min(1, max(0.05, deviation * 1.2))
    let ratio = PlotFrame(
      left: 90, top: 390, width: 680, height: 120, xRange: (edges[0], edges[nb]), yRange: (1 - half, 1 + half), clipID: id + "r")
    ratio.drawAxes(&svg, xLabel: observable, yLabel: "varied / nom.")
    svg.beginGroup("ratio", clipTo: id + "r")
    svg.line(ratio.left, ratio.y(1), ratio.right, ratio.y(1), stroke: "#999", dash: "4 4")
    for (k, r) in ratios.enumerated() {
      guard let r else { continue }
      svg.polyline(steps(r, ratio), stroke: sides[k + 1].color, width: 2, dash: sides[k + 1].dash, cls: k == 0 ? "ratio-up" : "ratio-down")
    }
    svg.endGroup()
    return svg.render(label: "Templates of \(nominal.sample) in \(nominal.region) for \(systematic)")
  }

  /// The report section; empty when the run has no `tables/systematics.json`.
  static func section(runDirectory: String, page: inout ReportPage) throws {
    let tablePath = runDirectory + "/tables/" + SystematicsTable.fileName
    guard FileManager.default.fileExists(atPath: tablePath) else { return }
    let table = try JSONFile.load(SystematicsTable.File.self, from: tablePath)
    let templatesPath = runDirectory + "/" + TemplatesFile.path
    let templates = FileManager.default.fileExists(atPath: templatesPath) ? try JSONFile.load(TemplatesFile.self, from: templatesPath) : nil
    page.body += "<section id=\"systematics\">\n<h2>Systematic variations</h2>\n"
    var names: [String] = []
    for r in table.systematics where !names.contains(r.systematic) { names.append(r.systematic) }
    let kept = table.pruning.filter(\.kept).count
    page.body += "<p>\(names.count) systematic(s) with varied events; \(kept) of \(table.pruning.count) modifiers kept by the pruning.</p>\n"
    page.body += "<details><summary>Yield changes, migration matrices, pruning and up/nominal/down templates</summary>\n"
    if let regions = table.systematics.first?.regions {
      var t = TextTable(header: ["Systematic", "Sample", "Side"] + regions)
      for r in table.systematics {
        t.rows.append([r.systematic, r.sample, r.side] + r.change.map { $0.map { String(format: "%+.2f %%", 100 * $0) } ?? "–" })
      }
      page.body += "<h3>Yield change (varied / nominal − 1)</h3>\n" + t.renderHTML()
    }
    for r in table.systematics where r.migration != nil {
      page.figure(migration(r, id: page.nextID()), "Where the \(r.systematic) \(r.side) variation routes \(r.sample)'s nominal yield of each region.")
    }
    if !table.pruning.isEmpty {
      var t = TextTable(header: ["Systematic", "Region", "Sample", "Modifier", "Effect", "Threshold", "Decision"])
      for p in table.pruning {
        t.rows.append([p.systematic, p.region, p.sample, p.modifier, fmt(p.effect, 5), fmt(p.threshold, 5), p.kept ? "kept" : "dropped (\(p.reason ?? ""))"])
      }
      page.body += "<h3>Pruning</h3>\n" + t.renderHTML()
    }
    if let templates {
      page.body += "<h3>Templates of \(htmlEscape(templates.observable))</h3>\n"
      for nominal in templates.templates where nominal.variation == "nominal" {
        for name in names {
          let up = templates.template(region: nominal.region, sample: nominal.sample, variation: name + "__up")
          let down = templates.template(region: nominal.region, sample: nominal.sample, variation: name + "__down")
          guard up != nil || down != nil else { continue }
          page.figure(
            Self.templates(nominal: nominal, up: up, down: down, systematic: name, edges: templates.edges, observable: templates.observable,
              id: page.nextID()),
            "\(name): \(nominal.sample) in \(nominal.region) before symmetrisation and smoothing; below, varied / nominal.")
        }
      }
    }
    page.body += "</details>\n</section>\n"
  }
}
