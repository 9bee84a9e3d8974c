import Boosting
import CascadeSupport
import Foundation

/// A trained stage: its fold models and where its threshold sits. Stored as
/// `models/<stage>.json` (the fold models plus these keys).
public struct StageModel: Sendable {
  public var name: String
  public var features: [String]
  public var backgrounds: [String]
  public var region: String
  public var model: FoldedModel
  public var threshold: Double
  public var workingPoint: WorkingPoint
  public var solution: WorkingPointSolution

  public static func path(modelsDirectory: String, stage: String) -> String { "\(modelsDirectory)/\(stage).json" }

  var extra: JSONObject {
    JSONObject([
      ("stage", JSONValue(name)),
      ("backgrounds", JSONValue(backgrounds)),
      ("region", JSONValue(region)),
      ("threshold", JSONValue(threshold)),
      ("working_point", .object(JSONObject([
        ("requested", workingPoint.jsonValue),
        ("threshold", JSONValue(solution.threshold)),
        ("signal_efficiency", JSONValue(solution.signalEfficiency)),
        ("background_efficiency", JSONValue(solution.backgroundEfficiency)),
        ("significance", JSONValue(solution.significance)),
      ]))),
    ])
  }

  public func write(modelsDirectory: String) throws {
    try model.write(to: Self.path(modelsDirectory: modelsDirectory, stage: name), extra: extra)
  }

  /// Loads the model of `stage`, checking it matches the config's stage definition.
  public static func load(modelsDirectory: String, stage: StageConfig, folds: Int) throws -> StageModel {
    let path = path(modelsDirectory: modelsDirectory, stage: stage.name)
    guard FileManager.default.fileExists(atPath: path) else {
      throw UserError("\(path): model of stage \"\(stage.name)\" not found (run `cascade train` first)")
    }
    let (model, extra) = try FoldedModel.load(path: path)
    let root = JSONCursor(.object(extra), source: path)
    let o = try root.object()
    let features = model.featureNames
    guard features == stage.features else {
      throw UserError("\(path): model features \(features) differ from the config's \(stage.features); retrain")
    }
    guard model.k == folds else {
      throw UserError("\(path): model has \(model.k) folds, the config asks for \(folds); retrain")
    }
    let threshold = try o.required("threshold").finiteDouble()
    let wp = try o.required("working_point").object()
    let solution = WorkingPointSolution(
      threshold: threshold,
      signalEfficiency: try wp.optional("signal_efficiency")?.double() ?? .nan,
      backgroundEfficiency: try wp.optional("background_efficiency")?.double() ?? .nan,
      significance: try wp.optional("significance")?.double() ?? .nan)
    return StageModel(
      name: stage.name, features: features, backgrounds: stage.backgrounds, region: stage.region, model: model,
      threshold: threshold, workingPoint: stage.workingPoint, solution: solution)
  }
}
