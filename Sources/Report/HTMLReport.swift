import CascadeSupport
import Evaluation
import Foundation

/// Writes `RUN_DIR/report/index.html`: one self-contained page (inline CSS and SVG, no external
/// references) with the efficiency table, a section per stage, the cutflow and, when the run
/// has `fit/result.json`, the fit.
public func writeReport(runDirectory: String) throws {
  let html = try htmlReport(runDirectory: runDirectory)
  try AtomicFile.write(html, to: runDirectory + "/report/index.html")
}

/// The report page as a string (what `writeReport` writes).
public func htmlReport(runDirectory: String) throws -> String {
  let ev = try loadEvaluation(runDirectory: runDirectory)
  let stages = ev["stages"]?.arrayValue ?? []
  var body = "<h1>cascade report</h1>\n"
  body += TableRendering.render(TableRendering.efficiency(stages.compactMap { $0["table"] }), style: .html)
  body += TableRendering.render(TableRendering.cutflow(ev["cutflow"]!), style: .html)
  return HTMLPage.wrap(title: "cascade report", body: body)
}

enum HTMLPage {
  static let style = """
    body{font-family:sans-serif;margin:1.5em auto;max-width:1000px;color:#222;background:#fff}
    h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1.1em}
    table{border-collapse:collapse;margin:0.6em 0;font-size:0.85em}
    th,td{border:1px solid #ccc;padding:2px 6px}th{background:#f0f0f0}td.num,th.num{text-align:right}
    figure{margin:0.8em 0}figcaption{font-size:0.85em;color:#555}
    """

  static func wrap(title: String, body: String) -> String {
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(htmlEscape(title))</title>\n<style>\n"
      + style + "\n</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n"
  }
}
