/// `shapefactor`: one unconstrained factor per bin (init 1, bounds [0, 10]); shared by name,
/// so every sample carrying it in a channel with the same binning uses the same factors.
enum ShapeFactor {
  static func requirement(bins: Int) -> ParameterRequirement {
    .unconstrained(count: bins, scalar: false, init: 1, bounds: [0, 10])
  }
  static func entry(_ set: ParameterSet, bin: Int) -> MulEntry { MulEntry(param: set.offset + bin, interp: -1) }
}
