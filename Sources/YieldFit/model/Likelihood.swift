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
  ///
  /// The hot loop of every Newton step: per (sample, bin) term it accumulates dν/dθ and the
  /// term's second derivatives into the Hessian, then per bin the Fisher-like term. Scratch
  /// space is allocated once per call and reached through raw pointers; the floating-point
  /// operations and their order are those of the straightforward loops (results are unchanged
  /// to the last bit).
  func nllDerivatives(_ pars: [Double], _ data: FitData) -> (f: Double, grad: [Double], hess: [Double]) {
    let np = pars.count
    var grad = [Double](repeating: 0, count: np)
    var hess = [Double](repeating: 0, count: np * np)
    var f = 0.0

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

    var maxMul = 0, maxAdd = 0
    for t in terms {
      maxMul = Swift.max(maxMul, t.mulEnd - t.mulStart)
      maxAdd = Swift.max(maxAdd, t.addEnd - t.addStart)
    }
    // Per-term scratch: factor values and derivatives, products without one factor, prefix
    // and suffix products; additive shifts' derivatives. Per-bin: dν/dθ of touched parameters.
    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 6 * maxMul + 2 * maxAdd + np + 1)
    let params = UnsafeMutablePointer<Int>.allocate(capacity: maxMul + maxAdd + np + 1)
    let touched = UnsafeMutablePointer<Bool>.allocate(capacity: np + 1)
    defer { scratch.deallocate(); params.deallocate(); touched.deallocate() }
    let fv = scratch, f1 = fv + maxMul, f2 = f1 + maxMul, pk = f2 + maxMul, pre = pk + maxMul, suf = pre + maxMul
    let a1 = suf + maxMul, a2 = a1 + maxAdd, dnu = a2 + maxAdd
    let fp = params, ap = fp + maxMul, touchedList = ap + maxAdd
    dnu.initialize(repeating: 0, count: np)
    touched.initialize(repeating: false, count: np)
    var touchedCount = 0

    pars.withUnsafeBufferPointer { P in
      terms.withUnsafeBufferPointer { T in
        adds.withUnsafeBufferPointer { A in
          muls.withUnsafeBufferPointer { M in
            factorInterpolations.withUnsafeBufferPointer { FI in
              hess.withUnsafeMutableBufferPointer { H in
                @inline(__always) func touch(_ i: Int, _ v: Double) {
                  if !touched[i] {
                    touched[i] = true
                    touchedList[touchedCount] = i
                    touchedCount &+= 1
                  }
                  dnu[i] += v
                }
                var ti = 0
                let nt = T.count
                while ti < nt {
                  let g = T[ti].bin
                  let n = data.main[g]
                  let w = 1 - n / nu[g]
                  while ti < nt && T[ti].bin == g {
                    let t = T[ti]
                    ti &+= 1
                    var a = t.nominal
                    var na = 0
                    for k in t.addStart..<t.addEnd {
                      let e = A[k]
                      let r = e.shift.eval(P[e.param])
                      a += r.value
                      a1[na] = r.d1; a2[na] = r.d2; ap[na] = e.param
                      na &+= 1
                    }
                    var prod = 1.0
                    var K = 0
                    for k in t.mulStart..<t.mulEnd {
                      let m = M[k]
                      if m.interp < 0 {
                        fv[K] = P[m.param]; f1[K] = 1; f2[K] = 0
                      } else {
                        let r = FI[Int(m.interp)].eval(P[m.param])
                        fv[K] = r.value; f1[K] = r.d1; f2[K] = r.d2
                      }
                      fp[K] = m.param
                      prod *= fv[K]
                      K &+= 1
                    }
                    // Products of all factors but k (or but k and l) from prefix and suffix
                    // products, no division (factors may be 0, e.g. μ = 0): O(K²) per term,
                    // not O(K³) — published likelihoods carry ~100 normsys factors per sample.
                    // For K ≤ 3 these are the same operations as a direct product loop.
                    var running = 1.0
                    for k in 0..<K { pre[k] = running; running *= fv[k] }
                    running = 1.0
                    var k = K - 1
                    while k >= 0 { suf[k] = running; running *= fv[k]; k -= 1 }
                    for h in 0..<na {
                      touch(ap[h], a1[h] * prod)
                      if a2[h] != 0 { H[ap[h] * np + ap[h]] += w * a2[h] * prod }
                    }
                    for k in 0..<K {
                      pk[k] = pre[k] * suf[k]
                      touch(fp[k], a * f1[k] * pk[k])
                      if f2[k] != 0 { H[fp[k] * np + fp[k]] += w * a * f2[k] * pk[k] }
                    }
                    if w != 0 {
                      for h in 0..<na {
                        let row = ap[h] * np
                        for k in 0..<K {
                          let v = w * a1[h] * f1[k] * pk[k]
                          H[row + fp[k]] += v
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
                  for x in 0..<touchedCount {
                    let i = touchedList[x]
                    grad[i] += w * dnu[i]
                    if c != 0 {
                      let di = dnu[i] * c
                      let row = i * np
                      for y in 0..<touchedCount {
                        let j = touchedList[y]
                        H[row + j] += di * dnu[j]
                      }
                    }
                  }
                  for x in 0..<touchedCount {
                    dnu[touchedList[x]] = 0
                    touched[touchedList[x]] = false
                  }
                  touchedCount = 0
                }
              }
            }
          }
        }
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
