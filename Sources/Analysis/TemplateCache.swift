import Cascade
import CascadeSupport
import YieldFit

/// The fit's templates for any thresholds, re-binned from cached out-of-fold scores: each MC
/// event's fit-observable bin, weight and every stage's score are kept, and a candidate set of
/// thresholds only re-routes them (`Routing.exitStage`) and re-sums Σw, Σw² — no file is read,
/// no event re-scored, no stage re-trained. The stage models are the ones trained at the
/// starting working points; moving an earlier threshold does not re-train later stages.
///
/// Sums run over the events in sample, file, row order, the order `RunFit.histograms` reads
/// the region files in, so the templates at the trained thresholds are the fit's own.
public struct TemplateCache: Sendable {
  /// Region names in routing order (stage control regions, then SR).
  public let regions: [String]
  /// MC sample names, config order (the order of every region's templates).
  public let samples: [String]
  /// Per event: index into `samples`.
  let sample: [Int32]
  /// Per event: the fit-observable bin, -1 outside the edges or NaN.
  let bin: [Int32]
  let weights: [Double]
  /// scores[stage][event].
  let scores: [[Double]]
  let binCount: Int

  /// The cache of `trained`'s events binned with `fit`'s edges (the events must carry
  /// `fit.observable` as a Float64 column).
  public init(_ trained: TrainedStages, fit: FitBlock) {
    let config = trained.config
    regions = config.regions
    let mc = config.samples.indices.filter { config.samples[$0].isMC }
    samples = mc.map { config.samples[$0].name }
    var mcIndex = [Int32](repeating: -1, count: config.samples.count)
    for (j, i) in mc.enumerated() { mcIndex[i] = Int32(j) }
    let ev = trained.events
    sample = ev.sampleIndex.map { mcIndex[Int($0)] }
    precondition(!sample.contains(-1), "a threshold search sees MC events only (blinding)")
    let x = ev.doubles[fit.observable]!
    let edges = fit.edges
    bin = x.map { Int32(Self.bin($0, edges) ?? -1) }
    weights = ev.weights
    scores = trained.scores
    binCount = edges.count - 1
  }

  /// A cache of explicit events: `sample[e]` indexes `samples`, `bin[e]` is the fit bin (-1:
  /// not in the fit), `scores[stage][e]` the out-of-fold scores.
  public init(regions: [String], samples: [String], sample: [Int32], bin: [Int32], weights: [Double], scores: [[Double]], binCount: Int) {
    precondition(sample.count == bin.count && bin.count == weights.count && scores.allSatisfy { $0.count == weights.count })
    precondition(regions.count == scores.count + 1)
    self.regions = regions
    self.samples = samples
    self.sample = sample
    self.bin = bin
    self.weights = weights
    self.scores = scores
    self.binCount = binCount
  }

  /// The bin of `x` in `edges` as `RunFit.histograms` finds it (nil outside or not finite).
  static func bin(_ x: Double, _ edges: [Double]) -> Int? { ObservableBins.bin(x, edges: edges) }

  /// Number of events.
  public var count: Int { sample.count }

  /// Every region's MC templates (no data: the search is blind) at `thresholds`.
  public func histograms(thresholds: [Double]) -> [RegionHistograms] {
    let ns = samples.count, nb = binCount, stages = scores.count
    precondition(thresholds.count == stages)
    var sumw = [Double](repeating: 0, count: regions.count * ns * nb)
    var sumw2 = sumw
    for e in 0..<sample.count {
      let b = Int(bin[e])
      guard b >= 0 else { continue }
      let r = Routing.exitStage(stageCount: stages) { k in (scores[k][e], thresholds[k]) }
      let w = weights[e]
      let i = (r * ns + Int(sample[e])) * nb + b
      sumw[i] += w
      sumw2[i] += w * w
    }
    return regions.indices.map { r in
      RegionHistograms(
        region: regions[r],
        templates: samples.indices.map { s in
          let at = (r * ns + s) * nb
          return TemplateHistogram(sample: samples[s], sumw: Array(sumw[at..<(at + nb)]), sumw2: Array(sumw2[at..<(at + nb)]))
        }, data: nil)
    }
  }

  /// Stage `k`'s scores of the signal events (any stage reached or not) and their weights:
  /// the sample on which the search's coordinates, signal efficiencies, are defined.
  func signalScores(stage k: Int, signal: Set<Int32>) -> (scores: [Double], weights: [Double]) {
    var s: [Double] = [], w: [Double] = []
    for e in 0..<sample.count where signal.contains(sample[e]) {
      s.append(scores[k][e])
      w.append(weights[e])
    }
    return (s, w)
  }
}
