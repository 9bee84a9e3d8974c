import CascadeSupport

/// `normsys`: a normalisation systematic, yield × f(α) with f(±1) = hi / lo, interpolated by
/// code1 (piecewise exponential) or code4 (polynomial inside |α| < 1, exponential outside).
/// α is unit-Gaussian constrained (init 0, bounds [−5, 5]).
enum NormSys {
  static func read(_ data: JSONCursor) throws -> ModifierKind {
    let o = try data.object(allowed: ["lo", "hi"])
    let loC = try o.required("lo"), hiC = try o.required("hi")
    let lo = try loC.finiteDouble(), hi = try hiC.finiteDouble()
    guard lo > 0 else { throw loC.error("normsys factor must be positive") }
    guard hi > 0 else { throw hiC.error("normsys factor must be positive") }
    return .normsys(lo: lo, hi: hi)
  }
  static func requirement() -> ParameterRequirement { .unitGaussian }
  static func entry(_ set: ParameterSet, interpolation: Int) -> MulEntry {
    MulEntry(param: set.offset, interp: Int32(interpolation))
  }
}
