import CascadeSupport
import Evaluation
import Foundation

/// Loads `tables/evaluation.json` of a run (Evaluation's `EvaluationFile`), strictly; a missing
/// file says how to make it.
func loadEvaluation(runDirectory: String) throws -> EvaluationFile {
  let path = runDirectory + "/tables/evaluation.json"
  guard FileManager.default.fileExists(atPath: path) else {
    throw UserError("\(path): not found (run the cascade first: cascade run CONFIG)")
  }
  return try JSONFile.load(EvaluationFile.self, from: path)
}

/// The efficiency and cutflow tables of a run, aligned for a terminal.
public func textReport(runDirectory: String) throws -> String {
  let ev = try loadEvaluation(runDirectory: runDirectory)
  return TableRendering.render(TableRendering.efficiency(ev.stages.map(\.table)) + TableRendering.cutflow(ev.cutflow), style: .text)
}
