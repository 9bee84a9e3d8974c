/// `lumi`: the luminosity scale, Gaussian-constrained with auxdata and σ from the
/// measurement's parameter settings (pyhf requires inits, bounds, auxdata and sigmas there).
enum Lumi {
  static func requirement() -> ParameterRequirement {
    ParameterRequirement(
      constraint: .normal, count: 1, isScalar: true, inits: nil, bounds: nil, fixed: [false],
      auxdata: nil, sigmas: nil, factors: nil, acceptsAuxdata: true, acceptsSigmas: true, acceptsFactors: false)
  }
  static func entry(_ set: ParameterSet) -> MulEntry { MulEntry(param: set.offset, interp: -1) }
}
