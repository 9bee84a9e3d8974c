import ArgumentParser
import Workflow

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write the HTML report of a run, or print its efficiency and cutflow tables.",
    discussion: """
      Reads RUN_DIR/tables/evaluation.json (written by `cascade run`) and, when present, the fit results in RUN_DIR/fit/ (result.json, prepost.json).

      --format html (default) writes RUN_DIR/report/index.html: one self-contained file with inline SVG plots (ROC curves, overtraining checks, working-point scans, cascade flow, region composition, fit results) and no external references.

      --format text prints the efficiency and cutflow tables aligned for a terminal.
      """
  )

  @Argument(help: "The run directory (the config's \"output\").")
  var runDirectory: String?

  @Option(help: "html: write RUN_DIR/report/index.html; text: print the tables.")
  var format: ReportFormat = .html

  // Diagnostic for the oracle tests: AUC and KS of a score,label,weight CSV, printed as JSON.
  @Option(name: .customLong("evaluate-csv"), help: .hidden)
  var evaluateCSV: String?

  func validate() throws {
    if evaluateCSV == nil && runDirectory == nil { throw ValidationError("Missing expected argument '<run-directory>'") }
  }

  func run() throws {
    let request: ReportRequest = evaluateCSV.map { .scoreCSV($0) } ?? .run(runDirectory!, format: format)
    try ReportWorkflow.report(request, console: .standard())
  }
}
