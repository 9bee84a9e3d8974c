import Evaluation
import Foundation

/// The plots of one cascade stage, drawn from its entry in `tables/evaluation.json`.
enum StagePlots {
  /// ROC curves: signal efficiency against background efficiency (linear or log axis); the
  /// target background's test curve solid, its train curve dashed, other backgrounds and "all"
  /// in other colours; the working point marked on the target test curve.
  static func roc(_ st: StageEvaluationRecord, log: Bool, id: String, colors: [String: String]) -> String {
    var svg = SVGCanvas(width: 800, height: 520)
    let curves = st.roc
    var minPositive = 1.0
    for c in curves {
      for b in c.test.backgroundEfficiency where b > 0 { minPositive = min(minPositive, b) }
    }
    let xLow = log ? max(1e-5, pow(10, Foundation.log10(minPositive).rounded(.down))) : 0
    let frame = PlotFrame(
      left: 80, top: 40, width: 690, height: 420, xRange: (xLow, 1), yRange: (0, 1.0001), xLog: log, clipID: id)
    let stage = st.stage
    frame.drawAxes(
      &svg, xLabel: "background efficiency" + (log ? " (log scale)" : ""), yLabel: "signal efficiency",
      title: "ROC — stage \(stage)" + (log ? " (log background axis)" : ""))
    var legend: [(String, LegendSymbol)] = []
    svg.beginGroup("series", clipTo: id)
    if !log { svg.line(frame.x(0), frame.y(0), frame.x(1), frame.y(1), stroke: "#999", dash: "4 4") }
    for (i, c) in curves.enumerated() {
      let kind = c.kind
      let backgrounds = c.backgrounds
      // Each background keeps its colour across plots; a multi-sample target takes its first sample's.
      let color = kind == "all" ? "#222" : colors[backgrounds.first ?? ""] ?? Palette.color(i + 1)
      let name = kind == "all" ? "all backgrounds" : backgrounds.joined(separator: "+")
      for sample in ["test", "train"] where sample == "test" || kind == "target" {
        let curve = sample == "test" ? c.test : c.train
        let b = curve.backgroundEfficiency
        let s = curve.signalEfficiency
        var pts: [(Double, Double)] = []
        for j in b.indices where b[j].isFinite && s[j].isFinite && (!log || b[j] > 0) {
          pts.append((frame.x(b[j]), frame.y(s[j])))
        }
        let dash = sample == "train" ? "7 4" : nil
        svg.polyline(pts, stroke: color, width: 2.2, dash: dash, cls: "roc-\(kind)-\(sample)")
        let auc = sample == "test" ? c.aucTest : c.aucTrain
        legend.append(("vs \(name) (\(sample), AUC \(fmt(auc, 4)))", .line(color: color, dash: dash)))
      }
    }
    // Working point: the last test point still passing the threshold.
    if let target = curves.first {
      let t = target.test.threshold
      let b = target.test.backgroundEfficiency
      let s = target.test.signalEfficiency
      let wp = st.threshold
      // A threshold written as null (+∞, NaN once read) passes every working point.
      if let j = t.indices.last(where: { t[$0].isNaN || t[$0] >= wp }), j < b.count, b[j].isFinite,
        !log || b[j] > 0
      {
        svg.circle(frame.x(b[j]), frame.y(s[j]), r: 5.5, fill: "#000", cls: "working-point")
        legend.append(("working point (threshold \(fmt(wp, 3)))", .marker(color: "#000")))
      }
    }
    svg.endGroup()
    // Linear: the curves hug the top-left, leaving the bottom-right free; log: the reverse.
    frame.drawLegend(&svg, legend, corner: log ? .topLeft : .bottomRight)
    return svg.render(label: "ROC curves of stage \(stage)")
  }

  /// TMVA's overtraining check: unit-area score distributions of signal and target background,
  /// test scores as filled histograms, train scores as points with error bars; KS p-values.
  static func overtraining(_ st: StageEvaluationRecord, id: String) -> String {
    var svg = SVGCanvas(width: 800, height: 520)
    let ot = st.overtraining
    let edges = ot.edges
    let series = [ot.signalTest, ot.backgroundTest, ot.signalTrain, ot.backgroundTrain].map {
      (values: $0.density, errors: $0.error)
    }
    var ymax = 0.0
    for s in series { for (v, e) in zip(s.values, s.errors) where (v + e).isFinite { ymax = max(ymax, v + e) } }
    let range = st.scoreRange
    let lo = edges.first ?? range.first ?? 0, hi = edges.last ?? range.last ?? 1
    // Boosted scores often pile up at the ends: a log axis when the peak dwarfs the typical bin.
    let positive = series[0].values.filter { $0 > 0 } + series[1].values.filter { $0 > 0 }
    let median = positive.sorted().dropFirst(positive.count / 2).first ?? 0
    let logY = median > 0 && ymax / median > 20
    let yLow = logY ? pow(10, Foundation.log10(max(positive.min() ?? 1, ymax * 1e-5)).rounded(.down)) : 0
    let yHigh = logY ? pow(10, Foundation.log10(ymax * 4).rounded(.up)) : Scale.niceUpper(ymax * 1.25)
    let frame = PlotFrame(
      left: 80, top: 40, width: 690, height: 420, xRange: (lo, hi), yRange: (yLow, yHigh), yLog: logY, clipID: id)
    let stage = st.stage
    frame.drawAxes(
      &svg, xLabel: "BDT score", yLabel: "normalised density" + (logY ? " (log)" : ""),
      title: "Overtraining check — stage \(stage)")
    svg.beginGroup("series", clipTo: id)
    let colors = [Palette.signal, Palette.background]
    for k in 0..<2 {
      let v = series[k].values
      guard v.count + 1 == edges.count else { continue }
      // Heights clamped to the visible range so the outline stays inside the frame on a log axis.
      func y(_ v: Double) -> Double { frame.y.clamped(v) }
      var pts: [(Double, Double)] = [(frame.x(edges[0]), frame.bottom)]
      for i in v.indices {
        pts.append((frame.x(edges[i]), y(v[i])))
        pts.append((frame.x(edges[i + 1]), y(v[i])))
      }
      pts.append((frame.x(edges[v.count]), frame.bottom))
      svg.polygon(pts, fill: colors[k], opacity: 0.3, stroke: colors[k], width: 1.8, cls: k == 0 ? "signal-test" : "background-test")
    }
    for k in 0..<2 {
      let (v, e) = series[k + 2]
      guard v.count + 1 == edges.count else { continue }
      svg.beginGroup(k == 0 ? "signal-train" : "background-train")
      for i in v.indices where v[i].isFinite {
        let cx = frame.x((edges[i] + edges[i + 1]) / 2)
        let err = e.indices.contains(i) && e[i].isFinite ? e[i] : 0
        svg.line(cx, frame.y.clamped(v[i] - err), cx, frame.y.clamped(v[i] + err), stroke: colors[k], width: 1.5)
        svg.circle(cx, frame.y.clamped(v[i]), r: 3.2, fill: colors[k])
      }
      svg.endGroup()
    }
    let wp = st.threshold
    if wp.isFinite, wp >= lo, wp <= hi {
      svg.line(frame.x(wp), frame.top, frame.x(wp), frame.bottom, stroke: "#333", width: 1.5, dash: "6 4", cls: "working-point")
    }
    svg.endGroup()
    let table = st.table
    let targets = st.targets.joined(separator: "+")
    frame.drawLegend(
      &svg,
      [
        ("signal (test sample)", .box(color: Palette.signal, opacity: 0.3)),
        ("\(targets) (test sample)", .box(color: Palette.background, opacity: 0.3)),
        ("signal (training sample)", .marker(color: Palette.signal)),
        ("\(targets) (training sample)", .marker(color: Palette.background)),
        ("working point", .line(color: "#333", dash: "6 4")),
      ], corner: .topLeft)
    svg.text(
      frame.right - 8, frame.top + 20,
      "KS test p-value: signal \(fmt(table.ksPSignal)), background \(fmt(table.ksPBackground))",
      size: 12.5, anchor: .end)
    return svg.render(label: "Overtraining check of stage \(stage)")
  }

  /// The working-point trade-off: the cascade's signal efficiency against each background's
  /// efficiency (log axis) while this stage's threshold is scanned.
  static func wpscan(_ scan: WorkingPointScanRecord, id: String, colors: [String: String]) -> String {
    var svg = SVGCanvas(width: 800, height: 480)
    let sig = scan.signalEfficiency
    let samples = scan.samples.filter { $0.role == "background" }
    var minPos = 1.0
    for s in samples { for v in s.efficiency where v > 0 { minPos = min(minPos, v) } }
    let yLow = max(1e-5, pow(10, Foundation.log10(minPos).rounded(.down)))
    let frame = PlotFrame(
      left: 80, top: 40, width: 690, height: 380, xRange: (0, 1), yRange: (yLow, 1), yLog: true, clipID: id)
    let stage = scan.stage
    frame.drawAxes(
      &svg, xLabel: "cascade signal efficiency (signal region)", yLabel: "background efficiency (log)",
      title: "Working-point scan — threshold of \(stage) varied, other stages fixed")
    var legend: [(String, LegendSymbol)] = []
    let thresholds = scan.threshold
    let wp = scan.workingPoint
    let wpIndex = thresholds.firstIndex(of: wp)
    svg.beginGroup("series", clipTo: id)
    for (i, s) in samples.enumerated() {
      let e = s.efficiency
      let color = colors[s.sample] ?? Palette.color(i + 1)
      var pts: [(Double, Double)] = []
      for j in e.indices where j < sig.count && sig[j].isFinite && e[j] > 0 {
        pts.append((frame.x(sig[j]), frame.y(e[j])))
      }
      svg.polyline(pts, stroke: color, width: 2.2, cls: "wpscan-\(s.sample)")
      if let w = wpIndex, e[w] > 0, sig[w].isFinite { svg.circle(frame.x(sig[w]), frame.y(e[w]), r: 5, fill: color, cls: "working-point") }
      legend.append((s.sample, .line(color: color, dash: nil)))
    }
    svg.endGroup()
    legend.append(("working point", .marker(color: "#333")))
    frame.drawLegend(&svg, legend, corner: .topLeft)
    return svg.render(label: "Working-point scan of stage \(stage)")
  }
}
