import Boosting
import CascadeSupport

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

  public var jsonValue: JSONValue {
    switch self {
    case .signalEfficiency(let e): ["signal_efficiency": JSONValue(e)]
    case .backgroundEfficiency(let e): ["background_efficiency": JSONValue(e)]
    case .threshold(let t): ["threshold": JSONValue(t)]
    case .maximizeSignificance: ["maximize": "significance"]
    }
  }
}

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
  /// The top-level `systematics` array (empty: nominal only, outputs as without it).
  public var systematics: [SystematicConfig] = []
  /// `fit.prune` (nil: nothing pruned).
  public var pruning: PruningThresholds?

  public static let signalRegion = "SR"

  /// Region names in routing order: each stage's control region, then `SR`.
  public var regions: [String] { stages.map(\.region) + [Self.signalRegion] }
  public var mcSamples: [SampleConfig] { samples.filter(\.isMC) }
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
