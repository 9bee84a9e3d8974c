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
  /// The `decorrelate` option it was trained with (nil = plain training).
  public var decorrelation: DecorrelationRecord? = nil

  /// `<modelsDirectory>/<stage>.json`, where the model of stage `stage` is stored.
  public static func path(modelsDirectory: String, stage: String) -> String { "\(modelsDirectory)/\(stage).json" }

  var file: StageModelFile {
    StageModelFile(
      model: model, stage: name, backgrounds: backgrounds, region: region, threshold: threshold,
      workingPoint: StageModelFile.WorkingPointRecord(
        requested: workingPoint.jsonValue, threshold: solution.threshold, signalEfficiency: solution.signalEfficiency,
        backgroundEfficiency: solution.backgroundEfficiency, significance: solution.significance),
      decorrelate: decorrelation)
  }

  /// Writes the stage as `StageModelFile` to `path(modelsDirectory:stage:)`; throws on I/O or encoding errors.
  public func write(modelsDirectory: String) throws {
    try JSONFile.write(file, to: Self.path(modelsDirectory: modelsDirectory, stage: name))
  }

  /// Loads the model of `stage`, checking it matches the config's stage definition.
  public static func load(modelsDirectory: String, stage: StageConfig, folds: Int) throws -> StageModel {
    let path = path(modelsDirectory: modelsDirectory, stage: stage.name)
    guard FileManager.default.fileExists(atPath: path) else {
      throw UserError("\(path): model of stage \"\(stage.name)\" not found (run `cascade train` first)")
    }
    let file = try JSONFile.load(StageModelFile.self, from: path)
    let model = file.model
    let features = model.featureNames
    guard features == stage.features else {
      throw UserError("\(path): model features \(features) differ from the config's \(stage.features); retrain")
    }
    guard model.k == folds else {
      throw UserError("\(path): model has \(model.k) folds, the config asks for \(folds); retrain")
    }
    let threshold = file.threshold
    guard threshold.isFinite else { throw UserError("\(path): threshold: expected a finite number") }
    let wp = file.workingPoint
    let solution = WorkingPointSolution(
      threshold: threshold, signalEfficiency: wp.signalEfficiency, backgroundEfficiency: wp.backgroundEfficiency,
      significance: wp.significance)
    return StageModel(
      name: stage.name, features: features, backgrounds: stage.backgrounds, region: stage.region, model: model,
      threshold: threshold, workingPoint: stage.workingPoint, solution: solution, decorrelation: file.decorrelate)
  }
}

/// `models/<stage>.json`: the stage's fold models (`FoldedModel`'s keys) followed by the
/// stage's own keys. Written by `StageModel.write`, read back by `StageModel.load`.
public struct StageModelFile: Codable, Sendable {
  /// The working point the config asked for and where the solver put it.
  public struct WorkingPointRecord: Codable, Sendable, Equatable {
    /// The config's working-point object (`{"signal_efficiency": 0.95}`, `{"maximize": "significance"}`, …).
    public var requested: JSONValue
    public var threshold: Double
    public var signalEfficiency: Double
    public var backgroundEfficiency: Double
    public var significance: Double
    enum CodingKeys: String, CodingKey {
      case requested, threshold
      case signalEfficiency = "signal_efficiency"
      case backgroundEfficiency = "background_efficiency"
      case significance
    }
  }

  public var model: FoldedModel
  public var stage: String
  public var backgrounds: [String]
  public var region: String
  public var threshold: Double
  public var workingPoint: WorkingPointRecord
  /// Present only for a decorrelated stage (absent key = plain training).
  public var decorrelate: DecorrelationRecord?

  /// The file of stage `stage`: its fold models, target backgrounds, control region, threshold and
  /// working-point record; `decorrelate` nil (default) for a plain-trained stage, which omits the key.
  public init(
    model: FoldedModel, stage: String, backgrounds: [String], region: String, threshold: Double,
    workingPoint: WorkingPointRecord, decorrelate: DecorrelationRecord? = nil
  ) {
    self.model = model
    self.stage = stage
    self.backgrounds = backgrounds
    self.region = region
    self.threshold = threshold
    self.workingPoint = workingPoint
    self.decorrelate = decorrelate
  }

  enum CodingKeys: String, CodingKey {
    case stage, backgrounds, region, threshold
    case workingPoint = "working_point"
    case decorrelate
  }

  public func encode(to encoder: Encoder) throws {
    try model.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(stage, forKey: .stage)
    try c.encode(backgrounds, forKey: .backgrounds)
    try c.encode(region, forKey: .region)
    try c.encode(threshold, forKey: .threshold)
    try c.encode(workingPoint, forKey: .workingPoint)
    try c.encodeIfPresent(decorrelate, forKey: .decorrelate)
  }

  public init(from decoder: Decoder) throws {
    model = try FoldedModel(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    stage = try c.decode(String.self, forKey: .stage)
    backgrounds = try c.decode([String].self, forKey: .backgrounds)
    region = try c.decode(String.self, forKey: .region)
    threshold = try c.decode(Double.self, forKey: .threshold)
    workingPoint = try c.decode(WorkingPointRecord.self, forKey: .workingPoint)
    decorrelate = try c.decodeIfPresent(DecorrelationRecord.self, forKey: .decorrelate)
  }
}
