/// Brent's method: a root of `f` in [a, b] where f(a) and f(b) have opposite signs (or one is 0).
/// Returns nil if the interval does not bracket a root.
func brentRoot(_ f: (Double) -> Double, _ a0: Double, _ b0: Double, fa fa0: Double? = nil, fb fb0: Double? = nil,
               xtol: Double = 1e-12, rtol: Double = 1e-12, maxIterations: Int = 200) -> Double? {
  var a = a0, b = b0
  var fa = fa0 ?? f(a), fb = fb0 ?? f(b)
  if fa == 0 { return a }
  if fb == 0 { return b }
  guard fa.sign != fb.sign, fa.isFinite, fb.isFinite else { return nil }
  var c = a, fc = fa
  var d = b - a, e = d
  for _ in 0..<maxIterations {
    if fb.sign == fc.sign { c = a; fc = fa; d = b - a; e = d }
    if abs(fc) < abs(fb) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa }
    let tol = 2 * rtol * abs(b) + 0.5 * xtol
    let m = 0.5 * (c - b)
    if abs(m) <= tol || fb == 0 { return b }
    if abs(e) >= tol && abs(fa) > abs(fb) {
      let s = fb / fa
      var p: Double, q: Double
      if a == c {
        p = 2 * m * s
        q = 1 - s
      } else {
        let qq = fa / fc, r = fb / fc
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1))
        q = (qq - 1) * (r - 1) * (s - 1)
      }
      if p > 0 { q = -q } else { p = -p }
      if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)) {
        e = d
        d = p / q
      } else {
        d = m
        e = m
      }
    } else {
      d = m
      e = m
    }
    a = b
    fa = fb
    b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
    fb = f(b)
    if !fb.isFinite { return nil }
  }
  return b
}
