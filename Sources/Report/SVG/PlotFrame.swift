import Foundation

/// Colours of the plots: Okabe–Ito, distinguishable with colour-vision deficiencies.
public enum Palette {
  public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#F0E442", "#7F7F7F"]
  /// The colour of series `i`, cycling through ``colors``; negative indices wrap too.
  public static func color(_ i: Int) -> String { colors[((i % colors.count) + colors.count) % colors.count] }
  public static let signal = "#0072B2"
  public static let background = "#D55E00"
}

/// A legend entry's symbol.
public enum LegendSymbol {
  case line(color: String, dash: String?)
  case box(color: String, opacity: Double)
  case marker(color: String)
}

/// The plotting area of a chart with its axes: frame, grid, ticks, tick labels, axis titles,
/// title and legend. Series are drawn by the chart through `x` and `y`.
public struct PlotFrame {
  public var left: Double, top: Double, width: Double, height: Double
  public var x: Scale
  public var y: Scale
  public var clipID: String

  public var right: Double { left + width }
  public var bottom: Double { top + height }

  /// `xRange`/`yRange` in data units; the frame covers (left, top, width, height) in pixels.
  public init(
    left: Double, top: Double, width: Double, height: Double, xRange: (Double, Double), yRange: (Double, Double),
    xLog: Bool = false, yLog: Bool = false, clipID: String
  ) {
    self.left = left
    self.top = top
    self.width = width
    self.height = height
    x = Scale(xRange.0, xRange.1, pixels: (left, left + width), log: xLog)
    y = Scale(yRange.0, yRange.1, pixels: (top + height, top), log: yLog)
    self.clipID = clipID
  }

  /// Grid, frame, ticks and labels. `xTickLabels: false` leaves them to a panel below.
  public func drawAxes(
    _ svg: inout SVGCanvas, xLabel: String, yLabel: String, title: String? = nil, xTickLabels: Bool = true,
    grid: Bool = true, xTicks: Bool = true
  ) {
    svg.clipRect(id: clipID, left, top, width, height)
    svg.beginGroup("axes")
    let xt = xTicks ? x.ticks() : [], yt = y.ticks(target: height < 200 ? 3 : 6)
    if grid {
      for t in xt { svg.line(x(t.value), top, x(t.value), bottom, stroke: "#e6e6e6") }
      for t in yt { svg.line(left, y(t.value), right, y(t.value), stroke: "#e6e6e6") }
    }
    svg.rect(left, top, width, height, fill: "none", stroke: "#333")
    for t in xt {
      svg.line(x(t.value), bottom, x(t.value), bottom - 6, stroke: "#333")
      if xTickLabels { svg.text(x(t.value), bottom + 17, t.label, size: 12, anchor: .middle) }
    }
    for t in yt {
      svg.line(left, y(t.value), left + 6, y(t.value), stroke: "#333")
      svg.text(left - 6, y(t.value) + 4, t.label, size: 12, anchor: .end)
    }
    if xTickLabels { svg.text(left + width / 2, bottom + 38, xLabel, size: 14, anchor: .middle) }
    svg.text(left - 52, top + height / 2, yLabel, size: 14, anchor: .middle, rotate: -90)
    if let title { svg.text(left, top - 10, title, size: 15, bold: true) }
    svg.endGroup()
  }

  /// A legend box in a corner of the plotting area.
  public func drawLegend(
    _ svg: inout SVGCanvas, _ entries: [(label: String, symbol: LegendSymbol)], corner: Corner = .topRight
  ) {
    guard !entries.isEmpty else { return }
    let rowH = 19.0
    let w = 46 + Double(entries.map { $0.label.count }.max() ?? 0) * 7.0
    let h = Double(entries.count) * rowH + 8
    let x0 = corner == .topRight || corner == .bottomRight ? right - w - 8 : left + 8
    let y0 = corner == .topRight || corner == .topLeft ? top + 8 : bottom - h - 8
    svg.beginGroup("legend")
    svg.rect(x0, y0, w, h, fill: "#fff", stroke: "#bbb", opacity: 0.9)
    for (i, e) in entries.enumerated() {
      let cy = y0 + 4 + rowH * (Double(i) + 0.5)
      switch e.symbol {
      case .line(let c, let dash): svg.line(x0 + 8, cy, x0 + 34, cy, stroke: c, width: 2.5, dash: dash)
      case .box(let c, let o): svg.rect(x0 + 8, cy - 6, 26, 12, fill: c, stroke: c, opacity: o)
      case .marker(let c):
        svg.line(x0 + 21, cy - 7, x0 + 21, cy + 7, stroke: c, width: 1.5)
        svg.circle(x0 + 21, cy, r: 3.5, fill: c)
      }
      svg.text(x0 + 42, cy + 4.5, e.label, size: 12.5)
    }
    svg.endGroup()
  }

  /// Which corner of the plot area the legend box is drawn in.
  public enum Corner { case topLeft, topRight, bottomLeft, bottomRight }
}
