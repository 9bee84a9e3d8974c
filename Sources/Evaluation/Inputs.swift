/// What the cascade hands to the evaluation for one stage: every MC event that reached the stage,
/// with its out-of-fold ("test") score and the score of a model that trained on it ("train").
public struct StageEvaluationInput: Sendable {
  /// Stage name, e.g. "vs_wjets".
  public var stage: String
  /// The stage's control region, e.g. "CR_wjets".
  public var region: String
  /// MC sample names; `sampleIndex` values index this array.
  public var sampleNames: [String]
  public var sampleIsSignal: [Bool]
  /// Indices of this stage's target background(s).
  public var targetSamples: [Int]
  /// One entry per MC event that reached this stage.
  public var sampleIndex: [Int32]
  /// True signed event weights.
  public var weight: [Double]
  /// Out-of-fold score: from the fold model that did not see the event.
  public var testScore: [Double]
  /// Score from a model that trained on the event (TMVA's "train sample").
  public var trainScore: [Double]
  /// Events with score < threshold go to the control region.
  public var threshold: Double
  /// Variable ranking (feature, importance), any order; reported sorted by importance.
  public var ranking: [(feature: String, importance: Double)]
  /// The score's natural range: [0, 1] for gradient boosting, [-1, 1] for AdaBoost.
  public var scoreRange: ClosedRange<Double>

  /// The input of one stage. Every per-event array has one entry per MC event that reached the
  /// stage; `scoreRange` defaults to [0, 1] (gradient boosting) and sets the overtraining
  /// histograms' range. ``StageEvaluation/init(_:)`` checks the lengths and indices.
  public init(
    stage: String, region: String, sampleNames: [String], sampleIsSignal: [Bool], targetSamples: [Int],
    sampleIndex: [Int32], weight: [Double], testScore: [Double], trainScore: [Double], threshold: Double,
    ranking: [(feature: String, importance: Double)], scoreRange: ClosedRange<Double> = 0...1
  ) {
    self.stage = stage
    self.region = region
    self.sampleNames = sampleNames
    self.sampleIsSignal = sampleIsSignal
    self.targetSamples = targetSamples
    self.sampleIndex = sampleIndex
    self.weight = weight
    self.testScore = testScore
    self.trainScore = trainScore
    self.threshold = threshold
    self.ranking = ranking
    self.scoreRange = scoreRange
  }
}

/// Every event of every sample (data included) with each stage's out-of-fold score, for the
/// cutflow, region purity and composition, and the working-point scans.
public struct CascadeFlowInput: Sendable {
  public var sampleNames: [String]
  /// "signal" | "background" | "data", one per sample.
  public var sampleRoles: [String]
  /// Stages in cascade order with their control-region names.
  public var stages: [(name: String, region: String)]
  /// Target background sample indices per stage (for region purity). When empty, a stage's
  /// target is the background whose name matches its region "CR_<name>".
  public var stageTargets: [[Int]]
  /// One entry per event.
  public var sampleIndex: [Int32]
  public var weight: [Double]
  /// scores[stage][event]: that stage's out-of-fold score for every event, even if not reached.
  public var scores: [[Double]]
  /// An event exits at the first stage s with scores[s][e] < thresholds[s]; else it is in "SR".
  /// A NaN score never satisfies `<`, so such an event passes that stage.
  public var thresholds: [Double]

  /// The whole run as flat per-event arrays; `scores` and `thresholds` have one entry per stage.
  /// `stageTargets` may be empty, then each stage targets the background named by its region.
  public init(
    sampleNames: [String], sampleRoles: [String], stages: [(name: String, region: String)],
    stageTargets: [[Int]] = [], sampleIndex: [Int32], weight: [Double], scores: [[Double]], thresholds: [Double]
  ) {
    self.sampleNames = sampleNames
    self.sampleRoles = sampleRoles
    self.stages = stages
    self.stageTargets = stageTargets
    self.sampleIndex = sampleIndex
    self.weight = weight
    self.scores = scores
    self.thresholds = thresholds
  }
}
