import Cascade
import CascadeSupport

/// A raw event count with its weighted yield Σw and Σw² (uncertainty √Σw²).
public struct Yield: Sendable, Equatable {
  public var count: Int = 0
  public var sumW: Double = 0
  public var sumW2: Double = 0
  /// A yield of `count` raw events with Σw = `sumW` and Σw² = `sumW2` (empty by default).
  public init(count: Int = 0, sumW: Double = 0, sumW2: Double = 0) {
    self.count = count
    self.sumW = sumW
    self.sumW2 = sumW2
  }
  public var error: Double { sumW2.squareRoot() }
  mutating func add(_ w: Double) { count += 1; sumW += w; sumW2 += w * w }
}

/// The cascade's cutflow: per stage and sample the events entering, routed to the stage's
/// control region and surviving; the content and purity of every region; the overall signal
/// efficiency and each background's rejection.
public struct Cutflow: Sendable {
  public var sampleNames: [String]
  public var sampleRoles: [String]
  public var stageNames: [String]
  public var stageRegions: [String]
  public var thresholds: [Double]
  /// [stage][sample]
  public var entering: [[Yield]]
  public var toRegion: [[Yield]]
  public var surviving: [[Yield]]
  /// Regions in cascade order (a region shared by stages appears once), then "SR".
  public var regions: [String]
  /// [region][sample]
  public var regionYields: [[Yield]]
  /// The samples whose fraction of a region's MC yield is its purity: the target background(s)
  /// of the stage(s) filling a control region, the signal samples for the SR.
  public var regionTargets: [[Int]]
  /// [sample]: Σw of every event of the sample.
  public var totals: [Yield]
  /// Per event: the stage at which it left the cascade, or the stage count if it reached the SR.
  public var exitStage: [Int32]

  /// Routes every event of `flow` with the one routing rule and sums each sample's weights per
  /// stage and region. A region filled by several stages gets their events once each.
  ///
  /// - Throws: `UserError` (`cutflow: …`) when the arrays of `flow` disagree in length or a
  ///   sample role is not `signal`, `background` or `data`.
  public init(_ flow: CascadeFlowInput) throws {
    try flow.validate()
    let nStages = flow.stages.count, nSamples = flow.sampleNames.count, n = flow.sampleIndex.count
    sampleNames = flow.sampleNames
    sampleRoles = flow.sampleRoles
    stageNames = flow.stages.map { $0.name }
    stageRegions = flow.stages.map { $0.region }
    thresholds = flow.thresholds
    let empty = [Yield](repeating: Yield(), count: nSamples)
    entering = [[Yield]](repeating: empty, count: nStages)
    toRegion = entering
    surviving = entering
    totals = empty
    exitStage = [Int32](repeating: Int32(nStages), count: n)
    for e in 0..<n {
      let s = Int(flow.sampleIndex[e]), w = flow.weight[e]
      totals[s].add(w)
      let exit = Routing.exitStage(stageCount: nStages) { k in (flow.scores[k][e], flow.thresholds[k]) }
      for k in 0..<min(exit + 1, nStages) {
        entering[k][s].add(w)
        if k == exit { toRegion[k][s].add(w) } else { surviving[k][s].add(w) }
      }
      exitStage[e] = Int32(exit)
    }
    var regions = [String]()
    var regionTargets = [[Int]]()
    var regionYields = [[Yield]]()
    for k in 0..<nStages {
      let targets = flow.targets(ofStage: k)
      if let r = regions.firstIndex(of: stageRegions[k]) {
        regionTargets[r] = Array(Set(regionTargets[r] + targets)).sorted()
        for s in 0..<nSamples {
          regionYields[r][s].count += toRegion[k][s].count
          regionYields[r][s].sumW += toRegion[k][s].sumW
          regionYields[r][s].sumW2 += toRegion[k][s].sumW2
        }
      } else {
        regions.append(stageRegions[k])
        regionTargets.append(targets)
        regionYields.append(toRegion[k])
      }
    }
    regions.append("SR")
    regionTargets.append((0..<nSamples).filter { flow.sampleRoles[$0] == "signal" })
    regionYields.append(nStages > 0 ? surviving[nStages - 1] : totals)
    self.regions = regions
    self.regionTargets = regionTargets
    self.regionYields = regionYields
  }

  /// Whether sample `s` is simulation (signal or background) rather than data; purities and
  /// efficiencies count MC samples only.
  public func isMC(_ s: Int) -> Bool { sampleRoles[s] != "data" }

  /// Fraction of the region's MC yield from its target samples (NaN if the MC yield is ≤ 0).
  public func purity(region r: Int) -> Double {
    let mc = (0..<sampleNames.count).filter(isMC).reduce(0.0) { $0 + regionYields[r][$1].sumW }
    guard mc > 0 else { return .nan }
    return regionTargets[r].reduce(0.0) { $0 + regionYields[r][$1].sumW } / mc
  }

  /// Fraction of a sample's total yield in a region (NaN if its total is ≤ 0).
  public func fraction(region r: Int, sample s: Int) -> Double {
    totals[s].sumW > 0 ? regionYields[r][s].sumW / totals[s].sumW : .nan
  }

  /// Signal yield in the SR over the total signal yield (all signal samples summed).
  public var signalEfficiency: Double {
    let sig = (0..<sampleNames.count).filter { sampleRoles[$0] == "signal" }
    let total = sig.reduce(0.0) { $0 + totals[$1].sumW }
    guard total > 0 else { return .nan }
    return sig.reduce(0.0) { $0 + regionYields[regions.count - 1][$1].sumW } / total
  }

  /// 1 − (yield in the SR / total yield) for a background sample.
  public func backgroundRejection(sample s: Int) -> Double {
    let f = fraction(region: regions.count - 1, sample: s)
    return f.isNaN ? .nan : 1 - f
  }
}

extension CascadeFlowInput {
  func validate() throws {
    let n = sampleIndex.count, nSamples = sampleNames.count
    guard sampleRoles.count == nSamples else {
      throw UserError("cutflow: \(sampleRoles.count) sample roles for \(nSamples) samples")
    }
    for (s, role) in sampleRoles.enumerated() where !["signal", "background", "data"].contains(role) {
      throw UserError("cutflow: sample \"\(sampleNames[s])\" has role \"\(role)\" (expected signal, background or data)")
    }
    guard weight.count == n else { throw UserError("cutflow: \(weight.count) weights for \(n) events") }
    guard scores.count == stages.count, thresholds.count == stages.count else {
      throw UserError("cutflow: \(stages.count) stages but \(scores.count) score arrays and \(thresholds.count) thresholds")
    }
    for (k, sc) in scores.enumerated() where sc.count != n {
      throw UserError("cutflow: stage \(stages[k].name) has \(sc.count) scores for \(n) events")
    }
    guard stageTargets.isEmpty || stageTargets.count == stages.count else {
      throw UserError("cutflow: \(stageTargets.count) target lists for \(stages.count) stages")
    }
    for (e, s) in sampleIndex.enumerated() where !(0..<Int32(nSamples)).contains(s) {
      throw UserError("cutflow: event \(e) has sample index \(s) outside 0..<\(nSamples)")
    }
  }

  /// The stage's target backgrounds: given, or the background named by its region "CR_<name>".
  func targets(ofStage k: Int) -> [Int] {
    if !stageTargets.isEmpty { return stageTargets[k] }
    let region = stages[k].region
    return sampleNames.indices.filter { sampleRoles[$0] == "background" && "CR_" + sampleNames[$0] == region }
  }
}
