import Boosting
import CascadeSupport

/// A sample's config `role`: signal and background are MC (`isMC`, trained on); data is only applied to.
public enum SampleRole: String, Sendable, CaseIterable {
  case signal, background, data
}

/// One sample of the config: its files (globs resolved, sorted) and how to weight them.
public struct SampleConfig: Sendable {
  public var name: String
  public var role: SampleRole
  /// Resolved file paths, in pattern order, each pattern's matches sorted.
  public var files: [String]
  /// Weight column; nil = unit weights (data).
  public var weight: String?
  /// Multiplies the weights (cross-section corrections and the like).
  public var scale: Double
  /// HDF5 table path; nil = `/events` or the only table.
  public var table: String?
  /// Columns copied into score and region files; nil = all columns of the input.
  public var keepColumns: [String]?

  public var isMC: Bool { role != .data }
}

/// How a stage's threshold is chosen, on out-of-fold scores of the events reaching the stage.
public enum WorkingPoint: Sendable, Equatable {
  /// Fraction of the signal weight kept (score ≥ threshold).
  case signalEfficiency(Double)
  /// Fraction of the target background weight kept.
  case backgroundEfficiency(Double)
  case threshold(Double)
  /// Maximise s/√b with b the target background.
  case maximizeSignificance
  /// Chosen jointly with the other optimised stages for the expected precision of the fit
  /// (Analysis' `WorkingPointOptimiser`, on the Asimov dataset only); the stage's model is
  /// trained, and the search starts, at the fixed working point `start`.
  indirect case optimize(FitObjective, start: WorkingPoint)

  /// The working point training uses: `start` of an optimised one, itself otherwise.
  public var trainingWorkingPoint: WorkingPoint {
    if case .optimize(_, let start) = self { return start }
    return self
  }

  /// The objective of an optimised working point, nil for a fixed one.
  public var objective: FitObjective? {
    if case .optimize(let o, _) = self { return o }
    return nil
  }

  public var jsonValue: JSONValue {
    switch self {
    case .signalEfficiency(let e): ["signal_efficiency": JSONValue(e)]
    case .backgroundEfficiency(let e): ["background_efficiency": JSONValue(e)]
    case .threshold(let t): ["threshold": JSONValue(t)]
    case .maximizeSignificance: ["maximize": "significance"]
    case .optimize(let o, let start):
      switch o {
      case .expectedError(let p): ["optimize": JSONValue(o.name), "of": JSONValue(p), "start": start.jsonValue]
      default: ["optimize": JSONValue(o.name), "start": start.jsonValue]
      }
    }
  }
}

/// What an optimised working point minimises, on the Asimov dataset of the run's fit model.
public enum FitObjective: Sendable, Equatable {
  /// The HESSE uncertainty of the POI.
  case expectedPOIError
  /// Minus the Asimov discovery significance (q0) of the POI.
  case expectedSignificance
  /// The HESSE uncertainty of one parameter (a background normalisation, `mu_ttbar`).
  case expectedError(of: String)

  /// The config's name of the objective.
  public var name: String {
    switch self {
    case .expectedPOIError: "expected_poi_error"
    case .expectedSignificance: "expected_significance"
    case .expectedError: "expected_error"
    }
  }
}

/// One entry of the config's `stages`: the backgrounds it targets, its features and BDT settings,
/// its working point and the control region its rejected events go to.
public struct StageConfig: Sendable {
  public var name: String
  public var backgrounds: [String]
  /// Control region receiving the events this stage rejects.
  public var region: String
  public var features: [String]
  public var bdt: BoostParameters
  public var workingPoint: WorkingPoint
  /// Training-weight or loss decorrelation from the fit observable (Decorrelation.swift).
  public var decorrelate: Decorrelation? = nil
}

/// The config's `training` block, with its defaults: 2 folds, seed 1, balanced classes,
/// negative weights ignored, all cores, 65 536-row blocks.
public struct TrainingConfig: Sendable {
  public var folds = 2
  public var seed: UInt64 = 1
  public var balanceClasses = true
  public var negativeWeights: NegativeWeightPolicy = .ignore
  /// 0 = all cores. Never changes any output.
  public var threads = 0
  /// Rows per block when streaming inputs in `apply`.
  public var chunkRows = 65_536
}

/// The columns of `scores/<sample>/<stem>.h5` besides the new ones (`score_<stage>`, `region`,
/// `fold`): `score_files` in the config.
public enum ScoreFileColumns: String, Sendable, CaseIterable {
  /// The kept columns (`keep_columns`, default all): score files are self-contained.
  case kept = "kept_columns"
  /// Only the columns the run reads back (event number, weight, fit observable): a friend
  /// file of its input, row by row; the region files still hold the kept columns. Half the
  /// bytes to compress and store.
  case new = "new_columns"
}

/// A parsed, validated cascade config. Paths are resolved relative to the config file.
public struct CascadeConfig: Sendable {
  public var path: String
  public var name: String
  /// Run directory.
  public var output: String
  public var eventNumber: String?
  public var samples: [SampleConfig]
  public var bdt: BoostParameters
  public var stages: [StageConfig]
  public var training: TrainingConfig
  /// The raw `fit` block, decoded by the fit layer.
  public var fit: JSONCursor?
  /// Checksum of the config file's bytes.
  public var checksum: String
  /// Most objective evaluations of the working-point search (`optimisation.budget`).
  public var optimisationBudget = CascadeConfig.defaultOptimisationBudget

  public static let defaultOptimisationBudget = 60
  /// Whether some stage's working point is optimised for the fit.
  public var optimisesWorkingPoints: Bool { stages.contains { $0.workingPoint.objective != nil } }
  /// The top-level `systematics` array (empty: nominal only, outputs as without it).
  public var systematics: [SystematicConfig] = []
  /// `fit.prune` (nil: nothing pruned).
  public var pruning: PruningThresholds?
  /// What the score files copy from the inputs (`score_files`).
  public var scoreFiles: ScoreFileColumns = .kept

  public static let signalRegion = "SR"

  /// Region names in routing order: each stage's control region, then `SR`.
  public var regions: [String] { stages.map(\.region) + [Self.signalRegion] }
  public var mcSamples: [SampleConfig] { samples.filter(\.isMC) }
  /// The sample called `n`, nil when the config has none.
  public func sample(named n: String) -> SampleConfig? { samples.first { $0.name == n } }
}

extension CascadeConfig {
  /// Overrides `training.threads` (and every stage's); results do not depend on it.
  public mutating func setThreads(_ n: Int) {
    training.threads = n
    bdt.threads = n
    for i in stages.indices { stages[i].bdt.threads = n }
  }
}
