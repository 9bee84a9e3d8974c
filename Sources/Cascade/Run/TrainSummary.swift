import CascadeSupport

/// `train-summary.json`: the deterministic record of a training (no timings: those live in
/// `manifest.json`). Written by `CascadePipeline.train`; read back with this type.
public struct TrainSummary: Codable, Sendable, Equatable {
  /// A sample reaching a stage.
  public struct Entering: Codable, Sendable, Equatable {
    public var sample: String
    public var events: Int
    /// Σw of the sample's events at the stage.
    public var weight: Double
  }
  /// One trained stage and its working point.
  public struct Stage: Codable, Sendable, Equatable {
    public var stage: String
    public var region: String
    public var trainingEvents: Int
    public var threshold: Double
    public var signalEfficiency: Double
    public var backgroundEfficiency: Double
    public var significance: Double
    public var entering: [Entering]
    /// Present only for a decorrelated stage (synthesised Codable: encoded only when non-nil).
    public var decorrelate: DecorrelationRecord? = nil
    enum CodingKeys: String, CodingKey {
      case stage, region
      case trainingEvents = "training_events"
      case threshold
      case signalEfficiency = "signal_efficiency"
      case backgroundEfficiency = "background_efficiency"
      case significance, entering, decorrelate
    }
  }

  public var name: String
  public var folds: Int
  public var seed: Int
  public var stages: [Stage]

  /// The summary of `records`, trained with `config`.
  public init(_ config: CascadeConfig, records: [StageTrainingRecord]) {
    name = config.name
    folds = config.training.folds
    seed = Int(config.training.seed)
    stages = records.map { r in
      Stage(
        stage: r.stage, region: r.region, trainingEvents: r.trainingEvents, threshold: r.solution.threshold,
        signalEfficiency: r.solution.signalEfficiency, backgroundEfficiency: r.solution.backgroundEfficiency,
        significance: r.solution.significance,
        entering: r.entering.map { Entering(sample: $0.sample, events: $0.events, weight: $0.weight) },
        decorrelate: r.decorrelation)
    }
  }
}
