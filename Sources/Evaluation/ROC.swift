import Cascade

/// One point of a ROC curve: events with `score >= threshold` pass.
public struct ROCPoint: Equatable, Sendable {
  /// +infinity for the first point (nothing passes).
  public var threshold: Double
  public var signalEfficiency: Double
  public var backgroundEfficiency: Double
  /// A point with both efficiencies as weighted fractions (Σw passing / Σw total, in [0, 1] for
  /// positive weights; signed weights can push them outside).
  public init(threshold: Double, signalEfficiency: Double, backgroundEfficiency: Double) {
    self.threshold = threshold
    self.signalEfficiency = signalEfficiency
    self.backgroundEfficiency = backgroundEfficiency
  }
}

/// A weighted ROC curve: one point per distinct score (ties form a single step), starting at
/// (0, 0) and ending at (1, 1). Efficiencies use the true signed weights, so with negative
/// weights a curve may step backwards; the area is still the trapezoid sum over the points.
public struct ROCCurve: Sendable {
  public var points: [ROCPoint]
  /// Area under the curve by the trapezoid rule over `points` (NaN if a total weight is ≤ 0).
  public var auc: Double
  public var signalTotal: Double
  public var backgroundTotal: Double

  /// Signal efficiency where the background efficiency equals `target`, by linear interpolation
  /// along the curve; where the curve meets `target` on several segments (vertical steps from
  /// ties, or backward steps from negative weights) the largest signal efficiency is taken.
  /// NaN if the curve never reaches `target`.
  public func signalEfficiency(atBackgroundEfficiency target: Double) -> Double {
    var best = -Double.infinity
    for i in 0..<max(0, points.count - 1) {
      let a = points[i], b = points[i + 1]
      let lo = min(a.backgroundEfficiency, b.backgroundEfficiency)
      let hi = max(a.backgroundEfficiency, b.backgroundEfficiency)
      guard lo <= target, target <= hi else { continue }
      let value: Double
      if hi == lo {
        value = max(a.signalEfficiency, b.signalEfficiency)
      } else {
        let t = (target - a.backgroundEfficiency) / (b.backgroundEfficiency - a.backgroundEfficiency)
        value = a.signalEfficiency + t * (b.signalEfficiency - a.signalEfficiency)
      }
      best = max(best, value)
    }
    return best == -.infinity ? .nan : best
  }

  /// A subset of the points for files and plots: the first and last point, and every point that
  /// moves an efficiency by at least `step` or the background efficiency by a factor `logStep`
  /// (keeps the low-efficiency end visible on a log axis). The area is not recomputed.
  public func thinned(step: Double = 0.002, logStep: Double = 1.02) -> [ROCPoint] {
    guard points.count > 2 else { return points }
    var out = [points[0]]
    var last = points[0]
    for i in 1..<(points.count - 1) {
      let p = points[i]
      let ds = abs(p.signalEfficiency - last.signalEfficiency)
      let db = abs(p.backgroundEfficiency - last.backgroundEfficiency)
      let logMove = p.backgroundEfficiency > 0
        && (last.backgroundEfficiency <= 0 || p.backgroundEfficiency / last.backgroundEfficiency >= logStep
          || last.backgroundEfficiency / p.backgroundEfficiency >= logStep)
      if ds >= step || db >= step || logMove {
        out.append(p)
        last = p
      }
    }
    out.append(points[points.count - 1])
    return out
  }
}

/// ROC curves, their areas and efficiency look-ups, all from one weighted score sweep
/// (`WeightedSweep`), so curves and working points agree on ties and NaN scores.
public enum ROC {
  /// Event indices ordered by descending score (ties by index), NaN scores left out.
  /// Sort once and reuse for several curves on the same scores.
  public static func descendingOrder(_ scores: [Double]) -> [Int32] {
    WeightedSweep.descendingOrder(scores)
  }

  /// The ROC curve of the events with `label[e] == 1` (signal) against `label[e] == 0`
  /// (background); other labels are ignored. `order` is `descendingOrder(scores)`.
  public static func curve(scores: [Double], weights: [Double], label: [Int8], order: [Int32]) -> ROCCurve {
    // Labels are the sweep's classes: 0 = background, 1 = signal, anything else left out.
    let sweep = WeightedSweep(scores: scores, weights: weights, classes: label, classCount: 2, order: order)
    // Totals are the final running sums, so the last point is exactly (1, 1).
    let sTot = sweep.total(class: 1), bTot = sweep.total(class: 0)
    let valid = sTot > 0 && bTot > 0
    var points = [ROCPoint(threshold: .infinity, signalEfficiency: valid ? 0 : .nan, backgroundEfficiency: valid ? 0 : .nan)]
    points.reserveCapacity(sweep.count + 1)
    for step in 0..<sweep.count {
      points.append(
        ROCPoint(
          threshold: sweep.thresholds[step],
          signalEfficiency: valid ? sweep.passing(class: 1, atStep: step) / sTot : .nan,
          backgroundEfficiency: valid ? sweep.passing(class: 0, atStep: step) / bTot : .nan))
    }
    var auc = 0.0
    if valid {
      for i in 1..<points.count {
        let a = points[i - 1], b = points[i]
        auc += (b.backgroundEfficiency - a.backgroundEfficiency) * (a.signalEfficiency + b.signalEfficiency) / 2
      }
    } else {
      auc = .nan
    }
    return ROCCurve(points: points, auc: auc, signalTotal: sTot, backgroundTotal: bTot)
  }
  /// Convenience: the ROC curve of two separate weighted samples.
  public static func curve(
    signalScores: [Double], signalWeights: [Double], backgroundScores: [Double], backgroundWeights: [Double]
  ) -> ROCCurve {
    let scores = signalScores + backgroundScores
    let weights = signalWeights + backgroundWeights
    let label = [Int8](repeating: 1, count: signalScores.count) + [Int8](repeating: 0, count: backgroundScores.count)
    return curve(scores: scores, weights: weights, label: label, order: descendingOrder(scores))
  }
}
