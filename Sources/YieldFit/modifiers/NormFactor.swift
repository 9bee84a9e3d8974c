/// `normfactor`: an unconstrained scale factor μ on a sample (init 1, bounds [0, 10]).
enum NormFactor {
  static func requirement() -> ParameterRequirement {
    .unconstrained(count: 1, scalar: true, init: 1, bounds: [0, 10])
  }
  static func entry(_ set: ParameterSet) -> MulEntry { MulEntry(param: set.offset, interp: -1) }
}
