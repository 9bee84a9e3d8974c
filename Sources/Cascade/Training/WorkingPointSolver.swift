import CascadeSupport

/// The threshold a working point asks for, and what it achieves, on weighted scores.
/// Events with `score ≥ threshold` survive the stage; the rest go to its control region.
public struct WorkingPointSolution: Sendable, Equatable {
  public var threshold: Double
  public var signalEfficiency: Double
  public var backgroundEfficiency: Double
  /// s/√b at the threshold (target background).
  public var significance: Double
}

/// Turns a stage's working point into a threshold on the weighted scores of signal and target background.
public enum WorkingPointSolver {
  /// The threshold `wp` asks for and what it keeps (`score ≥ threshold`); `.optimize` solves its `start`.
  /// Throws `UserError` when signal or background has no positive total weight, or no threshold keeps both.
  public static func solve(
    _ wp: WorkingPoint, signalScores: [Double], signalWeights: [Double],
    backgroundScores: [Double], backgroundWeights: [Double]
  ) throws -> WorkingPointSolution {
    let sTotal = signalWeights.reduce(0, +)
    let bTotal = backgroundWeights.reduce(0, +)
    guard sTotal > 0 else { throw UserError("no positive signal weight reaches the stage") }
    guard bTotal > 0 else { throw UserError("no positive background weight reaches the stage") }
    let threshold: Double
    switch wp {
    case .threshold(let t):
      threshold = t
    case .signalEfficiency(let e):
      threshold = keepFraction(e, scores: signalScores, weights: signalWeights, total: sTotal)
    case .backgroundEfficiency(let e):
      threshold = keepFraction(e, scores: backgroundScores, weights: backgroundWeights, total: bTotal)
    case .maximizeSignificance:
      threshold = try maximizeSignificance(signalScores, signalWeights, backgroundScores, backgroundWeights)
    case .optimize(_, let start):
      // Training's threshold: the search (Analysis' WorkingPointOptimiser) moves it afterwards.
      return try solve(start, signalScores: signalScores, signalWeights: signalWeights, backgroundScores: backgroundScores, backgroundWeights: backgroundWeights)
    }
    let s = kept(threshold, signalScores, signalWeights)
    let b = kept(threshold, backgroundScores, backgroundWeights)
    return WorkingPointSolution(
      threshold: threshold, signalEfficiency: s / sTotal, backgroundEfficiency: b / bTotal,
      significance: b > 0 ? s / b.squareRoot() : .infinity)
  }

  /// Summed weight of the events scoring `>= t` (as a sweep counts them), in event order.
  static func kept(_ t: Double, _ scores: [Double], _ weights: [Double]) -> Double {
    var sum = 0.0
    for i in scores.indices where scores[i] >= t { sum += weights[i] }
    return sum
  }

  /// The largest threshold keeping at least `fraction` of the weight (ties kept together).
  static func keepFraction(_ fraction: Double, scores: [Double], weights: [Double], total: Double) -> Double {
    let sweep = WeightedSweep(scores: scores, weights: weights)
    let target = fraction * total
    for step in 0..<sweep.count where sweep.passing(class: 0, atStep: step) >= target {
      return sweep.thresholds[step]
    }
    return sweep.thresholds[sweep.count - 1]
  }

  static func maximizeSignificance(_ ss: [Double], _ sw: [Double], _ bs: [Double], _ bw: [Double]) throws -> Double {
    // Class 0 = signal, 1 = background; sweep the threshold down over both.
    let classes = [Int8](repeating: 0, count: ss.count) + [Int8](repeating: 1, count: bs.count)
    let sweep = WeightedSweep(scores: ss + bs, weights: sw + bw, classes: classes, classCount: 2)
    var best: (z: Double, t: Double)?
    for step in 0..<sweep.count {
      let s = sweep.passing(class: 0, atStep: step), b = sweep.passing(class: 1, atStep: step)
      guard b > 0, s > 0 else { continue }
      let z = s / b.squareRoot()
      if best == nil || z > best!.z { best = (z, sweep.thresholds[step]) }
    }
    guard let best else { throw UserError("significance cannot be maximised: no threshold keeps both signal and background") }
    return best.t
  }
}
