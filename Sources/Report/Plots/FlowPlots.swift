import Evaluation
import Foundation

/// Plots of the whole cascade, drawn from the `cutflow` object of `tables/evaluation.json`.
enum FlowPlots {
  /// Yield per region and MC sample as stacked bars, data as points with √N error bars.
  static func flow(_ cf: CutflowRecord, id: String) -> String {
    var svg = SVGCanvas(width: 800, height: 500)
    let samples = cf.samples
    let regions = cf.regions
    let mc = samples.indices.filter { samples[$0].role != "data" }
    let data = samples.indices.filter { samples[$0].role == "data" }
    var ymax = 0.0
    for r in regions {
      let ys = r.samples.map(\.yield)
      ymax = max(ymax, mc.reduce(0.0) { $0 + max(0, ys.indices.contains($1) ? ys[$1] : 0) })
      for d in data where ys.indices.contains(d) { ymax = max(ymax, ys[d] + ys[d].squareRoot()) }
    }
    let n = Double(max(1, regions.count))
    let frame = PlotFrame(
      left: 90, top: 40, width: 680, height: 380, xRange: (0, n), yRange: (0, Scale.niceUpper(ymax * 1.3)), clipID: id)
    // Category axis: region names under the bars instead of numeric ticks.
    frame.drawAxes(&svg, xLabel: "", yLabel: "weighted yield", title: "Cascade flow: yield per region and sample", xTicks: false)
    let slot = frame.width / n
    var legend: [(String, LegendSymbol)] = []
    svg.beginGroup("series", clipTo: id)
    for (ri, r) in regions.enumerated() {
      let ys = r.samples.map(\.yield)
      var base = 0.0
      let x0 = frame.left + slot * (Double(ri) + 0.2), w = slot * 0.6
      for (k, s) in mc.enumerated() where ys.indices.contains(s) && ys[s] > 0 {
        let top = base + ys[s]
        svg.rect(
          x0, frame.y(top), w, frame.y(base) - frame.y(top), fill: Palette.color(k), stroke: "#fff", cls: "bar",
          title: "\(r.region) · \(samples[s].name): \(fmt(ys[s], 1))")
        base = top
      }
      for d in data where ys.indices.contains(d) {
        let cx = x0 + w / 2, v = ys[d]
        svg.line(cx, frame.y(v - v.squareRoot()), cx, frame.y(v + v.squareRoot()), stroke: "#000", width: 1.5)
        svg.circle(cx, frame.y(v), r: 4, fill: "#000", cls: "data")
      }
    }
    svg.endGroup()
    for (ri, r) in regions.enumerated() {
      svg.text(frame.left + slot * (Double(ri) + 0.5), frame.bottom + 18, r.region, size: 13, anchor: .middle)
    }
    for (k, s) in mc.enumerated() { legend.append((samples[s].name, .box(color: Palette.color(k), opacity: 1))) }
    for d in data { legend.append((samples[d].name, .marker(color: "#000"))) }
    frame.drawLegend(&svg, legend)
    return svg.render(label: "Cascade flow")
  }

  /// Composition of each region's MC yield (fractions, stacked to 100%), purity at the right.
  static func composition(_ cf: CutflowRecord, id: String) -> String {
    let samples = cf.samples
    let regions = cf.regions
    let mc = samples.indices.filter { samples[$0].role != "data" }
    let rowH = 46.0
    let height = 110 + rowH * Double(max(1, regions.count)) + 40
    var svg = SVGCanvas(width: 800, height: height)
    let frame = PlotFrame(
      left: 110, top: 40, width: 560, height: rowH * Double(max(1, regions.count)), xRange: (0, 1), yRange: (0, 1),
      clipID: id)
    svg.text(frame.left, 28, "Region composition (fraction of MC yield) and purity", size: 15, bold: true)
    svg.beginGroup("series")
    for (ri, r) in regions.enumerated() {
      let ys = r.samples.map(\.yield)
      let total = mc.reduce(0.0) { $0 + max(0, ys.indices.contains($1) ? ys[$1] : 0) }
      let y0 = frame.top + rowH * Double(ri) + 8
      var acc = 0.0
      for (k, s) in mc.enumerated() where total > 0 && ys.indices.contains(s) && ys[s] > 0 {
        let f = ys[s] / total
        svg.rect(
          frame.x(acc), y0, frame.x(acc + f) - frame.x(acc), rowH - 16, fill: Palette.color(k), stroke: "#fff",
          cls: "bar", title: "\(r.region) · \(samples[s].name): \(fmt(100 * f, 1))%")
        if f > 0.07 { svg.text(frame.x(acc + f / 2), y0 + rowH / 2 - 3, "\(fmt(100 * f, 0))%", size: 12, anchor: .middle, fill: "#fff") }
        acc += f
      }
      svg.text(frame.left - 8, y0 + rowH / 2 - 3, r.region, size: 13, anchor: .end)
      svg.text(frame.right + 10, y0 + rowH / 2 - 3, "purity \(fmt(r.purity, 3))", size: 13)
    }
    svg.endGroup()
    svg.beginGroup("axes")
    for t in frame.x.ticks(target: 5) {
      svg.line(frame.x(t.value), frame.bottom, frame.x(t.value), frame.bottom + 5, stroke: "#333")
      svg.text(frame.x(t.value), frame.bottom + 19, t.label, size: 12, anchor: .middle)
    }
    svg.line(frame.left, frame.bottom, frame.right, frame.bottom, stroke: "#333")
    svg.text(frame.left + frame.width / 2, frame.bottom + 40, "fraction of the region's MC yield", size: 14, anchor: .middle)
    svg.endGroup()
    // Legend below the axis, in a row.
    svg.beginGroup("legend")
    var lx = frame.left
    for (k, s) in mc.enumerated() {
      let name = samples[s].name
      svg.rect(lx, frame.bottom + 56, 14, 14, fill: Palette.color(k))
      svg.text(lx + 19, frame.bottom + 68, name, size: 12.5)
      lx += 40 + Double(name.count) * 8.5
    }
    svg.endGroup()
    return svg.render(label: "Region composition")
  }
}
