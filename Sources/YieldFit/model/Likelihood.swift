import Foundation

/// −log L exactly as pyhf: Σ_bins [ν − xlogy(n, ν) + lgamma(n + 1)] plus the constraint terms
/// (Gaussian with its normalisation, Poisson as xlogy(a, γτ) − γτ − lgamma(a + 1)).
/// `twice_nll` is twice this value.
extension Model {
  /// −log L at `pars` (+∞ where an expected count needed by the data is not positive).
  public func nll(_ pars: [Double], _ data: FitData) -> Double {
    let nu = expectedMain(pars)
    var f = 0.0
    for g in 0..<nu.count {
      let n = data.main[g]
      if n > 0 {
        guard nu[g] > 0 else { return .infinity }
        f += nu[g] - n * Foundation.log(nu[g]) + lgamma(n + 1)
      } else {
        f += nu[g]
      }
    }
    return f + constraintNLL(pars, data)
  }

  /// −2 log L at `pars` (pyhf's `twice_nll`).
  public func twiceNLL(_ pars: [Double], _ data: FitData) -> Double { 2 * nll(pars, data) }

  /// The constraint terms' −log L alone (summed from 0, then added to the main bins' sum).
  func constraintNLL(_ pars: [Double], _ data: FitData) -> Double {
    var f = 0.0
    var none = NoDerivatives()
    constraints.accumulate(pars, data.aux, into: &f, &none)
    return f
  }

  /// −log L with its exact gradient and Hessian (dense, row-major npar × npar).
  func nllDerivatives(_ pars: [Double], _ data: FitData) -> (f: Double, grad: [Double], hess: [Double]) {
    let np = pars.count
    var grad = [Double](repeating: 0, count: np)
    var hess = [Double](repeating: 0, count: np * np)
    var f = 0.0
    // Per-bin scratch: dν/dθ for the parameters touching the bin.
    var dnu = [Double](repeating: 0, count: np)
    var touched = [Bool](repeating: false, count: np)
    var touchedList: [Int] = []
    touchedList.reserveCapacity(64)
    // Per-term scratch for factor values and derivatives.
    var fv: [Double] = [], f1: [Double] = [], f2: [Double] = [], fp: [Int] = []
    var a1: [Double] = [], a2: [Double] = [], ap: [Int] = [], pk: [Double] = []
    var pre: [Double] = [], suf: [Double] = []

    // First pass: expected counts, needed for the second-derivative weights (1 − n/ν).
    let nu = expectedMain(pars)
    for g in 0..<nu.count {
      let n = data.main[g]
      if n > 0 {
        guard nu[g] > 0 else { return (.infinity, grad, hess) }
        f += nu[g] - n * Foundation.log(nu[g]) + lgamma(n + 1)
      } else {
        f += nu[g]
      }
    }

    hess.withUnsafeMutableBufferPointer { H in
      var ti = 0
      let nt = terms.count
      while ti < nt {
        let g = terms[ti].bin
        let n = data.main[g]
        let w = 1 - n / nu[g]
        while ti < nt && terms[ti].bin == g {
          let t = terms[ti]
          ti += 1
          fv.removeAll(keepingCapacity: true); f1.removeAll(keepingCapacity: true)
          f2.removeAll(keepingCapacity: true); fp.removeAll(keepingCapacity: true)
          pk.removeAll(keepingCapacity: true); a1.removeAll(keepingCapacity: true)
          a2.removeAll(keepingCapacity: true); ap.removeAll(keepingCapacity: true)
          var a = t.nominal
          for k in t.addStart..<t.addEnd {
            let e = adds[k]
            let r = e.shift.eval(pars[e.param])
            a += r.value
            a1.append(r.d1); a2.append(r.d2); ap.append(e.param)
          }
          var prod = 1.0
          for k in t.mulStart..<t.mulEnd {
            let m = muls[k]
            if m.interp < 0 {
              fv.append(pars[m.param]); f1.append(1); f2.append(0)
            } else {
              let r = factorInterpolations[Int(m.interp)].eval(pars[m.param])
              fv.append(r.value); f1.append(r.d1); f2.append(r.d2)
            }
            fp.append(m.param)
            prod *= fv[fv.count - 1]
          }
          let K = fv.count
          // Products of all factors but k (or but k and l) from prefix and suffix products, no
          // division (factors may be 0, e.g. μ = 0): O(K²) per term instead of O(K³), which
          // matters for published likelihoods with ~100 normsys factors on every sample. For
          // K ≤ 3 the products are the same floating-point operations as a direct loop.
          pre.removeAll(keepingCapacity: true); suf.removeAll(keepingCapacity: true)
          var running = 1.0
          for k in 0..<K { pre.append(running); running *= fv[k] }
          running = 1.0
          for _ in 0..<K { suf.append(1) }
          for k in stride(from: K - 1, through: 0, by: -1) { suf[k] = running; running *= fv[k] }
          func without(_ k: Int) -> Double { pre[k] * suf[k] }
          func touch(_ i: Int, _ v: Double) {
            if !touched[i] { touched[i] = true; touchedList.append(i) }
            dnu[i] += v
          }
          for h in 0..<ap.count {
            touch(ap[h], a1[h] * prod)
            if a2[h] != 0 { H[ap[h] * np + ap[h]] += w * a2[h] * prod }
          }
          for k in 0..<K {
            pk.append(without(k))
            touch(fp[k], a * f1[k] * pk[k])
            if f2[k] != 0 { H[fp[k] * np + fp[k]] += w * a * f2[k] * pk[k] }
          }
          if w != 0 {
            for h in 0..<ap.count {
              for k in 0..<K {
                let v = w * a1[h] * f1[k] * pk[k]
                H[ap[h] * np + fp[k]] += v
                H[fp[k] * np + ap[h]] += v
              }
            }
            if K > 1 {
              for k in 0..<K {
                // between = Π_{k<m<l} fv[m], grown as l moves right.
                var between = 1.0
                for l in (k + 1)..<K {
                  let v = w * a * f1[k] * f1[l] * (pre[k] * between * suf[l])
                  between *= fv[l]
                  H[fp[k] * np + fp[l]] += v
                  H[fp[l] * np + fp[k]] += v
                }
              }
            }
          }
        }
        // Close the bin: gradient and the Fisher-like term (n/ν²) dν dνᵀ.
        let c = n / (nu[g] * nu[g])
        for i in touchedList {
          grad[i] += w * dnu[i]
          if c != 0 {
            let di = dnu[i] * c
            for j in touchedList { H[i * np + j] += di * dnu[j] }
          }
        }
        for i in touchedList { dnu[i] = 0; touched[i] = false }
        touchedList.removeAll(keepingCapacity: true)
      }
    }
    // Constraint terms, added to the main bins' sum term by term.
    grad.withUnsafeMutableBufferPointer { G in
      hess.withUnsafeMutableBufferPointer { H in
        var sink = DenseDerivatives(grad: G, hess: H, n: np)
        constraints.accumulate(pars, data.aux, into: &f, &sink)
      }
    }
    return (f, grad, hess)
  }
}
