import Foundation
import CascadeSupport
import Evaluation

/// Loads `tables/evaluation.json` of a run, with a clear error when it is missing or not ours.
func loadEvaluation(runDirectory: String) throws -> JSONValue {
  let path = runDirectory + "/tables/evaluation.json"
  guard FileManager.default.fileExists(atPath: path) else {
    throw UserError("\(path): not found (run the cascade first: cascade run CONFIG)")
  }
  let json = try JSONValue.load(path: path)
  guard json["format"]?.stringValue == "cascade-evaluation", json["stages"]?.arrayValue != nil,
    json["cutflow"]?.objectValue != nil
  else { throw UserError("\(path): not a cascade evaluation file (expected \"format\": \"cascade-evaluation\")") }
  return json
}

/// The efficiency and cutflow tables of a run, aligned for a terminal.
public func textReport(runDirectory: String) throws -> String {
  let ev = try loadEvaluation(runDirectory: runDirectory)
  let rows = (ev["stages"]?.arrayValue ?? []).compactMap { $0["table"] }
  return TableRendering.render(TableRendering.efficiency(rows) + TableRendering.cutflow(ev["cutflow"]!), style: .text)
}
