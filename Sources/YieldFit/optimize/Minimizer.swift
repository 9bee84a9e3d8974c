import Foundation

/// Settings of the bounded Newton minimiser.
public struct MinimizerOptions: Sendable {
  /// Newton iterations per start.
  public var maxIterations = 500
  /// Stop when the estimated distance to the minimum (EDM, in −log L units) is below this.
  public var edmTolerance = 1e-14
  /// A minimum counts as converged when its final EDM is below this.
  public var convergedEDM = 1e-6
  /// Extra starting points tried when a fit does not converge.
  public var retries = 3
  /// Restart on the other side of kinked interpolations (see `NewtonMinimizer.escapeKinks`).
  public var escapeKinks = true
  /// Try every alternative start even after a converged minimum and keep the lowest (strategy 2).
  public var exhaustiveRestarts = false
  /// The defaults above: 500 iterations, EDM tolerance 1e-14, converged below 1e-6, 3 retries,
  /// kink escapes on, no exhaustive restarts.
  public init() {}
}

/// The outcome of one minimisation.
struct Minimum {
  var x: [Double]
  var f: Double
  var edm: Double
  var converged: Bool
  var iterations: Int
}

/// Bounded Newton minimiser with exact Hessian: projected Newton steps on the parameters not
/// held at a bound, Levenberg–Marquardt damping where the Hessian is not positive definite,
/// and a backtracking line search along the projected path.
struct NewtonMinimizer {
  let value: ([Double]) -> Double
  let derivatives: ([Double]) -> (f: Double, grad: [Double], hess: [Double])
  let lower: [Double]
  let upper: [Double]
  /// Components that never move.
  let fixed: [Bool]
  let options: MinimizerOptions
  /// Components with a kink at 0 (see `Model.kinked`).
  var kinked: [Int] = []

  func minimize(from start: [Double]) -> Minimum {
    var best = run(from: start)
    if best.converged && !options.exhaustiveRestarts { return options.escapeKinks ? escapeKinks(best) : best }
    // Retries: deterministic alternative starts around the initial point.
    let steps: [Double] = [0.5, -0.5, 1.5, -1.0, 2.5]
    for r in 0..<min(options.retries, steps.count) {
      var x = start
      for i in 0..<x.count where !fixed[i] {
        let span = upper[i] - lower[i]
        let width = span.isFinite ? min(1.0, 0.1 * span) : 1.0
        x[i] = min(upper[i], max(lower[i], start[i] + steps[r] * width))
      }
      let m = run(from: x)
      if options.exhaustiveRestarts {
        if m.converged && (!best.converged || m.f < best.f - 1e-10) { best = m }
        continue
      }
      if m.converged && (!best.converged || m.f < best.f + 1e-9) { return m }
      if !best.converged && m.f < best.f { best = m }
    }
    return best.converged && options.escapeKinks && options.exhaustiveRestarts ? escapeKinks(best) : best
  }

  /// A kinked interpolation can leave a second local minimum on the other side of 0 (a concave
  /// kink); restart with the kinked components reflected through 0, all at once and (for a few)
  /// one at a time, and keep the lowest converged minimum.
  func escapeKinks(_ found: Minimum) -> Minimum {
    let free = kinked.filter { !fixed[$0] && found.x[$0] != 0 }
    if free.isEmpty { return found }
    var best = found
    var groups: [[Int]] = [free]
    if free.count > 1 && free.count <= 8 { groups += free.map { [$0] } }
    for g in groups {
      var x = best.x
      for i in g { x[i] = min(upper[i], max(lower[i], -x[i])) }
      let m = run(from: x)
      if m.converged && m.f < best.f - 1e-10 { best = m }
    }
    return best
  }

  func run(from start: [Double]) -> Minimum {
    let np = start.count
    var x = (0..<np).map { min(upper[$0], max(lower[$0], start[$0])) }
    var (f, g, h) = derivatives(x)
    var lambda = 0.0
    var edm = Double.infinity
    var it = 0
    guard f.isFinite else { return Minimum(x: x, f: f, edm: .infinity, converged: false, iterations: 0) }
    while it < options.maxIterations {
      it += 1
      let idx = movable(x: x, g: g)
      let n = idx.count
      if n == 0 { edm = 0; break }
      var sub = [Double](repeating: 0, count: n * n)
      var gs = [Double](repeating: 0, count: n)
      var maxDiag = 0.0
      for a in 0..<n {
        gs[a] = g[idx[a]]
        for b in 0..<n { sub[a * n + b] = h[idx[a] * np + idx[b]] }
        maxDiag = max(maxDiag, abs(sub[a * n + a]))
      }
      // Damped Newton direction.
      var dir: [Double] = []
      var l = sub
      var damping = lambda
      while true {
        l = sub
        if damping > 0 { for a in 0..<n { l[a * n + a] += damping * max(1e-12, abs(sub[a * n + a])) + damping * 1e-8 } }
        if LinearAlgebra.cholesky(&l, n) { break }
        damping = damping == 0 ? 1e-6 : damping * 10
        if damping > 1e12 { break }
      }
      if damping > 1e12 {
        // Fall back to steepest descent scaled by the diagonal.
        dir = gs.map { -$0 / max(maxDiag, 1) }
      } else {
        dir = LinearAlgebra.choleskySolve(l, n, gs.map { -$0 })
      }
      var slope = 0.0
      for a in 0..<n { slope += gs[a] * dir[a] }
      edm = -0.5 * slope
      if damping == 0 && edm < options.edmTolerance { break }
      if !(slope < 0) {
        // Not a descent direction: damp harder.
        lambda = max(lambda * 10, 1e-4)
        if lambda > 1e12 { break }
        continue
      }
      // Backtracking line search on the projected path.
      var t = 1.0
      var accepted = false
      var xn = x
      var fn = f
      for _ in 0..<60 {
        xn = x
        for a in 0..<n {
          let i = idx[a]
          xn[i] = min(upper[i], max(lower[i], x[i] + t * dir[a]))
        }
        fn = value(xn)
        if fn.isFinite && fn <= f + 1e-4 * t * slope { accepted = true; break }
        if fn.isFinite && fn < f && t < 1e-3 { accepted = true; break }
        t *= 0.5
      }
      if !accepted {
        if damping == 0 && edm < options.convergedEDM { break }  // at the rounding floor
        lambda = max(lambda * 10, 1e-3)
        if lambda > 1e12 { break }
        continue
      }
      let improvement = f - fn
      x = xn
      (f, g, h) = derivatives(x)
      lambda = lambda > 0 ? (lambda < 1e-6 ? 0 : lambda * 0.1) : 0
      if improvement == 0 && damping == 0 && edm < options.convergedEDM { break }
    }
    let finalEDM = edmAt(x: x, g: g, h: h)
    return Minimum(x: x, f: f, edm: finalEDM, converged: f.isFinite && finalEDM < options.convergedEDM, iterations: it)
  }

  /// The free components not pinned at a bound by a gradient pointing outwards: the ones a
  /// projected Newton step moves, and over which the EDM is measured.
  func movable(x: [Double], g: [Double]) -> [Int] {
    var idx: [Int] = []
    for i in 0..<x.count where !fixed[i] {
      let atLow = x[i] <= lower[i] && g[i] > 0
      let atHigh = x[i] >= upper[i] && g[i] < 0
      if !(atLow || atHigh) { idx.append(i) }
    }
    return idx
  }

  /// 0.5 gᵀ H⁻¹ g over the components not pinned at a bound (∞ if H is not positive definite).
  func edmAt(x: [Double], g: [Double], h: [Double]) -> Double {
    let np = x.count
    let idx = movable(x: x, g: g)
    let n = idx.count
    if n == 0 { return 0 }
    var sub = [Double](repeating: 0, count: n * n)
    for a in 0..<n { for b in 0..<n { sub[a * n + b] = h[idx[a] * np + idx[b]] } }
    guard LinearAlgebra.cholesky(&sub, n) else { return .infinity }
    let gs = idx.map { g[$0] }
    let d = LinearAlgebra.choleskySolve(sub, n, gs)
    var e = 0.0
    for a in 0..<n { e += gs[a] * d[a] }
    return 0.5 * e
  }
}
