import CascadeSupport
import Evaluation
import Report

/// What `cascade report` produces.
public enum ReportFormat: String, Sendable, CaseIterable {
  /// RUN_DIR/report/index.html, self-contained.
  case html
  /// The efficiency and cutflow tables, printed.
  case text
}

/// What `cascade report` is asked for.
public enum ReportRequest: Sendable, Equatable {
  /// The report of the run directory, in this format.
  case run(String, format: ReportFormat)
  /// The oracle tests' diagnostic: AUC and KS of a `score,label,weight` CSV, one line of JSON.
  case scoreCSV(String)
}

/// `cascade report`: the HTML report of a run, or its tables as text.
public enum ReportWorkflow {
  /// Writes the HTML report (and says where), prints the text tables, or prints the CSV diagnostic.
  public static func report(_ request: ReportRequest, console: Console) throws {
    switch request {
    case .run(let runDirectory, .text):
      console.write(try textReport(runDirectory: runDirectory))
    case .run(let runDirectory, .html):
      try writeReport(runDirectory: runDirectory)
      console.line("wrote \(runDirectory)/report/index.html")
    case .scoreCSV(let path):
      console.line(try evaluateScoreCSV(path: path).serialized(pretty: false))
    }
  }
}
