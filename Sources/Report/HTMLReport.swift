import CascadeSupport
import Evaluation
import Foundation
import YieldFit

/// Writes `RUN_DIR/report/index.html`: one self-contained page (inline CSS and SVG, no external
/// references) with the efficiency table, a section per stage (ROC curves, overtraining check,
/// working-point scan, variable ranking), the cascade (flow, region composition, cutflow) and,
/// when the run has `fit/result.json`, the fit (parameters, pulls, correlations, and pre/post-fit
/// distributions from `fit/prepost.json`).
public func writeReport(runDirectory: String) throws {
  let html = try htmlReport(runDirectory: runDirectory)
  try AtomicFile.write(html, to: runDirectory + "/report/index.html")
}

/// The report page as a string (what `writeReport` writes), composed section by section from
/// the run's typed results.
public func htmlReport(runDirectory: String) throws -> String {
  let ev = try loadEvaluation(runDirectory: runDirectory)
  let fit = try FitView.load(fitDirectory: runDirectory + "/fit")
  let name = (runDirectory as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? "run"
  // The fit observable's name for the pre/post-fit axes, from the run's config copy.
  let observable = (try? JSONValue.load(path: runDirectory + "/config.json"))?["fit"]?["observable"]?.stringValue ?? "observable"
  var page = ReportPage(colors: sampleColors(ev.cutflow))
  page.body += header(name: name, evaluation: ev)
  page.body += navigation(stages: ev.stages, hasFit: fit != nil)
  page.body += efficiencySection(ev.stages.map(\.table))
  for (i, st) in ev.stages.enumerated() {
    page.stageSection(index: i, stage: st, scan: ev.wpscan.first { $0.stage == st.stage })
  }
  page.cascadeSection(ev.cutflow)
  try SculptingPlots.section(runDirectory: runDirectory, observable: observable, page: &page)
  try SystematicsPlots.section(runDirectory: runDirectory, page: &page)
  try OptimisationPlots.section(runDirectory: runDirectory, page: &page)
  if let fit { page.fitSection(fit, observable: observable) }
  return HTMLPage.wrap(title: "cascade report: \(name)", body: page.body)
}

/// One colour per MC sample, the same in every plot.
func sampleColors(_ cutflow: CutflowRecord) -> [String: String] {
  var colors: [String: String] = [:]
  for (k, s) in cutflow.samples.filter({ $0.role != "data" }).enumerated() { colors[s.name] = Palette.color(k) }
  return colors
}

func header(name: String, evaluation ev: EvaluationFile) -> String {
  let regions = ev.cutflow.regions.map(\.region)
  return "<h1>cascade report: \(htmlEscape(name))</h1>\n"
    + "<p>\(ev.stages.count) stage(s); regions \(htmlEscape(regions.joined(separator: ", "))); "
    + "signal efficiency into the SR \(fmt(ev.cutflow.signalEfficiency, 4)).</p>\n"
}

func navigation(stages: [StageEvaluationRecord], hasFit: Bool) -> String {
  var out = "<nav><ul>\n<li><a href=\"#efficiency\">Efficiency table</a></li>\n"
  for (i, st) in stages.enumerated() {
    out += "<li><a href=\"#stage-\(i)\">Stage \(htmlEscape(st.stage))</a></li>\n"
  }
  out += "<li><a href=\"#cascade\">Cascade flow and cutflow</a></li>\n"
  if hasFit { out += "<li><a href=\"#fit\">Fit</a></li>\n" }
  return out + "</ul></nav>\n"
}

func efficiencySection(_ rows: [EfficiencyRow]) -> String {
  "<section id=\"efficiency\">\n"
    + TableRendering.render(
      TableRendering.efficiency(rows, title: "Efficiency table (TMVA style)", includeRanking: false), style: .html)
    + "</section>\n"
}

extension ReportPage {
  /// ROC curves, overtraining check, working-point scan and variable ranking of one stage.
  mutating func stageSection(index i: Int, stage st: StageEvaluationRecord, scan: WorkingPointScanRecord?) {
    let targets = st.targets.joined(separator: "+")
    body += "<section id=\"stage-\(i)\">\n<h2>Stage \(htmlEscape(st.stage)): signal vs \(htmlEscape(targets)) → \(htmlEscape(st.region))</h2>\n"
    figure(StagePlots.roc(st, log: false, id: nextID(), colors: colors), "ROC curves on out-of-fold (test) scores; dashed: train scores of the target background.")
    figure(StagePlots.roc(st, log: true, id: nextID(), colors: colors), "The same with a logarithmic background-efficiency axis.")
    figure(StagePlots.overtraining(st, id: nextID()),
      "Score distributions normalised to unit area: filled = out-of-fold (test) scores, points = scores by a model trained on the event.")
    if let scan {
      figure(StagePlots.wpscan(scan, id: nextID(), colors: colors),
        "Fraction of each background's total yield reaching the SR against the signal's, as this stage's threshold moves.")
    }
    body += "<h3>Variable ranking</h3>\n" + TableRendering.ranking(st.table).renderHTML()
    body += "</section>\n"
  }

  /// The flow and composition plots and the cutflow tables.
  mutating func cascadeSection(_ cutflow: CutflowRecord) {
    body += "<section id=\"cascade\">\n<h2>Cascade flow</h2>\n"
    figure(FlowPlots.flow(cutflow, id: nextID()), "Weighted yield of every sample in every region; data with √N errors.")
    figure(FlowPlots.composition(cutflow, id: nextID()), "Share of each MC sample in each region's yield.")
    body += TableRendering.render(TableRendering.cutflow(cutflow, level: 2), style: .html)
    body += "</section>\n"
  }

  /// Parameters, pulls, correlations and the pre/post-fit distributions.
  mutating func fitSection(_ fit: FitView, observable: String) {
    let result = fit.result
    body += "<section id=\"fit\">\n<h2>Fit</h2>\n"
    body += "<p>converged: \(result.converged ? "yes" : "no"); −2 ln L = \(fmt(result.twiceNLL, 4))</p>\n"
    let inference = fit.inference
    if !inference.isEmpty {
      body += "<ul>\n" + inference.map { "<li>\(htmlEscape($0))</li>\n" }.joined() + "</ul>\n"
    }
    body += parameterTables(result.parameters)
    let free = result.parameters.filter { !$0.fixed }.map(\.name)
    let pulls = FitView.plotted(free, limit: 60)
    if !pulls.names.isEmpty {
      figure(
        FitPlots.pulls(fit, names: pulls.names, id: nextID()),
        "Best-fit values with HESSE errors (MINOS in orange where computed)."
          + (pulls.omitted > 0 ? " \(pulls.omitted) per-bin parameters not shown (see the table)." : ""))
    }
    publicationFigures(fit)
    let corr = FitView.plotted(free.filter { fit.correlationNames.contains($0) }, limit: 30)
    if !corr.names.isEmpty {
      figure(
        FitPlots.correlation(fit, names: corr.names, id: nextID()),
        "Correlation coefficients from the covariance at the minimum."
          + (corr.omitted > 0 ? " \(corr.omitted) parameters (per-bin first) not shown." : ""))
    }
    for r in fit.prepost?.regions ?? [] {
      body += "<h3>\(htmlEscape(r.name))</h3>\n"
      figure(FitPlots.prepost(r, postfit: false, id: nextID(), colors: colors, observable: observable), "Pre-fit prediction and data in \(r.name).")
      figure(FitPlots.prepost(r, postfit: true, id: nextID(), colors: colors, observable: observable), "Post-fit prediction and data in \(r.name).")
    }
    body += "</section>\n"
  }
}

/// The fitted parameters; per-bin parameters (name[i]) in a collapsed table: there can be hundreds.
func parameterTables(_ parameters: [FitResultFile.Parameter]) -> String {
  var t = TextTable(header: ["Parameter", "Value", "Error", "MINOS", "Fixed"])
  var perBin = t
  for p in parameters {
    if p.name.contains("[") { perBin.rows.append([p.name, fmt(p.value, 4), fmt(p.error, 4), "", p.fixed ? "fixed" : ""]); continue }
    t.rows.append([
      p.name, fmt(p.value, 4), fmt(p.error, 4),
      p.minos.map { $0[0] <= 0 && $0[1] >= 0 ? "\(fmt($0[0], 4)) / +\(fmt($0[1], 4))" : "[\(fmt($0[0], 4)), \(fmt($0[1], 4))]" } ?? "—",
      p.fixed ? "fixed" : "",
    ])
  }
  var out = t.renderHTML()
  if !perBin.rows.isEmpty {
    out += "<details><summary>\(perBin.rows.count) per-bin parameters (staterror, shapesys, …)</summary>\n"
      + perBin.renderHTML() + "</details>\n"
  }
  return out
}

/// Accumulates the page body; hands out unique element ids for the plots' clip paths.
struct ReportPage {
  /// Sample name → plot colour.
  var colors: [String: String]
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
