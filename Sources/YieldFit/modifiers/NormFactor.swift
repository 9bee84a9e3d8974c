import CascadeSupport

/// `normfactor`: an unconstrained scale factor μ on a sample (init 1, bounds [0, 10]).
struct NormFactor: ModifierDefinition {
  static let type = ModifierType.normfactor

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> NormFactor {
    try requireNullData(data)
    return NormFactor()
  }

  var dataJSON: JSONValue { .null }

  static func parameterPlans(_ uses: [ModifierUse<NormFactor>]) -> [ParameterPlan] {
    uses.map { ParameterPlan(name: $0.name, requirement: .unconstrained(count: 1, scalar: true, init: 1, bounds: [0, 10])) }
  }

  /// yield × μ
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    term.muls.append(MulEntry(param: set.offset, interp: -1))
  }
}

extension ModifierType {
  /// Unconstrained scale factor.
  public static let normfactor = ModifierType(rawValue: "normfactor")
}

extension ModifierKind {
  /// An unconstrained scale factor (data null).
  public static let normfactor = ModifierKind(NormFactor())
}
