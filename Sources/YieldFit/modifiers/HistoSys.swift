import CascadeSupport

/// `histosys`: a shape systematic, nominal + Δ(α) per bin with Δ(±1) = hi_data / lo_data −
/// nominal, interpolated by code0 (piecewise linear) or code4p (polynomial inside |α| < 1).
/// α is unit-Gaussian constrained (init 0, bounds [−5, 5]).
struct HistoSys: ModifierDefinition {
  static let type = ModifierType.histosys
  var loData: [Double]
  var hiData: [Double]

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> HistoSys {
    let o = try data.object(allowed: ["lo_data", "hi_data"])
    var arrays: [[Double]] = []
    for key in ["lo_data", "hi_data"] {
      let c = try o.required(key)
      let v = try WorkspaceReader.numbers(c, nonEmpty: true)
      guard v.count == bins else { throw c.error("has \(v.count) values, the sample has \(bins) bins") }
      arrays.append(v)
    }
    return HistoSys(loData: arrays[0], hiData: arrays[1])
  }

  var dataJSON: JSONValue { .object(JSONObject([("hi_data", JSONValue(hiData)), ("lo_data", JSONValue(loData))])) }

  static func parameterPlans(_ uses: [ModifierUse<HistoSys>]) -> [ParameterPlan] {
    uses.map { ParameterPlan(name: $0.name, requirement: .unitGaussian) }
  }

  /// (nominal_b + Δ_b(α)) before the factors.
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    let shift = ShiftInterpolation(lo: loData[bin], nominal: site.nominal[bin], hi: hiData[bin], code: term.interpolation.histosys)
    term.adds.append(AddEntry(param: set.offset, shift: shift))
  }
}

extension ModifierType {
  /// Shape systematic.
  public static let histosys = ModifierType(rawValue: "histosys")
}

extension ModifierKind {
  /// Shape systematic: per-bin templates at α = −1 / +1.
  public static func histosys(loData: [Double], hiData: [Double]) -> ModifierKind {
    ModifierKind(HistoSys(loData: loData, hiData: hiData))
  }
}
