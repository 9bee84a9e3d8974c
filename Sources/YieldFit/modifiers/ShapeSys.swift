/// `shapesys`: uncorrelated per-bin uncertainty σ_b on one sample, factor γ_b with a Poisson
/// constraint Pois(τ_b | γ_b τ_b), τ_b = (ν_b / σ_b)². Bins with ν_b ≤ 0 or σ_b ≤ 0 get a fixed
/// γ_b = 1 (τ = 1), as in pyhf. Init 1, bounds [1e-10, 10].
enum ShapeSys {
  static func requirement(nominal: [Double], sigmas: [Double]) -> ParameterRequirement {
    let valid = zip(nominal, sigmas).map { $0.0 > 0 && $0.1 > 0 }
    let factors = (0..<nominal.count).map { valid[$0] ? nominal[$0] * nominal[$0] / (sigmas[$0] * sigmas[$0]) : 1.0 }
    let n = nominal.count
    return ParameterRequirement(
      constraint: .poisson, count: n, isScalar: false, inits: Array(repeating: 1, count: n),
      bounds: Array(repeating: [1e-10, 10], count: n), fixed: valid.map { !$0 }, auxdata: factors, sigmas: nil,
      factors: factors, acceptsAuxdata: true, acceptsSigmas: false, acceptsFactors: true)
  }
  static func entry(_ set: ParameterSet, bin: Int) -> MulEntry { MulEntry(param: set.offset + bin, interp: -1) }
}
