import Evaluation
import Foundation

/// A minimal SVG writer: shapes and text appended in drawing order, coordinates printed with two
/// decimals (deterministic bytes, small files). The root element carries no namespace URL so the
/// page references nothing external; browsers accept inline `<svg>` in HTML without it.
public struct SVGCanvas {
  public let width: Double
  public let height: Double
  private(set) var body: String = ""

  /// An empty canvas of `width` × `height` user units (pixels at 100 % zoom); y grows downwards.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  static func n(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let s = String(format: "%.2f", v)
    var t = Substring(s)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return t == "-0" ? "0" : String(t)
  }

  static func attrs(_ pairs: [(String, String?)]) -> String {
    pairs.compactMap { k, v in v.map { " \(k)=\"\(htmlEscape($0))\"" } }.joined()
  }

  /// Appends `s` verbatim: the caller guarantees it is well-formed, escaped SVG.
  public mutating func raw(_ s: String) { body += s }

  /// A straight line from (`x1`, `y1`) to (`x2`, `y2`); `dash` is an SVG `stroke-dasharray`
  /// (`"4 3"`).
  public mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#000", width: Double = 1,
    dash: String? = nil, cls: String? = nil
  ) {
    body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\""
      + Self.attrs([("stroke", stroke), ("stroke-width", Self.n(width)), ("stroke-dasharray", dash), ("class", cls)]) + "/>\n"
  }

  /// A rectangle with its top-left corner at (`x`, `y`); negative sizes are drawn as 0. `title`
  /// becomes a tooltip (an SVG `<title>` child).
  public mutating func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil, opacity: Double? = nil,
    cls: String? = nil, title: String? = nil
  ) {
    let a = Self.attrs([
      ("fill", fill), ("stroke", stroke), ("fill-opacity", opacity.map(Self.n)), ("class", cls),
    ])
    let head = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, w)))\" height=\"\(Self.n(max(0, h)))\"" + a
    if let title { body += head + "><title>\(htmlEscape(title))</title></rect>\n" } else { body += head + "/>\n" }
  }

  /// An open line through `points`; `cls` names the series (tests look series up by it).
  public mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil, cls: String? = nil
  ) {
    guard !points.isEmpty else { return }
    let pts = points.map { Self.n($0.0) + "," + Self.n($0.1) }.joined(separator: " ")
    body += "<polyline points=\"\(pts)\" fill=\"none\""
      + Self.attrs([("stroke", stroke), ("stroke-width", Self.n(width)), ("stroke-dasharray", dash),
        ("stroke-linejoin", "round"), ("class", cls)]) + "/>\n"
  }

  /// A closed, filled shape through `points` (nothing for no points); `opacity` is the fill's.
  public mutating func polygon(
    _ points: [(Double, Double)], fill: String, opacity: Double = 1, stroke: String? = nil, width: Double = 1,
    cls: String? = nil
  ) {
    guard !points.isEmpty else { return }
    let pts = points.map { Self.n($0.0) + "," + Self.n($0.1) }.joined(separator: " ")
    body += "<polygon points=\"\(pts)\""
      + Self.attrs([("fill", fill), ("fill-opacity", Self.n(opacity)), ("stroke", stroke),
        ("stroke-width", stroke == nil ? nil : Self.n(width)), ("class", cls)]) + "/>\n"
  }

  /// A filled circle of radius `r` around (`cx`, `cy`).
  public mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, cls: String? = nil) {
    body += "<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(r))\"" + Self.attrs([("fill", fill), ("class", cls)]) + "/>\n"
  }

  /// Which point of a text the x coordinate fixes (SVG `text-anchor`).
  public enum Anchor: String { case start, middle, end }

  /// A line of text with its baseline at `y`, escaped for XML; `size` in user units, `rotate` in
  /// degrees clockwise about (`x`, `y`).
  public mutating func text(
    _ x: Double, _ y: Double, _ s: String, size: Double = 13, anchor: Anchor = .start, rotate: Double? = nil,
    bold: Bool = false, fill: String = "#222"
  ) {
    let transform = rotate.map { "rotate(\(Self.n($0)) \(Self.n(x)) \(Self.n(y)))" }
    body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\""
      + Self.attrs([("font-size", Self.n(size)), ("text-anchor", anchor == .start ? nil : anchor.rawValue),
        ("font-weight", bold ? "bold" : nil), ("fill", fill), ("transform", transform)])
      + ">\(htmlEscape(s))</text>\n"
  }

  /// Starts a group whose children are named by `cls` (a series, the axes, the legend).
  public mutating func beginGroup(_ cls: String, clipTo clip: String? = nil) {
    body += "<g" + Self.attrs([("class", cls), ("clip-path", clip.map { "url(#\($0))" })]) + ">\n"
  }
  /// Closes the group opened by the matching ``beginGroup(_:clipTo:)``.
  public mutating func endGroup() { body += "</g>\n" }

  /// A clip rectangle usable by later groups as `clipTo: id`.
  public mutating func clipRect(id: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double) {
    body += "<defs><clipPath id=\"\(htmlEscape(id))\"><rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\"/></clipPath></defs>\n"
  }

  /// The `<svg>` element: fixed size in user units, scales down with the page (max-width 100%).
  public func render(label: String) -> String {
    "<svg width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\""
      + " role=\"img\" aria-label=\"\(htmlEscape(label))\" font-family=\"sans-serif\" style=\"max-width:100%;height:auto\">\n"
      + "<rect x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"#fff\"/>\n"
      + body + "</svg>\n"
  }
}
