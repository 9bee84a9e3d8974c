import CascadeSupport

/// `staterror`: Barlow–Beeston-lite MC statistical uncertainty. One factor γ_b per bin, shared
/// by every sample carrying the modifier, Gaussian-constrained around 1 with the combined
/// relative uncertainty σ_b = sqrt(Σ_s δ_sb²) / Σ_s ν_sb over those samples (pyhf's
/// `staterror_builder`). Bins with σ_b = 0 are fixed at 1. Init 1, bounds [1e-10, 10].
enum StatError {
  /// Per staterror name: the global bins it covers (ascending) and the requirement.
  struct Layout {
    var bins: [Int]
    var requirement: ParameterRequirement
  }

  /// `uses`: every (global bin offset, sample nominal, uncertainties) carrying the modifier, in
  /// (channel, sample) order; `name` for errors.
  static func layout(name: String, uses: [(channel: String, sample: String, offset: Int, nominal: [Double], sigma: [Double])]) throws -> Layout {
    // pyhf requires every sample carrying a staterror to cover the same bins.
    var binsBySample: [String: [Int]] = [:]
    var order: [String] = []
    for u in uses {
      if binsBySample[u.sample] == nil { order.append(u.sample) }
      binsBySample[u.sample, default: []].append(contentsOf: u.offset..<(u.offset + u.nominal.count))
    }
    let bins = binsBySample[order[0]]!.sorted()
    for s in order where binsBySample[s]!.sorted() != bins {
      throw UserError("staterror \"\(name)\": samples \"\(order[0])\" and \"\(s)\" carry it in different channels; pyhf needs the same channels for every sample")
    }
    var nomSum: [Int: Double] = [:]
    var varSum: [Int: Double] = [:]
    for u in uses {
      for b in 0..<u.nominal.count { nomSum[u.offset + b, default: 0] += u.nominal[b] }
    }
    for u in uses {
      for b in 0..<u.nominal.count {
        let g = u.offset + b
        let total = nomSum[g]!
        if total > 0 { varSum[g, default: 0] += (u.sigma[b] / total) * (u.sigma[b] / total) }
      }
    }
    let rel = bins.map { (varSum[$0] ?? 0).squareRoot() }
    let fixed = rel.map { $0 == 0 }
    let sigmas = rel.map { $0 == 0 ? 1.0 : $0 }
    let n = bins.count
    let req = ParameterRequirement(
      constraint: .normal, count: n, isScalar: false, inits: Array(repeating: 1, count: n),
      bounds: Array(repeating: [1e-10, 10], count: n), fixed: fixed, auxdata: Array(repeating: 1, count: n),
      sigmas: sigmas, factors: nil, acceptsAuxdata: true, acceptsSigmas: true, acceptsFactors: false)
    return Layout(bins: bins, requirement: req)
  }

  static func entry(_ set: ParameterSet, component: Int) -> MulEntry { MulEntry(param: set.offset + component, interp: -1) }
}
