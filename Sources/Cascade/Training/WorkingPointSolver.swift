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

public enum WorkingPointSolver {
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
    }
    let s = kept(threshold, signalScores, signalWeights)
    let b = kept(threshold, backgroundScores, backgroundWeights)
    return WorkingPointSolution(
      threshold: threshold, signalEfficiency: s / sTotal, backgroundEfficiency: b / bTotal,
      significance: b > 0 ? s / b.squareRoot() : .infinity)
  }

  static func kept(_ t: Double, _ scores: [Double], _ weights: [Double]) -> Double {
    var sum = 0.0
    for i in scores.indices where scores[i] >= t { sum += weights[i] }
    return sum
  }

  /// The largest threshold keeping at least `fraction` of the weight (ties kept together).
  static func keepFraction(_ fraction: Double, scores: [Double], weights: [Double], total: Double) -> Double {
    let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    let target = fraction * total
    var cum = 0.0
    var i = 0
    while i < order.count {
      let s = scores[order[i]]
      // Take all events tied at this score together.
      while i < order.count && scores[order[i]] == s {
        cum += weights[order[i]]
        i += 1
      }
      if cum >= target { return s }
    }
    return scores[order.last!]
  }

  static func maximizeSignificance(_ ss: [Double], _ sw: [Double], _ bs: [Double], _ bw: [Double]) throws -> Double {
    // Merge both classes sorted by descending score and sweep the threshold down.
    var entries: [(score: Double, s: Double, b: Double)] = []
    entries.reserveCapacity(ss.count + bs.count)
    for i in ss.indices { entries.append((ss[i], sw[i], 0)) }
    for i in bs.indices { entries.append((bs[i], 0, bw[i])) }
    entries.sort { $0.score > $1.score }
    var s = 0.0, b = 0.0
    var best: (z: Double, t: Double)?
    var i = 0
    while i < entries.count {
      let t = entries[i].score
      while i < entries.count && entries[i].score == t {
        s += entries[i].s
        b += entries[i].b
        i += 1
      }
      guard b > 0, s > 0 else { continue }
      let z = s / b.squareRoot()
      if best == nil || z > best!.z { best = (z, t) }
    }
    guard let best else { throw UserError("significance cannot be maximised: no threshold keeps both signal and background") }
    return best.t
  }
}
