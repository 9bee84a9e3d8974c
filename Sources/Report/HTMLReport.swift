import CascadeSupport
import Evaluation
import Foundation

/// Writes `RUN_DIR/report/index.html`: one self-contained page (inline CSS and SVG, no external
/// references) with the efficiency table, a section per stage (ROC curves, overtraining check,
/// working-point scan, variable ranking), the cascade (flow, region composition, cutflow) and,
/// when the run has `fit/result.json`, the fit (parameters, pulls, correlations, and pre/post-fit
/// distributions from `fit/prepost.json`).
public func writeReport(runDirectory: String) throws {
  let html = try htmlReport(runDirectory: runDirectory)
  try AtomicFile.write(html, to: runDirectory + "/report/index.html")
}

/// The report page as a string (what `writeReport` writes).
public func htmlReport(runDirectory: String) throws -> String {
  let ev = try loadEvaluation(runDirectory: runDirectory)
  var page = ReportPage()
  let stages = ev["stages"].arr
  let cutflow = ev["cutflow"]!
  let scans = ev["wpscan"].arr
  let rows = stages.compactMap { $0["table"] }
  let name = (runDirectory as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? "run"

  var fit: FitResult?
  var prepost: PrePost?
  let fitDir = runDirectory + "/fit"
  if FileManager.default.fileExists(atPath: fitDir + "/result.json") {
    fit = try FitResult(path: fitDir + "/result.json")
    if FileManager.default.fileExists(atPath: fitDir + "/prepost.json") { prepost = try PrePost(path: fitDir + "/prepost.json") }
  }

  // One colour per MC sample, the same in every plot.
  var colors: [String: String] = [:]
  for (k, s) in cutflow["samples"].arr.filter({ $0["role"].str != "data" }).enumerated() { colors[s["name"].str] = Palette.color(k) }
  // The fit observable's name for the pre/post-fit axes, from the run's config copy.
  let observable = (try? JSONValue.load(path: runDirectory + "/config.json"))?["fit"]?["observable"]?.stringValue ?? "observable"

  page.body += "<h1>cascade report: \(htmlEscape(name))</h1>\n"
  let sigEff = cutflow["signal_efficiency"].num
  let regions = cutflow["regions"].arr.map { $0["region"].str }
  page.body += "<p>\(stages.count) stage(s); regions \(htmlEscape(regions.joined(separator: ", "))); "
    + "signal efficiency into the SR \(fmt(sigEff, 4)).</p>\n"
  page.body += "<nav><ul>\n<li><a href=\"#efficiency\">Efficiency table</a></li>\n"
  for (i, st) in stages.enumerated() {
    page.body += "<li><a href=\"#stage-\(i)\">Stage \(htmlEscape(st["stage"].str))</a></li>\n"
  }
  page.body += "<li><a href=\"#cascade\">Cascade flow and cutflow</a></li>\n"
  if fit != nil { page.body += "<li><a href=\"#fit\">Fit</a></li>\n" }
  page.body += "</ul></nav>\n"

  page.body += "<section id=\"efficiency\">\n"
  page.body += TableRendering.render(TableRendering.efficiency(rows, includeRanking: false), style: .html)
    .replacingOccurrences(of: "<h2>Efficiency per stage</h2>", with: "<h2>Efficiency table (TMVA style)</h2>")
  page.body += "</section>\n"

  for (i, st) in stages.enumerated() {
    let stage = st["stage"].str
    let targets = st["targets"].arr.map { $0.str }.joined(separator: "+")
    page.body += "<section id=\"stage-\(i)\">\n<h2>Stage \(htmlEscape(stage)): signal vs \(htmlEscape(targets)) → \(htmlEscape(st["region"].str))</h2>\n"
    page.figure(StagePlots.roc(st, log: false, id: page.nextID(), colors: colors), "ROC curves on out-of-fold (test) scores; dashed: train scores of the target background.")
    page.figure(StagePlots.roc(st, log: true, id: page.nextID(), colors: colors), "The same with a logarithmic background-efficiency axis.")
    page.figure(StagePlots.overtraining(st, id: page.nextID()),
      "Score distributions normalised to unit area: filled = out-of-fold (test) scores, points = scores by a model trained on the event.")
    if let scan = scans.first(where: { $0["stage"].str == stage }) {
      page.figure(StagePlots.wpscan(scan, id: page.nextID(), colors: colors),
        "Fraction of each background's total yield reaching the SR against the signal's, as this stage's threshold moves.")
    }
    if let row = st["table"] {
      page.body += "<h3>Variable ranking</h3>\n" + TableRendering.ranking(row).renderHTML()
    }
    page.body += "</section>\n"
  }

  page.body += "<section id=\"cascade\">\n<h2>Cascade flow</h2>\n"
  page.figure(FlowPlots.flow(cutflow, id: page.nextID()), "Weighted yield of every sample in every region; data with √N errors.")
  page.figure(FlowPlots.composition(cutflow, id: page.nextID()), "Share of each MC sample in each region's yield.")
  page.body += TableRendering.render(TableRendering.cutflow(cutflow), style: .html)
    .replacingOccurrences(of: "<h2>Cutflow</h2>", with: "<h3>Cutflow</h3>")
  page.body += "</section>\n"
  try SculptingPlots.section(runDirectory: runDirectory, page: &page)

  if let fit {
    page.body += "<section id=\"fit\">\n<h2>Fit</h2>\n"
    page.body += "<p>converged: \(fit.converged.map { $0 ? "yes" : "no" } ?? "—"); −2 ln L = \(fmt(fit.twiceNLL, 4))</p>\n"
    if !fit.inference.isEmpty {
      page.body += "<ul>\n" + fit.inference.map { "<li>\(htmlEscape($0))</li>\n" }.joined() + "</ul>\n"
    }
    var t = TextTable(header: ["Parameter", "Value", "Error", "MINOS", "Fixed"])
    var perBin = t
    for p in fit.parameters {
      // Per-bin parameters (name[i]) go to a collapsed table: there can be hundreds.
      let isPerBin = p.name.contains("[")
      if isPerBin { perBin.rows.append([p.name, fmt(p.value, 4), fmt(p.error, 4), "", p.fixed ? "fixed" : ""]); continue }
      t.rows.append([
        p.name, fmt(p.value, 4), fmt(p.error, 4), p.minos.map { $0.0 <= 0 && $0.1 >= 0 ? "\(fmt($0.0, 4)) / +\(fmt($0.1, 4))" : "[\(fmt($0.0, 4)), \(fmt($0.1, 4))]" } ?? "—",
        p.fixed ? "fixed" : "",
      ])
    }
    page.body += t.renderHTML()
    if !perBin.rows.isEmpty {
      page.body += "<details><summary>\(perBin.rows.count) per-bin parameters (staterror, shapesys, …)</summary>\n"
        + perBin.renderHTML() + "</details>\n"
    }
    let free = fit.parameters.filter { !$0.fixed }.map { $0.name }
    let pulls = FitResult.plotted(free, limit: 60)
    if !pulls.names.isEmpty {
      page.figure(
        FitPlots.pulls(fit, names: pulls.names, id: page.nextID()),
        "Best-fit values with HESSE errors (MINOS in orange where computed)."
          + (pulls.omitted > 0 ? " \(pulls.omitted) per-bin parameters not shown (see the table)." : ""))
    }
    let corr = FitResult.plotted(free.filter { fit.correlationNames.contains($0) }, limit: 30)
    if !corr.names.isEmpty {
      page.figure(
        FitPlots.correlation(fit, names: corr.names, id: page.nextID()),
        "Correlation coefficients from the covariance at the minimum."
          + (corr.omitted > 0 ? " \(corr.omitted) parameters (per-bin first) not shown." : ""))
    }
    if let prepost {
      for r in prepost.regions {
        page.body += "<h3>\(htmlEscape(r.name))</h3>\n"
        page.figure(FitPlots.prepost(r, postfit: false, id: page.nextID(), colors: colors, observable: observable), "Pre-fit prediction and data in \(r.name).")
        page.figure(FitPlots.prepost(r, postfit: true, id: page.nextID(), colors: colors, observable: observable), "Post-fit prediction and data in \(r.name).")
      }
    }
    page.body += "</section>\n"
  }
  return HTMLPage.wrap(title: "cascade report: \(name)", body: page.body)
}

/// Accumulates the page body; hands out unique element ids for the plots' clip paths.
struct ReportPage {
  var body = ""
  var counter = 0
  mutating func nextID() -> String {
    counter += 1
    return "p\(counter)"
  }
  mutating func figure(_ svg: String, _ caption: String) {
    body += "<figure>\n" + svg + "<figcaption>\(htmlEscape(caption))</figcaption>\n</figure>\n"
  }
}

enum HTMLPage {
  static let style = """
    body{font-family:sans-serif;margin:1.5em auto;max-width:960px;padding:0 1em;color:#222;background:#fff}
    h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1.1em}
    table{border-collapse:collapse;margin:0.6em 0;font-size:0.85em}
    th,td{border:1px solid #ccc;padding:2px 6px}th{background:#f0f0f0}td.num,th.num{text-align:right}
    figure{margin:0.8em 0}figcaption{font-size:0.85em;color:#555}svg{display:block}
    """

  static func wrap(title: String, body: String) -> String {
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(htmlEscape(title))</title>\n<style>\n"
      + style + "\n</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n"
  }
}
