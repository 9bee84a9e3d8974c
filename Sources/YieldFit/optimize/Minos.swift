import CascadeSupport

/// MINOS-like profile-likelihood intervals: where −2 log L, minimised over all other
/// parameters, rises by 1 above its minimum on each side of the best fit.
extension Fitter {
  /// Signed errors (lower ≤ 0, upper ≥ 0) of component `index` around `best`. A side that
  /// reaches the parameter's bound before crossing stops at the bound.
  public func minos(_ data: FitData, best: FitResult, index: Int) -> (lower: Double, upper: Double) {
    let x0 = best.values[index]
    if best.fixed[index] { return (0, 0) }
    let n = best.values.count
    let sigma0 = best.covariance[index * n + index].squareRoot()
    let step = sigma0.isFinite && sigma0 > 0 ? sigma0 : max(1e-3, 0.1 * abs(x0))
    let target = best.twiceNLL + 1
    var warm = best.values
    // Profiled −2 log L minus the target at θ_index = v, warm-started from the nearest point.
    func g(_ v: Double) -> Double {
      var start = warm
      start[index] = v
      let r = fit(data, fixedValues: [index: v], start: start, covariance: false)
      warm = r.values
      return r.twiceNLL - target
    }
    // Secant steps on √Δ(v) (Δ = profiled −2 log L above its minimum), which is linear in v
    // for a parabolic profile: a few profile fits where bracketing + Brent needs ten or more
    // (each a full fit of every other parameter). nil when the profile misbehaves (not finite,
    // not rising away from the minimum, a step reaching the bound): bracketing takes over.
    func secant(_ dir: Double) -> Double? {
      let bound = dir > 0 ? model.upperBounds[index] : model.lowerBounds[index]
      func inside(_ v: Double) -> Bool { v.isFinite && (v - x0) * dir > 0 && (dir > 0 ? v < bound : v > bound) }
      // (vb may sit on the bound after a step past it; the next secant point is then inside.)
      var va = x0, ha = 0.0
      var vb = x0 + dir * step
      guard inside(vb) else { return nil }
      var gb = g(vb)
      for _ in 0..<12 {
        guard gb.isFinite, gb + 1 > 0 else { return nil }
        let hb = (gb + 1).squareRoot()
        // √Δ must grow with the distance from the minimum (steps may come back towards it).
        guard (hb - ha) * (vb - va) * dir > 0 else { return nil }
        let vn = vb + (1 - hb) * (vb - va) / (hb - ha)
        if !inside(vn) {
          // A step past the bound: the interval ends at the bound if the profile has not risen
          // by 1 there, else the crossing lies between vb and the bound.
          guard vn.isFinite, (vn - x0) * dir > 0, vb != bound, bound.isFinite else { return nil }
          let gBound = g(bound)
          guard gBound.isFinite else { return nil }
          if gBound <= 0 { return bound }
          va = vb
          ha = hb
          vb = bound
          gb = gBound
          continue
        }
        if abs(vn - vb) <= 1e-7 * step { return vn }
        va = vb
        ha = hb
        vb = vn
        gb = g(vn)
      }
      return nil
    }
    func side(_ dir: Double) -> Double {
      warm = best.values
      if let v = secant(dir) { return v - x0 }
      warm = best.values
      let bound = dir > 0 ? model.upperBounds[index] : model.lowerBounds[index]
      var inner = x0, innerValue = -1.0
      var v = x0 + dir * step
      var k = 0
      while true {
        if (dir > 0 && v >= bound) || (dir < 0 && v <= bound) {
          let gb = g(bound)
          if gb <= 0 { return bound - x0 }
          v = bound
          let root = brentRoot(g, inner, v, fa: innerValue, fb: gb, xtol: 1e-7 * step, rtol: 1e-10)
          return (root ?? bound) - x0
        }
        let gv = g(v)
        if gv > 0 {
          let root = brentRoot(g, inner, v, fa: innerValue, fb: gv, xtol: 1e-7 * step, rtol: 1e-10)
          return (root ?? v) - x0
        }
        inner = v
        innerValue = gv
        k += 1
        v = x0 + dir * step * Double(1 << min(k, 20))
        if k > 40 { return v - x0 }
      }
    }
    return (side(-1), side(1))
  }
}
