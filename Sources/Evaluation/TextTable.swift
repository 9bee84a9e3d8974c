import CascadeSupport
import Foundation

/// A table rendered with aligned columns: as Markdown (pipes, alignment row) or as plain text
/// for a terminal. Columns whose cells all look numeric are right-aligned.
public struct TextTable: Sendable {
  public var header: [String]
  public var rows: [[String]]
  /// A table with column titles `header`; rows shorter than the header are padded with empty cells,
  /// cells beyond it are not rendered.
  public init(header: [String], rows: [[String]] = []) {
    self.header = header
    self.rows = rows
  }

  /// The table as text: Markdown (`| a | b |` with an alignment row) when `markdown`, else
  /// space-aligned columns for a terminal. Every line ends in a newline.
  public func render(markdown: Bool) -> String {
    let nc = header.count
    let cells = [header] + rows.map { r in (0..<nc).map { $0 < r.count ? r[$0] : "" } }
    let widths = (0..<nc).map { c in cells.map { $0[c].count }.max() ?? 0 }
    let numeric = (0..<nc).map { c in
      !rows.isEmpty && rows.allSatisfy { r in c < r.count && TextTable.looksNumeric(r[c]) }
    }
    func pad(_ s: String, _ c: Int) -> String {
      let fill = String(repeating: " ", count: max(0, widths[c] - s.count))
      return numeric[c] ? fill + s : s + fill
    }
    var out = ""
    for (i, row) in cells.enumerated() {
      let padded = (0..<nc).map { pad(row[$0], $0) }
      out += markdown ? "| " + padded.joined(separator: " | ") + " |\n" : padded.joined(separator: "  ") + "\n"
      if i == 0 {
        if markdown {
          out += "|" + (0..<nc).map { c in
            let dashes = String(repeating: "-", count: max(3, widths[c]) + (numeric[c] ? 1 : 2))
            return numeric[c] ? dashes + ":" : dashes
          }.joined(separator: "|") + "|\n"
        } else {
          out += (0..<nc).map { String(repeating: "-", count: widths[$0]) }.joined(separator: "  ") + "\n"
        }
      }
    }
    return out
  }

  static func looksNumeric(_ s: String) -> Bool {
    guard let f = s.first else { return true }
    return f.isNumber || f == "-" || f == "+" || f == "." || f == "—" || s == "nan" || s == "inf"
  }
}

/// Fixed number formats shared by the tables (no locale, no timestamps: deterministic bytes).
public enum NumberFormat {
  /// `digits` decimals; "—" for NaN.
  public static func fixed(_ d: Double, _ digits: Int = 4) -> String {
    guard d.isFinite else { return d.isNaN ? "—" : (d > 0 ? "inf" : "-inf") }
    let s = String(format: "%.\(digits)f", d)
    return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
  }

  /// A yield with its uncertainty, e.g. "1234.5 ± 12.3".
  public static func yield(_ value: Double, _ error: Double) -> String {
    let digits = abs(value) >= 1000 ? 1 : (abs(value) >= 10 ? 2 : 3)
    return fixed(value, digits) + " ± " + fixed(error, digits)
  }

  /// Shortest round-trip form for CSV files: "nan", "inf", "-inf" for non-finite values.
  public static func csv(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    return JSONValue.format(d)
  }

  /// A CSV field, quoted by the project's one rule (`CSVField`).
  public static func csvField(_ s: String) -> String { CSVField.quoted(s) }
}

/// Escapes text for HTML and SVG (element content and attribute values).
public func htmlEscape(_ s: String) -> String {
  var out = ""
  out.reserveCapacity(s.count)
  for c in s {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.append(c)
    }
  }
  return out
}

extension TextTable {
  /// An HTML table; numeric columns get class "num" (right-aligned by the report's style).
  public func renderHTML() -> String {
    let nc = header.count
    let numeric = (0..<nc).map { c in !rows.isEmpty && rows.allSatisfy { c < $0.count && TextTable.looksNumeric($0[c]) } }
    var out = "<table>\n<thead><tr>"
    for (c, h) in header.enumerated() { out += numeric[c] ? "<th class=\"num\">" : "<th>"; out += htmlEscape(h) + "</th>" }
    out += "</tr></thead>\n<tbody>\n"
    for r in rows {
      out += "<tr>"
      for c in 0..<nc {
        out += numeric[c] ? "<td class=\"num\">" : "<td>"
        out += htmlEscape(c < r.count ? r[c] : "") + "</td>"
      }
      out += "</tr>\n"
    }
    return out + "</tbody>\n</table>\n"
  }
}
