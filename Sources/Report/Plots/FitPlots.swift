import Foundation
import YieldFit

/// Plots of the fit: pre/post-fit stacks with data and a ratio panel, pulls, correlations.
enum FitPlots {
  /// Stacked per-sample yields (pre- or post-fit) with the total's uncertainty band, data points
  /// with √N errors, and a data / prediction ratio panel.
  static func prepost(
    _ r: PrePostFile.Region, postfit: Bool, id: String, colors: [String: String], observable: String = "observable"
  ) -> String {
    var svg = SVGCanvas(width: 800, height: 600)
    let e = r.edges, nb = e.count - 1
    let yields = r.samples.map { postfit ? $0.postfit : $0.prefit }
    let total = (0..<nb).map { b in yields.reduce(0.0) { $0 + max(0, $1[b]) } }
    let err: [Double]? = (postfit ? r.postfitError : r.prefitError).map { $0.isFinite ? $0 : 0 }
    let data: [Double]? = r.data
    var ymax = total.max() ?? 1
    if let d = data { ymax = max(ymax, (d.map { $0 + $0.squareRoot() }.max() ?? 0)) }
    let main = PlotFrame(
      left: 90, top: 40, width: 680, height: 360, xRange: (e[0], e[nb]), yRange: (0, Scale.niceUpper(ymax * 1.3)),
      clipID: id)
    let ratio = PlotFrame(
      left: 90, top: 410, width: 680, height: 120, xRange: (e[0], e[nb]), yRange: (0.5, 1.5), clipID: id + "-ratio")
    let label = (postfit ? "Post-fit" : "Pre-fit") + " — \(r.name)"
    main.drawAxes(&svg, xLabel: "", yLabel: "events / bin", title: label, xTickLabels: false)
    ratio.drawAxes(&svg, xLabel: observable, yLabel: "data / pred.")
    svg.beginGroup("series", clipTo: id)
    var base = [Double](repeating: 0, count: nb)
    var legend: [(String, LegendSymbol)] = []
    for (k, s) in r.samples.enumerated() {
      let color = colors[s.name] ?? Palette.color(k)
      var pts: [(Double, Double)] = []
      for b in 0..<nb {
        pts.append((main.x(e[b]), main.y(base[b] + max(0, yields[k][b]))))
        pts.append((main.x(e[b + 1]), main.y(base[b] + max(0, yields[k][b]))))
      }
      for b in stride(from: nb - 1, through: 0, by: -1) {
        pts.append((main.x(e[b + 1]), main.y(base[b])))
        pts.append((main.x(e[b]), main.y(base[b])))
      }
      svg.polygon(pts, fill: color, opacity: 0.85, stroke: color, width: 0.5, cls: "stack-\(s.name)")
      for b in 0..<nb { base[b] += max(0, yields[k][b]) }
      legend.append((s.name, .box(color: color, opacity: 0.85)))
    }
    if let err, err.count == nb {
      svg.beginGroup("uncertainty")
      for b in 0..<nb {
        svg.rect(main.x(e[b]), main.y(total[b] + err[b]), main.x(e[b + 1]) - main.x(e[b]),
          main.y(total[b] - err[b]) - main.y(total[b] + err[b]), fill: "#555", opacity: 0.35)
      }
      svg.endGroup()
      legend.append(((postfit ? "post-fit" : "pre-fit") + " uncertainty", .box(color: "#555", opacity: 0.35)))
    }
    if let d = data, d.count == nb {
      svg.beginGroup("data")
      for b in 0..<nb where d[b].isFinite {
        let cx = main.x((e[b] + e[b + 1]) / 2), s = d[b].squareRoot()
        svg.line(cx, main.y(d[b] - s), cx, main.y(d[b] + s), stroke: "#000", width: 1.4)
        svg.circle(cx, main.y(d[b]), r: 3.3, fill: "#000")
      }
      svg.endGroup()
      legend.append(("data", .marker(color: "#000")))
    }
    svg.endGroup()
    main.drawLegend(&svg, legend)
    svg.beginGroup("ratio", clipTo: id + "-ratio")
    svg.line(ratio.left, ratio.y(1), ratio.right, ratio.y(1), stroke: "#666", dash: "4 3")
    for b in 0..<nb where total[b] > 0 {
      if let err, err.count == nb {
        let rel = err[b] / total[b]
        svg.rect(ratio.x(e[b]), ratio.y(1 + rel), ratio.x(e[b + 1]) - ratio.x(e[b]), ratio.y(1 - rel) - ratio.y(1 + rel),
          fill: "#555", opacity: 0.35)
      }
      if let d = data, d.count == nb, d[b].isFinite {
        let cx = ratio.x((e[b] + e[b + 1]) / 2)
        let v = d[b] / total[b], s = d[b].squareRoot() / total[b]
        svg.line(cx, ratio.y(v - s), cx, ratio.y(v + s), stroke: "#000", width: 1.4)
        svg.circle(cx, ratio.y(v), r: 3, fill: "#000", cls: "ratio-point")
      }
    }
    svg.endGroup()
    return svg.render(label: label)
  }

  /// Whether a parameter's nominal value is 1 (normalisations, γ's, lumi) rather than 0 (α's).
  static func centredAtOne(_ name: String) -> Bool {
    let n = name.lowercased()
    return n.hasPrefix("mu") || n.hasPrefix("norm") || n.hasPrefix("lumi") || n.contains("staterror")
      || n.contains("gamma") || n.contains("shapesys") || n.contains("shapefactor")
  }

  /// Fitted value ± error of every free parameter, one row each; normalisation-like parameters
  /// against 1, nuisance parameters against 0 with the ±1σ/±2σ bands.
  static func pulls(_ fit: FitView, names: [String], id: String) -> String {
    let params = names.compactMap { n in fit.result.parameters.first { $0.name == n } }
    let rowH = 24.0
    let height = 40 + rowH * Double(max(1, params.count)) + 60
    var svg = SVGCanvas(width: 800, height: height)
    var lo = -2.5, hi = 2.5
    for p in params where p.value.isFinite {
      let c = centredAtOne(p.name) ? 1.0 : 0.0
      let er = p.error.isFinite ? p.error : 0
      lo = min(lo, p.value - c - er)
      hi = max(hi, p.value - c + er)
    }
    lo = max(lo, -6); hi = min(hi, 6)
    let frame = PlotFrame(
      left: 240, top: 40, width: 520, height: rowH * Double(max(1, params.count)),
      xRange: (lo.rounded(.down), hi.rounded(.up)), yRange: (0, Double(max(1, params.count))), clipID: id)
    svg.text(20, 26, "Fitted parameters: value − nominal (1 for normalisations, 0 for nuisance parameters)", size: 15, bold: true)
    svg.beginGroup("bands", clipTo: id)
    svg.rect(frame.x(-2), frame.top, frame.x(2) - frame.x(-2), frame.height, fill: "#F0E442", opacity: 0.35)
    svg.rect(frame.x(-1), frame.top, frame.x(1) - frame.x(-1), frame.height, fill: "#009E73", opacity: 0.3)
    svg.line(frame.x(0), frame.top, frame.x(0), frame.bottom, stroke: "#333", dash: "4 3")
    svg.endGroup()
    svg.rect(frame.left, frame.top, frame.width, frame.height, fill: "none", stroke: "#333")
    svg.beginGroup("series", clipTo: id)
    for (i, p) in params.enumerated() {
      let c = centredAtOne(p.name) ? 1.0 : 0.0
      let cy = frame.top + rowH * (Double(i) + 0.5)
      let v = p.value - c, er = p.error.isFinite ? p.error : 0
      svg.line(frame.x.clamped(v - er), cy, frame.x.clamped(v + er), cy, stroke: "#000", width: 1.6)
      if let m = p.minos {
        // MINOS as signed errors (lo < 0 < hi) or as an interval containing the value.
        let (a, b) = m[0] <= 0 && m[1] >= 0 ? (v + m[0], v + m[1]) : (m[0] - c, m[1] - c)
        svg.line(frame.x.clamped(a), cy + 5, frame.x.clamped(b), cy + 5, stroke: Palette.background, width: 1.4)
      }
      svg.circle(frame.x.clamped(v), cy, r: 4, fill: "#000", cls: "pull")
    }
    svg.endGroup()
    for (i, p) in params.enumerated() {
      let cy = frame.top + rowH * (Double(i) + 0.5)
      let text = p.name + (centredAtOne(p.name) ? " − 1" : "")
      svg.text(frame.left - 8, cy + 4, text, size: 12.5, anchor: .end)
    }
    for t in frame.x.ticks(target: 6) {
      svg.line(frame.x(t.value), frame.bottom, frame.x(t.value), frame.bottom + 5, stroke: "#333")
      svg.text(frame.x(t.value), frame.bottom + 19, t.label, size: 12, anchor: .middle)
    }
    svg.text(frame.left + frame.width / 2, frame.bottom + 40, "fitted value − nominal (black: HESSE, orange: MINOS)", size: 13, anchor: .middle)
    return svg.render(label: "Fitted parameters")
  }

  /// The correlation matrix of the free parameters, blue (−1) to red (+1), values in the cells.
  static func correlation(_ fit: FitView, names: [String], id: String) -> String {
    let m = fit.correlation(of: names), n = names.count
    let cell = n <= 12 ? 44.0 : max(10, 540 / Double(max(1, n)))
    let left = 200.0, top = 60.0
    let side = cell * Double(n)
    var svg = SVGCanvas(width: max(800, left + side + 120), height: top + side + 10 + 7 * Double(names.map { $0.count }.max() ?? 0))
    svg.text(20, 28, "Correlation matrix of the fitted parameters", size: 15, bold: true)
    func color(_ v: Double) -> String {
      let t = max(-1, min(1, v.isFinite ? v : 0))
      // White at 0, towards #B2182B at +1 and #2166AC at −1.
      let (r, g, b): (Double, Double, Double) = t >= 0 ? (178, 24, 43) : (33, 102, 172)
      let a = abs(t)
      func c(_ x: Double) -> Int { Int((255 + (x - 255) * a).rounded()) }
      return String(format: "#%02X%02X%02X", c(r), c(g), c(b))
    }
    svg.beginGroup("series")
    for i in 0..<n {
      for j in 0..<n {
        let v = m[i][j]
        svg.rect(left + cell * Double(j), top + cell * Double(i), cell, cell, fill: color(v), stroke: "#fff", cls: "cell",
          title: "\(names[i]) × \(names[j]): \(fmt(v, 3))")
        if cell >= 30 {
          svg.text(left + cell * (Double(j) + 0.5), top + cell * (Double(i) + 0.5) + 4, fmt(v, 2), size: 11, anchor: .middle,
            fill: abs(v) > 0.6 ? "#fff" : "#222")
        }
      }
    }
    svg.endGroup()
    svg.beginGroup("axes")
    for i in 0..<n {
      svg.text(left - 6, top + cell * (Double(i) + 0.5) + 4, names[i], size: min(12.5, cell * 0.8), anchor: .end)
      let x = left + cell * (Double(i) + 0.5)
      svg.text(x, top + side + 8, names[i], size: min(12.5, cell * 0.8), anchor: .end, rotate: -60)
    }
    // Colour scale.
    let sx = left + side + 30
    for k in 0..<20 {
      let v = 1 - Double(k) / 10
      svg.rect(sx, top + Double(k) * side / 20, 18, side / 20 + 0.5, fill: color(v))
    }
    for v in [-1.0, 0, 1] { svg.text(sx + 24, top + (1 - v) / 2 * side + 4, fmt(v, 0), size: 12) }
    svg.endGroup()
    return svg.render(label: "Correlation matrix")
  }
}
