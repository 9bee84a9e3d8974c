import Cascade

/// The cascade's trade-off curve for one stage: its threshold is scanned while every other
/// stage keeps its working point; at each threshold, the fraction of each MC sample's total
/// yield that ends in the signal region.
public struct WorkingPointScan: Sendable {
  public var stage: String
  /// The stage's working point, included among the scanned thresholds.
  public var workingPoint: Double
  /// Ascending thresholds.
  public var thresholds: [Double]
  /// MC samples (data excluded) and, per sample, its SR efficiency at every threshold.
  public var sampleNames: [String]
  public var sampleRoles: [String]
  public var efficiency: [[Double]]
  /// Summed signal samples.
  public var signalEfficiency: [Double]

  /// Points: 101 quantiles of the score of the signal reaching the stage, 51 equal steps between
  /// the smallest and largest score reaching it, and the working point.
  public init(flow: CascadeFlowInput, cutflow: Cutflow, stage k: Int) {
    let nStages = flow.stages.count, nSamples = flow.sampleNames.count
    stage = flow.stages[k].name
    workingPoint = flow.thresholds[k]
    let mc = (0..<nSamples).filter { flow.sampleRoles[$0] != "data" }
    sampleNames = mc.map { flow.sampleNames[$0] }
    sampleRoles = mc.map { flow.sampleRoles[$0] }

    // Events reaching stage k that survive every later stage reach the SR iff score_k >= t.
    var candidates = [[(score: Double, w: Double)]](repeating: [], count: nSamples)
    var always = [Double](repeating: 0, count: nSamples)  // NaN score at k: never routed by k
    var signalScores = [Double]()
    var lo = Double.infinity, hi = -Double.infinity
    let scoresK = flow.scores[k]
    for e in 0..<flow.sampleIndex.count where cutflow.exitStage[e] >= Int32(k) {
      let s = Int(flow.sampleIndex[e])
      let x = scoresK[e]
      if x.isFinite {
        lo = min(lo, x); hi = max(hi, x)
        if flow.sampleRoles[s] == "signal" { signalScores.append(x) }
      }
      let laterExit = Routing.exitStage(from: k + 1, stageCount: nStages) { r in (flow.scores[r][e], flow.thresholds[r]) }
      guard laterExit == nStages else { continue }
      if x.isNaN { always[s] += flow.weight[e] } else { candidates[s].append((x, flow.weight[e])) }
    }
    var grid = [workingPoint]
    signalScores.sort()
    if !signalScores.isEmpty {
      for q in 0...100 { grid.append(signalScores[Int((Double(q) / 100 * Double(signalScores.count - 1)).rounded())]) }
    }
    if lo <= hi {
      for i in 0...50 { grid.append(lo + (hi - lo) * Double(i) / 50) }
    }
    thresholds = Array(Set(grid.filter { $0.isFinite })).sorted()

    // A sweep per sample gives the passing yield for any threshold. Ties are summed in
    // descending event order (the order this table has always used), hence the explicit order.
    var eff = [[Double]]()
    for s in mc {
      let scores = candidates[s].map(\.score), weights = candidates[s].map(\.w)
      let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 > $1 }.map { Int32($0) }
      let sweep = WeightedSweep(scores: scores, weights: weights, order: order)
      let total = cutflow.totals[s].sumW
      eff.append(thresholds.map { t in
        total > 0 ? (sweep.passing(class: 0, threshold: t) + always[s]) / total : .nan
      })
    }
    efficiency = eff
    let roles = sampleRoles
    let sigRows = mc.indices.filter { roles[$0] == "signal" }
    let sigTotal = sigRows.reduce(0.0) { $0 + cutflow.totals[mc[$1]].sumW }
    signalEfficiency = thresholds.indices.map { i in
      sigTotal > 0 ? sigRows.reduce(0.0) { $0 + eff[$1][i] * cutflow.totals[mc[$1]].sumW } / sigTotal : .nan
    }
  }
}
