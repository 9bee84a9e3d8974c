import Boosting
import Cascade
import CascadeSupport
import Foundation

/// Every MC event with the fit observable, for the sculpting diagnostics: how each stage
/// reshapes each background's distribution of the observable.
public struct SculptingInput: Sendable {
  public var observable: String
  /// Bin edges of the observable (the fit's binning when there is one).
  public var edges: [Double]
  public var sampleNames: [String]
  /// "signal" | "background" | "data", one per sample.
  public var sampleRoles: [String]
  /// Stages in cascade order: name, control region and target background sample indices.
  public var stages: [(name: String, region: String, targets: [Int])]
  /// One entry per event (data events are ignored).
  public var sampleIndex: [Int32]
  /// True signed weights.
  public var weight: [Double]
  public var value: [Double]
  /// The stage at which the event left the cascade (`Routing.exitStage`), stage count for SR.
  public var exitStage: [Int]
  /// scores[stage][event]: out-of-fold score of every event (NaN where not reached is fine).
  public var scores: [[Double]]

  /// The input of the diagnostics; every per-event array has one entry per event, `scores` one
  /// array per stage, and `edges` are the observable's bin edges (strictly increasing).
  public init(
    observable: String, edges: [Double], sampleNames: [String], sampleRoles: [String],
    stages: [(name: String, region: String, targets: [Int])], sampleIndex: [Int32], weight: [Double],
    value: [Double], exitStage: [Int], scores: [[Double]]
  ) {
    self.observable = observable
    self.edges = edges
    self.sampleNames = sampleNames
    self.sampleRoles = sampleRoles
    self.stages = stages
    self.sampleIndex = sampleIndex
    self.weight = weight
    self.value = value
    self.exitStage = exitStage
    self.scores = scores
  }
}

/// One (stage, background sample) row of `tables/sculpting.json`.
public struct SculptingRow: Sendable {
  public var stage: String
  public var region: String
  public var sample: String
  /// Whether the sample is one of the stage's target backgrounds.
  public var isTarget: Bool
  /// The observable's histograms of the events entering the stage, sent to its control region,
  /// and surviving it.
  public var input: ObservableHistogram
  public var controlRegion: ObservableHistogram
  public var survivors: ObservableHistogram
  /// JSD (bits) of the control region's and the survivors' shapes from the input's.
  public var jsdControlRegion: Double
  public var jsdSurvivors: Double
  /// χ²/ndf and the weighted KS p-value of control region vs survivors (disjoint samples:
  /// equal shapes there ⇔ both equal the input's).
  public var chi2: Double
  public var ndf: Int
  public var ksP: Double
  /// hep_ml bin-based SDE of the stage's score for this sample in bins of the observable.
  public var flatness: Double

  /// The row is flagged when a distance exceeds `Sculpting.jsdThreshold` and the difference is
  /// significant (`ksP < Sculpting.pThreshold`), so statistical noise alone does not warn.
  public var sculpted: Bool {
    Swift.max(jsdControlRegion.isNaN ? 0 : jsdControlRegion, jsdSurvivors.isNaN ? 0 : jsdSurvivors) > Sculpting.jsdThreshold
      && ksP < Sculpting.pThreshold
  }

  /// The row as `tables/sculpting.json` stores it.
  public var record: SculptingRecord {
    SculptingRecord(
      stage: stage, sample: sample, jsdCR: jsdControlRegion, jsdSurvivors: jsdSurvivors, flatness: flatness,
      region: region, target: isTarget, chi2NDF: ndf > 0 ? chi2 / Double(ndf) : .nan, ndf: ndf, ksP: ksP,
      sculpted: sculpted, inputYield: input.total, crYield: controlRegion.total, survivorsYield: survivors.total,
      edges: input.edges, input: input.shape, cr: controlRegion.shape, survivors: survivors.shape)
  }
}

/// One row of `tables/sculpting.json` (the file is an array of these): the contract the report
/// reads. Shapes are normalised to unit sum; non-finite numbers are `null`.
public struct SculptingRecord: Codable, Sendable, Equatable {
  public var stage: String
  public var sample: String
  public var jsdCR: Double
  public var jsdSurvivors: Double
  public var flatness: Double
  public var region: String
  public var target: Bool
  public var chi2NDF: Double
  public var ndf: Int
  public var ksP: Double
  public var sculpted: Bool
  public var inputYield: Double
  public var crYield: Double
  public var survivorsYield: Double
  public var edges: [Double]
  public var input: [Double]
  public var cr: [Double]
  public var survivors: [Double]

  enum CodingKeys: String, CodingKey {
    case stage, sample, jsdCR = "jsd_cr", jsdSurvivors = "jsd_survivors", flatness, region, target
    case chi2NDF = "chi2_ndf", ndf, ksP = "ks_p", sculpted, inputYield = "input_yield", crYield = "cr_yield"
    case survivorsYield = "survivors_yield", edges, input, cr, survivors
  }
}

/// The sculpting diagnostics: per stage and background, the observable's shape in the stage's
/// input, its control region and its survivors, their distances and the score's flatness.
public enum Sculpting {
  /// A control region's or the survivors' JSD from the input above this (bits) is a warning,
  /// when also significant. 0.01 bits ≈ a 10 % tilt of the shape across the range.
  public static let jsdThreshold = 0.01
  /// … and the KS test of control region vs survivors gives p below this.
  public static let pThreshold = 0.01

  /// One row per (stage, background sample) with events entering the stage, in stage then sample
  /// order: the observable's shape in the input, the control region and the survivors, their
  /// Jensen–Shannon distances from the input, χ²/ndf and the KS test between control region and
  /// survivors, and the score's flatness. Data events and backgrounds that never reach a stage
  /// give no row.
  public static func rows(_ input: SculptingInput) -> [SculptingRow] {
    let n = input.sampleIndex.count
    var rows: [SculptingRow] = []
    for (s, stage) in input.stages.enumerated() {
      for (j, role) in input.sampleRoles.enumerated() where role == "background" {
        let events = (0..<n).filter { Int(input.sampleIndex[$0]) == j && input.exitStage[$0] >= s }
        guard !events.isEmpty else { continue }
        var all = ObservableHistogram(edges: input.edges), cr = all, kept = all
        var crX: [Double] = [], crW: [Double] = [], keptX: [Double] = [], keptW: [Double] = []
        for e in events {
          let x = input.value[e], w = input.weight[e]
          all.fill(x, weight: w)
          guard ObservableHistogram.bin(of: x, edges: input.edges) != nil else { continue }
          if input.exitStage[e] == s {
            cr.fill(x, weight: w); crX.append(x); crW.append(w)
          } else {
            kept.fill(x, weight: w); keptX.append(x); keptW.append(w)
          }
        }
        let (chi2, ndf) = SculptingMetrics.chi2PerNDF(cr, kept)
        let ks = crX.isEmpty || keptX.isEmpty ? (statistic: Double.nan, pValue: Double.nan)
          : Statistics.kolmogorovSmirnov(crX, weights: crW, keptX, weights: keptW)
        let x = events.map { input.value[$0] }, w = events.map { input.weight[$0] }
        let flatEdges = ObservableBinning.quantileEdges(x, weights: w, count: SculptingMetrics.flatnessBins)
        let flatness = SculptingMetrics.sde(
          scores: events.map { input.scores[s][$0] }, weights: w,
          bin: x.map { ObservableHistogram.bin(of: $0, edges: flatEdges) }, bins: Swift.max(1, flatEdges.count - 1))
        rows.append(SculptingRow(
          stage: stage.name, region: stage.region, sample: input.sampleNames[j], isTarget: stage.targets.contains(j),
          input: all, controlRegion: cr, survivors: kept,
          jsdControlRegion: SculptingMetrics.jensenShannon(all.shape, cr.shape),
          jsdSurvivors: SculptingMetrics.jensenShannon(all.shape, kept.shape),
          chi2: chi2, ndf: ndf, ksP: ks.pValue, flatness: flatness))
      }
    }
    return rows
  }

  /// One line per flagged row (the caller prefixes `cascade: warning:`).
  public static func warnings(_ rows: [SculptingRow], observable: String) -> [String] {
    rows.filter(\.sculpted).map { r in
      "stage \(r.stage) sculpts \(observable) of \(r.sample): JSD(\(r.region)) = \(NumberFormat.fixed(r.jsdControlRegion, 4)), "
        + "JSD(survivors) = \(NumberFormat.fixed(r.jsdSurvivors, 4)) bits (threshold \(JSONValue.format(jsdThreshold))), "
        + "KS p = \(String(format: "%.2g", r.ksP)); consider \"decorrelate\" (README, sculpting)"
    }
  }

  /// `tables/sculpting.json`: the rows as an array.
  /// The rows as written to `tables/sculpting.json`.
  public static func records(_ rows: [SculptingRow]) -> [SculptingRecord] { rows.map(\.record) }

  /// `tables/sculpting.md`.
  public static func markdown(_ rows: [SculptingRow], observable: String) -> String {
    var out = "# Sculpting of \(observable)\n\n"
    out += "Per stage and background: the shape of \(observable) in the events entering the stage, its control region (CR) "
      + "and its survivors, each normalised. JSD = Jensen–Shannon divergence from the input shape (bits, 0 = same, 1 = disjoint); "
      + "χ²/ndf and KS p compare CR with survivors using Σw²; flatness = hep_ml's bin-based SDE of the stage's score in "
      + "\(SculptingMetrics.flatnessBins) equal-weight bins of \(observable) (0 = flat). Flagged (!) when a JSD exceeds "
      + "\(JSONValue.format(jsdThreshold)) and KS p < \(JSONValue.format(pThreshold)).\n\n"
    var t = TextTable(header: ["Stage", "Sample", "Target", "JSD CR", "JSD survivors", "χ²/ndf", "KS p", "Flatness (SDE)", ""])
    for r in rows {
      t.rows.append([
        r.stage, r.sample, r.isTarget ? "yes" : "no", NumberFormat.fixed(r.jsdControlRegion, 4), NumberFormat.fixed(r.jsdSurvivors, 4),
        r.ndf > 0 ? NumberFormat.fixed(r.chi2 / Double(r.ndf), 2) : "—", String(format: "%.3g", r.ksP),
        NumberFormat.fixed(r.flatness, 4), r.sculpted ? "!" : "",
      ])
    }
    return out + t.render(markdown: true)
  }
}
