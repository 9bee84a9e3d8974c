import CascadeSupport

/// `normsys`: a normalisation systematic, yield × f(α) with f(±1) = hi / lo, interpolated by
/// code1 (piecewise exponential) or code4 (polynomial inside |α| < 1, exponential outside).
/// α is unit-Gaussian constrained (init 0, bounds [−5, 5]).
struct NormSys: ModifierDefinition {
  static let type = ModifierType.normsys
  var lo: Double
  var hi: Double

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> NormSys {
    let o = try data.object(allowed: ["lo", "hi"])
    let loC = try o.required("lo"), hiC = try o.required("hi")
    let lo = try loC.finiteDouble(), hi = try hiC.finiteDouble()
    guard lo > 0 else { throw loC.error("normsys factor must be positive") }
    guard hi > 0 else { throw hiC.error("normsys factor must be positive") }
    return NormSys(lo: lo, hi: hi)
  }

  var dataJSON: JSONValue { .object(JSONObject([("hi", .number(hi)), ("lo", .number(lo))])) }

  static func parameterPlans(_ uses: [ModifierUse<NormSys>]) -> [ParameterPlan] {
    uses.map { ParameterPlan(name: $0.name, requirement: .unitGaussian) }
  }

  /// yield × f(α), f interpolated between lo, 1 and hi (one interpolation per distinct lo/hi).
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    term.muls.append(MulEntry(param: set.offset, interp: term.factorInterpolation(lo: lo, hi: hi)))
  }
}

extension ModifierType {
  /// Normalisation systematic.
  public static let normsys = ModifierType(rawValue: "normsys")
}

extension ModifierKind {
  /// Normalisation systematic: yield × hi (α = +1) or × lo (α = −1).
  public static func normsys(lo: Double, hi: Double) -> ModifierKind { ModifierKind(NormSys(lo: lo, hi: hi)) }
}
