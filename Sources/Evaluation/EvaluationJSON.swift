import CascadeSupport

// The typed contents of `tables/evaluation.json`, `tables/efficiency.json` and
// `tables/cutflow.json`: written here, read back by the report with these same types.
// The files' key order is the order of each `CodingKeys` enum (keep it the properties' order).

/// The one spelling of the efficiency-at-fixed-background keys
/// (`sig_eff_at_bkg_0.10`, `sig_eff_train_at_bkg_0.10`) in files and CSV headers.
public enum EfficiencyKey {
  static let testPrefix = "sig_eff_at_bkg_"
  static let trainPrefix = "sig_eff_train_at_bkg_"

  /// The key of the test-sample signal efficiency at background efficiency `b`.
  public static func test(_ b: Double) -> String { testPrefix + NumberFormat.fixed(b, 2) }
  /// The key of the train-sample signal efficiency at background efficiency `b`.
  public static func train(_ b: Double) -> String { trainPrefix + NumberFormat.fixed(b, 2) }
}

/// A feature's share of the stage model's total split gain.
public struct RankedFeature: Codable, Sendable, Equatable {
  public var feature: String
  public var importance: Double
}

/// The ROC integrals of one curve of a stage (`roc_integrals` of the efficiency row).
public struct ROCIntegral: Codable, Sendable, Equatable {
  public var kind: String
  /// The curve's background samples joined with "+".
  public var background: String
  public var aucTest: Double
  public var aucTrain: Double
  enum CodingKeys: String, CodingKey {
    case kind, background
    case aucTest = "auc_test", aucTrain = "auc_train"
  }
}

/// One stage's row of the efficiency table (the `table` object of `tables/evaluation.json`).
public struct EfficiencyRow: Codable, Sendable, Equatable {
  public var stage: String
  public var region: String
  /// The target background samples joined with "+".
  public var background: String
  public var aucTest: Double
  public var aucTrain: Double
  /// Signal efficiency at each of `StageEvaluation.backgroundEfficiencyPoints` (test / train scores).
  public var sigEffTest: [Double]
  public var sigEffTrain: [Double]
  public var separation: Double
  public var significance: Double
  public var ksDSignal: Double
  public var ksPSignal: Double
  public var ksDBackground: Double
  public var ksPBackground: Double
  public var ranking: [RankedFeature]
  public var rocIntegrals: [ROCIntegral]

  /// A row with every column given; `sigEffTest` and `sigEffTrain` hold one efficiency per
  /// `StageEvaluation.backgroundEfficiencyPoints` entry, in that order.
  public init(
    stage: String, region: String, background: String, aucTest: Double, aucTrain: Double, sigEffTest: [Double],
    sigEffTrain: [Double], separation: Double, significance: Double, ksDSignal: Double, ksPSignal: Double,
    ksDBackground: Double, ksPBackground: Double, ranking: [RankedFeature], rocIntegrals: [ROCIntegral]
  ) {
    self.stage = stage
    self.region = region
    self.background = background
    self.aucTest = aucTest
    self.aucTrain = aucTrain
    self.sigEffTest = sigEffTest
    self.sigEffTrain = sigEffTrain
    self.separation = separation
    self.significance = significance
    self.ksDSignal = ksDSignal
    self.ksPSignal = ksPSignal
    self.ksDBackground = ksDBackground
    self.ksPBackground = ksPBackground
    self.ranking = ranking
    self.rocIntegrals = rocIntegrals
  }

  enum Key: String {
    case stage, region, background, separation, significance, ranking
    case aucTest = "auc_test", aucTrain = "auc_train"
    case ksDSignal = "ks_d_signal", ksPSignal = "ks_p_signal"
    case ksDBackground = "ks_d_background", ksPBackground = "ks_p_background"
    case rocIntegrals = "roc_integrals"
    var key: NameKey { NameKey(rawValue) }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: NameKey.self)
    try c.encode(stage, forKey: Key.stage.key)
    try c.encode(region, forKey: Key.region.key)
    try c.encode(background, forKey: Key.background.key)
    try c.encode(aucTest, forKey: Key.aucTest.key)
    try c.encode(aucTrain, forKey: Key.aucTrain.key)
    try EfficiencyPoints.encode(sigEffTest, key: EfficiencyKey.test, into: &c)
    try EfficiencyPoints.encode(sigEffTrain, key: EfficiencyKey.train, into: &c)
    try c.encode(separation, forKey: Key.separation.key)
    try c.encode(significance, forKey: Key.significance.key)
    try c.encode(ksDSignal, forKey: Key.ksDSignal.key)
    try c.encode(ksPSignal, forKey: Key.ksPSignal.key)
    try c.encode(ksDBackground, forKey: Key.ksDBackground.key)
    try c.encode(ksPBackground, forKey: Key.ksPBackground.key)
    try c.encode(ranking, forKey: Key.ranking.key)
    try c.encode(rocIntegrals, forKey: Key.rocIntegrals.key)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: NameKey.self)
    stage = try c.decode(String.self, forKey: Key.stage.key)
    region = try c.decode(String.self, forKey: Key.region.key)
    background = try c.decode(String.self, forKey: Key.background.key)
    aucTest = try c.decode(Double.self, forKey: Key.aucTest.key)
    aucTrain = try c.decode(Double.self, forKey: Key.aucTrain.key)
    sigEffTest = try EfficiencyPoints.decode(key: EfficiencyKey.test, from: c)
    sigEffTrain = try EfficiencyPoints.decode(key: EfficiencyKey.train, from: c)
    separation = try c.decode(Double.self, forKey: Key.separation.key)
    significance = try c.decode(Double.self, forKey: Key.significance.key)
    ksDSignal = try c.decode(Double.self, forKey: Key.ksDSignal.key)
    ksPSignal = try c.decode(Double.self, forKey: Key.ksPSignal.key)
    ksDBackground = try c.decode(Double.self, forKey: Key.ksDBackground.key)
    ksPBackground = try c.decode(Double.self, forKey: Key.ksPBackground.key)
    ranking = try c.decode([RankedFeature].self, forKey: Key.ranking.key)
    rocIntegrals = try c.decode([ROCIntegral].self, forKey: Key.rocIntegrals.key)
  }

  /// The entry of `tables/efficiency.json` (a subset of the row).
  public var fileEntry: EfficiencyFileEntry {
    EfficiencyFileEntry(
      stage: stage, aucTest: aucTest, aucTrain: aucTrain, sigEffTest: sigEffTest, separation: separation,
      significance: significance, ksPSignal: ksPSignal, ksPBackground: ksPBackground, ranking: ranking)
  }
}

/// One object of `tables/efficiency.json`: exactly the documented keys, in this order.
public struct EfficiencyFileEntry: Codable, Sendable, Equatable {
  public var stage: String
  public var aucTest: Double
  public var aucTrain: Double
  /// Test-sample signal efficiency at each of `StageEvaluation.backgroundEfficiencyPoints`.
  public var sigEffTest: [Double]
  public var separation: Double
  public var significance: Double
  public var ksPSignal: Double
  public var ksPBackground: Double
  public var ranking: [RankedFeature]

  typealias Key = EfficiencyRow.Key

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: NameKey.self)
    try c.encode(stage, forKey: Key.stage.key)
    try c.encode(aucTest, forKey: Key.aucTest.key)
    try c.encode(aucTrain, forKey: Key.aucTrain.key)
    try EfficiencyPoints.encode(sigEffTest, key: EfficiencyKey.test, into: &c)
    try c.encode(separation, forKey: Key.separation.key)
    try c.encode(significance, forKey: Key.significance.key)
    try c.encode(ksPSignal, forKey: Key.ksPSignal.key)
    try c.encode(ksPBackground, forKey: Key.ksPBackground.key)
    try c.encode(ranking, forKey: Key.ranking.key)
  }

  /// An entry with every key given (what ``EfficiencyRow`` reduces to for `tables/efficiency.json`).
  public init(
    stage: String, aucTest: Double, aucTrain: Double, sigEffTest: [Double], separation: Double, significance: Double,
    ksPSignal: Double, ksPBackground: Double, ranking: [RankedFeature]
  ) {
    self.stage = stage
    self.aucTest = aucTest
    self.aucTrain = aucTrain
    self.sigEffTest = sigEffTest
    self.separation = separation
    self.significance = significance
    self.ksPSignal = ksPSignal
    self.ksPBackground = ksPBackground
    self.ranking = ranking
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: NameKey.self)
    stage = try c.decode(String.self, forKey: Key.stage.key)
    aucTest = try c.decode(Double.self, forKey: Key.aucTest.key)
    aucTrain = try c.decode(Double.self, forKey: Key.aucTrain.key)
    sigEffTest = try EfficiencyPoints.decode(key: EfficiencyKey.test, from: c)
    separation = try c.decode(Double.self, forKey: Key.separation.key)
    significance = try c.decode(Double.self, forKey: Key.significance.key)
    ksPSignal = try c.decode(Double.self, forKey: Key.ksPSignal.key)
    ksPBackground = try c.decode(Double.self, forKey: Key.ksPBackground.key)
    ranking = try c.decode([RankedFeature].self, forKey: Key.ranking.key)
  }
}

/// The per-point efficiency keys, one per `StageEvaluation.backgroundEfficiencyPoints`.
enum EfficiencyPoints {
  static func encode(_ values: [Double], key: (Double) -> String, into c: inout KeyedEncodingContainer<NameKey>) throws {
    for (i, b) in StageEvaluation.backgroundEfficiencyPoints.enumerated() { try c.encode(values[i], forKey: NameKey(key(b))) }
  }
  static func decode(key: (Double) -> String, from c: KeyedDecodingContainer<NameKey>) throws -> [Double] {
    try StageEvaluation.backgroundEfficiencyPoints.map { try c.decode(Double.self, forKey: NameKey(key($0))) }
  }
}

/// A thinned ROC curve: parallel arrays, thresholds descending (the first may be +∞, written null).
public struct ROCCurveRecord: Codable, Sendable, Equatable {
  public var threshold: [Double]
  public var signalEfficiency: [Double]
  public var backgroundEfficiency: [Double]
  enum CodingKeys: String, CodingKey {
    case threshold
    case signalEfficiency = "signal_efficiency", backgroundEfficiency = "background_efficiency"
  }
}

/// One ROC curve of a stage with its test and train samples.
public struct ROCSeriesRecord: Codable, Sendable, Equatable {
  /// "target", "sample" or "all".
  public var kind: String
  public var backgrounds: [String]
  public var aucTest: Double
  public var aucTrain: Double
  public var test: ROCCurveRecord
  public var train: ROCCurveRecord
  enum CodingKeys: String, CodingKey {
    case kind, backgrounds
    case aucTest = "auc_test", aucTrain = "auc_train"
    case test, train
  }
}

/// A score histogram: raw Σw per bin and the unit-area density with its errors.
public struct HistogramRecord: Codable, Sendable, Equatable {
  public var sumW: [Double]
  public var density: [Double]
  public var error: [Double]
  enum CodingKeys: String, CodingKey {
    case sumW = "sum_w"
    case density, error
  }
}

/// The overtraining-check histograms of a stage (shared `edges`).
public struct OvertrainingRecord: Codable, Sendable, Equatable {
  public var edges: [Double]
  public var signalTest: HistogramRecord
  public var signalTrain: HistogramRecord
  public var backgroundTest: HistogramRecord
  public var backgroundTrain: HistogramRecord
  enum CodingKeys: String, CodingKey {
    case edges
    case signalTest = "signal_test", signalTrain = "signal_train"
    case backgroundTest = "background_test", backgroundTrain = "background_train"
  }
}

/// A stage's entry in `tables/evaluation.json`: table row, thinned ROC curves, overtraining histograms.
public struct StageEvaluationRecord: Codable, Sendable, Equatable {
  public var stage: String
  public var region: String
  public var targets: [String]
  public var threshold: Double
  /// `[lowest, highest]` score.
  public var scoreRange: [Double]
  public var table: EfficiencyRow
  /// The target curve first, then one per other background, then "all".
  public var roc: [ROCSeriesRecord]
  public var overtraining: OvertrainingRecord
  enum CodingKeys: String, CodingKey {
    case stage, region, targets, threshold
    case scoreRange = "score_range"
    case table, roc, overtraining
  }
}

/// Count, weighted yield and √Σw² of some events.
public struct YieldRecord: Codable, Sendable, Equatable {
  public var count: Int
  public var yield: Double
  public var error: Double
}

/// `tables/cutflow.json` (and the `cutflow` of `tables/evaluation.json`).
public struct CutflowRecord: Codable, Sendable, Equatable {
  /// A sample's total before the cascade.
  public struct Sample: Codable, Sendable, Equatable {
    public var name: String
    /// "signal", "background" or "data".
    public var role: String
    public var count: Int
    public var yield: Double
    public var error: Double
  }
  /// A sample's flow through one stage.
  public struct StageSample: Codable, Sendable, Equatable {
    public var sample: String
    public var entering: YieldRecord
    public var toRegion: YieldRecord
    public var surviving: YieldRecord
    /// surviving / entering (weighted); NaN (null) when nothing entered.
    public var efficiency: Double
    enum CodingKeys: String, CodingKey {
      case sample, entering
      case toRegion = "to_region"
      case surviving, efficiency
    }
  }
  /// One stage of the cascade.
  public struct Stage: Codable, Sendable, Equatable {
    public var stage: String
    public var region: String
    public var threshold: Double
    public var samples: [StageSample]
  }
  /// A sample's yield in a region and its share of the region's MC yield.
  public struct RegionSample: Codable, Sendable, Equatable {
    public var sample: String
    public var count: Int
    public var yield: Double
    public var error: Double
    public var fraction: Double
  }
  /// One region with its purity.
  public struct Region: Codable, Sendable, Equatable {
    public var region: String
    public var purity: Double
    public var puritySamples: [String]
    public var samples: [RegionSample]
    enum CodingKeys: String, CodingKey {
      case region, purity
      case puritySamples = "purity_samples"
      case samples
    }
  }

  public var samples: [Sample]
  public var stages: [Stage]
  public var regions: [Region]
  public var signalEfficiency: Double
  /// Per background sample, the fraction of its yield outside the SR.
  public var backgroundRejection: OrderedMap<Double>
  enum CodingKeys: String, CodingKey {
    case samples, stages, regions
    case signalEfficiency = "signal_efficiency", backgroundRejection = "background_rejection"
  }
}

/// A working-point scan of `tables/evaluation.json` (`wpscan`).
public struct WorkingPointScanRecord: Codable, Sendable, Equatable {
  /// One sample's cascade efficiency along the scan.
  public struct Sample: Codable, Sendable, Equatable {
    public var sample: String
    public var role: String
    public var efficiency: [Double]
  }
  public var stage: String
  public var workingPoint: Double
  public var threshold: [Double]
  public var signalEfficiency: [Double]
  public var samples: [Sample]
  enum CodingKeys: String, CodingKey {
    case stage
    case workingPoint = "working_point"
    case threshold
    case signalEfficiency = "signal_efficiency"
    case samples
  }
}

/// `tables/evaluation.json`: everything the report draws.
public struct EvaluationFile: Codable, Sendable, Equatable {
  public static let format = "cascade-evaluation"
  public static let version = 1

  public var stages: [StageEvaluationRecord]
  public var cutflow: CutflowRecord
  public var wpscan: [WorkingPointScanRecord]

  /// The file of a run's stage records (cascade order), its cutflow and one working-point scan per
  /// stage; `format` and `version` are written from the type's constants.
  public init(stages: [StageEvaluationRecord], cutflow: CutflowRecord, wpscan: [WorkingPointScanRecord]) {
    self.stages = stages
    self.cutflow = cutflow
    self.wpscan = wpscan
  }

  enum CodingKeys: String, CodingKey { case format, version, stages, cutflow, wpscan }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(Self.format, forKey: .format)
    try c.encode(Self.version, forKey: .version)
    try c.encode(stages, forKey: .stages)
    try c.encode(cutflow, forKey: .cutflow)
    try c.encode(wpscan, forKey: .wpscan)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let format = try c.decode(String.self, forKey: .format)
    guard format == Self.format else {
      throw DecodingError.dataCorruptedError(
        forKey: .format, in: c, debugDescription: "not a cascade evaluation file (expected \"\(Self.format)\", found \"\(format)\")")
    }
    let version = try c.decode(Int.self, forKey: .version)
    guard version == Self.version else {
      throw DecodingError.dataCorruptedError(
        forKey: .version, in: c, debugDescription: "unsupported version \(version) (this cascade reads version \(Self.version))")
    }
    stages = try c.decode([StageEvaluationRecord].self, forKey: .stages)
    cutflow = try c.decode(CutflowRecord.self, forKey: .cutflow)
    wpscan = try c.decode([WorkingPointScanRecord].self, forKey: .wpscan)
  }
}

// MARK: records of the computed results

extension StageEvaluation {
  /// The efficiency-table row: the keys of `tables/efficiency.json` plus train efficiencies,
  /// KS statistics and the other ROC integrals.
  public var tableRow: EfficiencyRow {
    EfficiencyRow(
      stage: stage, region: region, background: targets.joined(separator: "+"), aucTest: target.test.auc,
      aucTrain: target.train.auc, sigEffTest: sigEffTest, sigEffTrain: sigEffTrain, separation: separation,
      significance: significance, ksDSignal: ksSignal.statistic, ksPSignal: ksSignal.pValue,
      ksDBackground: ksBackground.statistic, ksPBackground: ksBackground.pValue,
      ranking: ranking.map { RankedFeature(feature: $0.feature, importance: $0.importance) },
      rocIntegrals: roc.map {
        ROCIntegral(
          kind: $0.kind, background: $0.backgrounds.joined(separator: "+"), aucTest: $0.test.auc, aucTrain: $0.train.auc)
      })
  }

  static func curveRecord(_ points: [ROCPoint]) -> ROCCurveRecord {
    ROCCurveRecord(
      threshold: points.map(\.threshold), signalEfficiency: points.map(\.signalEfficiency),
      backgroundEfficiency: points.map(\.backgroundEfficiency))
  }

  static func histogramRecord(_ h: Histogram) -> HistogramRecord {
    let d = h.normalizedDensity()
    return HistogramRecord(sumW: h.sumW, density: d.values, error: d.errors)
  }

  /// The stage's entry in `tables/evaluation.json`: table row, thinned ROC curves and the
  /// overtraining histograms (unit-area densities with errors, and raw Σw).
  public var record: StageEvaluationRecord {
    StageEvaluationRecord(
      stage: stage, region: region, targets: targets, threshold: threshold,
      scoreRange: [scoreRange.lowerBound, scoreRange.upperBound], table: tableRow,
      roc: roc.map {
        ROCSeriesRecord(
          kind: $0.kind, backgrounds: $0.backgrounds, aucTest: $0.test.auc, aucTrain: $0.train.auc,
          test: Self.curveRecord($0.test.thinned()), train: Self.curveRecord($0.train.thinned()))
      },
      overtraining: OvertrainingRecord(
        edges: signalTest.edges, signalTest: Self.histogramRecord(signalTest),
        signalTrain: Self.histogramRecord(signalTrain), backgroundTest: Self.histogramRecord(backgroundTest),
        backgroundTrain: Self.histogramRecord(backgroundTrain)))
  }
}

extension Yield {
  var record: YieldRecord { YieldRecord(count: count, yield: sumW, error: error) }
}

extension Cutflow {
  /// `tables/cutflow.json`.
  public var record: CutflowRecord {
    let ns = sampleNames.count
    let samples = (0..<ns).map {
      CutflowRecord.Sample(
        name: sampleNames[$0], role: sampleRoles[$0], count: totals[$0].count, yield: totals[$0].sumW, error: totals[$0].error)
    }
    let stages = stageNames.indices.map { k in
      CutflowRecord.Stage(
        stage: stageNames[k], region: stageRegions[k], threshold: thresholds[k],
        samples: (0..<ns).map { s in
          let eff = entering[k][s].sumW > 0 ? surviving[k][s].sumW / entering[k][s].sumW : Double.nan
          return CutflowRecord.StageSample(
            sample: sampleNames[s], entering: entering[k][s].record, toRegion: toRegion[k][s].record,
            surviving: surviving[k][s].record, efficiency: eff)
        })
    }
    let regionRecords = regions.indices.map { r in
      CutflowRecord.Region(
        region: regions[r], purity: purity(region: r), puritySamples: regionTargets[r].map { sampleNames[$0] },
        samples: (0..<ns).map { s in
          CutflowRecord.RegionSample(
            sample: sampleNames[s], count: regionYields[r][s].count, yield: regionYields[r][s].sumW,
            error: regionYields[r][s].error, fraction: fraction(region: r, sample: s))
        })
    }
    let rejection = (0..<ns).filter { sampleRoles[$0] == "background" }.map {
      (key: sampleNames[$0], value: backgroundRejection(sample: $0))
    }
    return CutflowRecord(
      samples: samples, stages: stages, regions: regionRecords, signalEfficiency: signalEfficiency,
      backgroundRejection: OrderedMap(rejection))
  }
}

extension WorkingPointScan {
  /// The scan's entry in `tables/evaluation.json`.
  public var record: WorkingPointScanRecord {
    WorkingPointScanRecord(
      stage: stage, workingPoint: workingPoint, threshold: thresholds, signalEfficiency: signalEfficiency,
      samples: sampleNames.indices.map {
        WorkingPointScanRecord.Sample(sample: sampleNames[$0], role: sampleRoles[$0], efficiency: efficiency[$0])
      })
  }
}
