import CascadeSupport

/// `lumi`: the luminosity scale, Gaussian-constrained with auxdata and σ from the
/// measurement's parameter settings (pyhf requires inits, bounds, auxdata and sigmas there).
/// pyhf requires the name `lumi`.
struct Lumi: ModifierDefinition {
  static let type = ModifierType.lumi

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> Lumi {
    try requireNullData(data)
    guard try name.string() == "lumi" else { throw name.error("a lumi modifier must be named \"lumi\"") }
    return Lumi()
  }

  var dataJSON: JSONValue { .null }

  static let requirement = ParameterRequirement(
    constraint: .normal, count: 1, isScalar: true, inits: nil, bounds: nil, fixed: [false],
    auxdata: nil, sigmas: nil, factors: nil, acceptsAuxdata: true, acceptsSigmas: true, acceptsFactors: false)

  static func parameterPlans(_ uses: [ModifierUse<Lumi>]) -> [ParameterPlan] {
    uses.map { ParameterPlan(name: $0.name, requirement: requirement) }
  }

  /// yield × λ
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    term.muls.append(MulEntry(param: set.offset, interp: -1))
  }
}

extension ModifierType {
  /// Luminosity scale.
  public static let lumi = ModifierType(rawValue: "lumi")
}

extension ModifierKind {
  /// Luminosity (data null; constraint from the measurement's parameter settings).
  public static let lumi = ModifierKind(Lumi())
}
