import CascadeSupport
import Evaluation
import Foundation
import YieldFit

/// The publication plots of `fit/impacts.json` and `fit/breakdown.json`.
enum RankingPlots {
  /// The standard ranking plot of the `limit` largest impacts: horizontal bars for the POI's
  /// shifts (post-fit filled, pre-fit open; up in blue, down in orange) on the top axis, pulls
  /// (θ̂ − θ₀)/σ₀ with their constraints as points with error bars on the bottom axis.
  static func ranking(_ impacts: ImpactsFile, limit: Int = 20, id: String) -> String {
    let shown = Array(impacts.impacts.prefix(limit))
    let rowH = 24.0
    let height = 90 + rowH * Double(max(1, shown.count)) + 50
    var svg = SVGCanvas(width: 800, height: height)
    let left = 240.0, top = 70.0, width = 520.0, plotH = rowH * Double(max(1, shown.count))
    // Impact axis symmetric around 0; pulls on −2…2 over the same pixels.
    var largest = 0.0
    for e in shown {
      for v in e.postfit + (e.prefit ?? []) where v.isFinite { largest = max(largest, abs(v)) }
    }
    let span = Scale.niceUpper(max(largest, 1e-12) * 1.1)
    let impactX = Scale(-span, span, pixels: (left, left + width))
    let pullX = Scale(-2, 2, pixels: (left, left + width))
    svg.clipRect(id: id, left, top, width, plotH)
    let target = impacts.targets.first ?? "POI"
    svg.text(20, 24, "Impacts on \(target) (bars, top axis) and pulls (points, bottom axis)", size: 15, bold: true)
    svg.beginGroup("axes")
    svg.rect(left, top, width, plotH, fill: "none", stroke: "#333")
    for t in impactX.ticks(target: 5) {
      svg.line(impactX(t.value), top, impactX(t.value), top - 5, stroke: "#333")
      svg.text(impactX(t.value), top - 8, t.label, size: 11, anchor: .middle)
    }
    svg.text(left + width / 2, top - 26, "Δ\(target)", size: 12.5, anchor: .middle)
    for v in [-2.0, -1, 0, 1, 2] {
      svg.line(pullX(v), top + plotH, pullX(v), top + plotH + 5, stroke: "#333")
      svg.text(pullX(v), top + plotH + 18, JSONValue.format(v), size: 11, anchor: .middle)
    }
    svg.text(left + width / 2, top + plotH + 36, "(θ̂ − θ₀) / σ₀", size: 12.5, anchor: .middle)
    svg.line(pullX(0), top, pullX(0), top + plotH, stroke: "#333", dash: "4 3")
    for v in [-1.0, 1] { svg.line(pullX(v), top, pullX(v), top + plotH, stroke: "#999", dash: "2 3") }
    svg.endGroup()
    svg.beginGroup("impacts", clipTo: id)
    for (i, e) in shown.enumerated() {
      let y = top + rowH * Double(i)
      func bar(_ v: Double, _ color: String, filled: Bool, cls: String) {
        guard v.isFinite else { return }
        let (a, b) = (impactX(min(0, v)), impactX(max(0, v)))
        svg.rect(a, y + 4, b - a, rowH - 8, fill: filled ? color : "none", stroke: color, opacity: filled ? 0.75 : nil, cls: cls)
      }
      if let pre = e.prefit, pre.count == 2 {
        bar(pre[1], Palette.signal, filled: false, cls: "prefit-up")
        bar(pre[0], Palette.background, filled: false, cls: "prefit-down")
      }
      if e.postfit.count == 2 {
        bar(e.postfit[1], Palette.signal, filled: true, cls: "postfit-up")
        bar(e.postfit[0], Palette.background, filled: true, cls: "postfit-down")
      }
    }
    svg.endGroup()
    svg.beginGroup("pulls", clipTo: id)
    for (i, e) in shown.enumerated() where e.prefit != nil && e.pull.isFinite {
      let cy = top + rowH * (Double(i) + 0.5)
      let c = e.constraint.isFinite ? e.constraint : 0
      svg.line(pullX.clamped(e.pull - c), cy, pullX.clamped(e.pull + c), cy, stroke: "#000", width: 1.6)
      svg.circle(pullX.clamped(e.pull), cy, r: 4, fill: "#000", cls: "pull")
    }
    svg.endGroup()
    svg.beginGroup("labels")
    for (i, e) in shown.enumerated() {
      svg.text(left - 8, top + rowH * (Double(i) + 0.5) + 4, e.name, size: 12.5, anchor: .end)
    }
    svg.endGroup()
    return svg.render(label: "Ranking of the impacts on \(target)")
  }

  /// The breakdown as a table: one row per parameter (the POI first), total, stat, syst and
  /// each group's part.
  static func breakdownTable(_ b: BreakdownFile) -> TextTable {
    var t = TextTable(header: ["Parameter", "Value", "Total", "Stat", "Syst"] + b.groups)
    for p in b.parameters {
      t.rows.append([p.name, fmt(p.value, 4), fmt(p.total, 3), fmt(p.stat, 3), fmt(p.syst, 3)] + b.groups.map { fmt(p.groups[$0] ?? .nan, 3) })
    }
    return t
  }
}

extension FitView {
  /// `impacts.json` and `breakdown.json` of `fitDirectory`, when present (read strictly).
  static func publication(fitDirectory: String) throws -> (impacts: ImpactsFile?, breakdown: BreakdownFile?) {
    func load<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
      let path = fitDirectory + "/" + name
      return FileManager.default.fileExists(atPath: path) ? try JSONFile.load(type, from: path) : nil
    }
    return (try load(ImpactsFile.self, ImpactsFile.fileName), try load(BreakdownFile.self, BreakdownFile.fileName))
  }
}

extension ReportPage {
  /// The ranking plot and the breakdown table, when the fit has them.
  mutating func publicationFigures(_ fit: FitView) {
    if let impacts = fit.impacts, !impacts.impacts.isEmpty {
      figure(
        RankingPlots.ranking(impacts, id: nextID()),
        "The \(min(20, impacts.impacts.count)) largest impacts of \(impacts.impacts.count): the shift of \(impacts.targets.first ?? "the POI") with the parameter fixed at θ̂ ± σ̂ (filled) and θ₀ ± σ₀ (open), the rest refitted; points are pulls with constraints.")
    }
    if let b = fit.breakdown {
      body += "<h3>Uncertainty breakdown</h3>\n" + RankingPlots.breakdownTable(b).renderHTML()
    }
  }
}
