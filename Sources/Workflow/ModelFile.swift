import Boosting
import CascadeSupport

/// The two model formats `cascade bdt` reads, told apart by their top-level keys.
public enum ModelFormat: String, Sendable, CaseIterable {
  /// Our own JSON (`"format": "cascade-bdt"`), holding k fold models.
  case cascadeBDT = "cascade-bdt"
  /// XGBoost's `Booster.save_model("….json")` (a top-level `"learner"`).
  case xgboostJSON = "xgboost-json"

  /// The format of a parsed model file; anything that is neither is an error naming `source`.
  public static func sniff(_ value: JSONValue, source: String) throws -> ModelFormat {
    guard let object = value.objectValue else {
      throw UserError("\(source): not a model file: expected a JSON object (a cascade-bdt or XGBoost JSON model)")
    }
    if object["learner"] != nil { return .xgboostJSON }
    if object["format"] != nil { return .cascadeBDT }
    throw UserError(
      "\(source): not a model file: neither a cascade-bdt model (key \"format\") nor an XGBoost JSON model (key \"learner\")")
  }
}

/// Loading a model file of either format as a `FoldedModel`.
public enum ModelFile {
  /// Reads `path`, sniffs its format and decodes it (an XGBoost model becomes one fold model).
  public static func load(_ path: String) throws -> FoldedModel {
    let value = try JSONValue.load(path: path)
    switch try ModelFormat.sniff(value, source: path) {
    case .xgboostJSON: return try XGBoostJSON.importModel(JSONCursor(value, source: path))
    case .cascadeBDT: return try FoldedModel.load(path: path).model
    }
  }
}
