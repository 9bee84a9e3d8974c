import CascadeSupport

/// `shapefactor`: one unconstrained factor per bin (init 1, bounds [0, 10]); shared by name,
/// so every sample carrying it in a channel with the same binning uses the same factors.
struct ShapeFactor: ModifierDefinition {
  static let type = ModifierType.shapefactor

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> ShapeFactor {
    try requireNullData(data)
    return ShapeFactor()
  }

  var dataJSON: JSONValue { .null }

  static func parameterPlans(_ uses: [ModifierUse<ShapeFactor>]) -> [ParameterPlan] {
    uses.map {
      ParameterPlan(name: $0.name, requirement: .unconstrained(count: $0.site.nominal.count, scalar: false, init: 1, bounds: [0, 10]))
    }
  }

  /// yield_b × γ_b
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    term.muls.append(MulEntry(param: set.offset + bin, interp: -1))
  }
}

extension ModifierType {
  /// Unconstrained per-bin factors.
  public static let shapefactor = ModifierType(rawValue: "shapefactor")
}

extension ModifierKind {
  /// Unconstrained per-bin factors (data null).
  public static let shapefactor = ModifierKind(ShapeFactor())
}
