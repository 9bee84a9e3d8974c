import CascadeSupport

/// `histosys`: a shape systematic, nominal + Δ(α) per bin with Δ(±1) = hi_data / lo_data −
/// nominal, interpolated by code0 (piecewise linear) or code4p (polynomial inside |α| < 1).
/// α is unit-Gaussian constrained (init 0, bounds [−5, 5]).
enum HistoSys {
  static func read(_ data: JSONCursor, bins: Int) throws -> ModifierKind {
    let o = try data.object(allowed: ["lo_data", "hi_data"])
    var arrays: [[Double]] = []
    for key in ["lo_data", "hi_data"] {
      let c = try o.required(key)
      let v = try WorkspaceReader.numbers(c, nonEmpty: true)
      guard v.count == bins else { throw c.error("has \(v.count) values, the sample has \(bins) bins") }
      arrays.append(v)
    }
    return .histosys(loData: arrays[0], hiData: arrays[1])
  }
  static func requirement() -> ParameterRequirement { .unitGaussian }
  static func entry(_ set: ParameterSet, lo: Double, nominal: Double, hi: Double, code: InterpolationSettings.HistoSysCode) -> AddEntry {
    AddEntry(param: set.offset, shift: ShiftInterpolation(lo: lo, nominal: nominal, hi: hi, code: code))
  }
}
