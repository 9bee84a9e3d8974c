/// Gini impurity as AdaBoost uses it to choose splits (TMVA's GiniIndex, 2·p·(1 − p)).
public enum Gini {
  /// Impurity 2·p·(1 − p) of a node with signal weight `signal` and background weight `background`.
  public static func index(signal: Double, background: Double) -> Double {
    let t = signal + background
    guard t > 0 else { return 0 }
    let p = signal / t
    return 2 * p * (1 - p)
  }

  /// Weight-averaged impurity of the two children of the cut `value < threshold`.
  public static func splitIndex(values: [Double], isSignal: [Bool], weights: [Double], threshold: Double) -> Double {
    var l = (s: 0.0, b: 0.0), r = (s: 0.0, b: 0.0)
    for i in values.indices {
      let w = weights[i]
      if values[i] < threshold {
        if isSignal[i] { l.s += w } else { l.b += w }
      } else {
        if isSignal[i] { r.s += w } else { r.b += w }
      }
    }
    let wl = l.s + l.b, wr = r.s + r.b
    guard wl + wr > 0 else { return 0 }
    return (wl * index(signal: l.s, background: l.b) + wr * index(signal: r.s, background: r.b)) / (wl + wr)
  }
}
