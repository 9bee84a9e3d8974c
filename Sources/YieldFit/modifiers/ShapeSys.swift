import CascadeSupport

/// `shapesys`: uncorrelated per-bin uncertainty σ_b on one sample, factor γ_b with a Poisson
/// constraint Pois(τ_b | γ_b τ_b), τ_b = (ν_b / σ_b)². Bins with ν_b ≤ 0 or σ_b ≤ 0 get a fixed
/// γ_b = 1 (τ = 1), as in pyhf. Init 1, bounds [1e-10, 10]. A name belongs to one sample.
struct ShapeSys: ModifierDefinition {
  static let type = ModifierType.shapesys
  static let isShared = false
  /// Absolute uncertainty per bin.
  var sigmas: [Double]

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> ShapeSys {
    ShapeSys(sigmas: try WorkspaceReader.uncertainties(data, bins: bins))
  }

  var dataJSON: JSONValue { JSONValue(sigmas) }

  static func parameterPlans(_ uses: [ModifierUse<ShapeSys>]) -> [ParameterPlan] {
    uses.map { ParameterPlan(name: $0.name, requirement: requirement(nominal: $0.site.nominal, sigmas: $0.data.sigmas)) }
  }

  static func requirement(nominal: [Double], sigmas: [Double]) -> ParameterRequirement {
    let valid = zip(nominal, sigmas).map { $0.0 > 0 && $0.1 > 0 }
    let factors = (0..<nominal.count).map { valid[$0] ? nominal[$0] * nominal[$0] / (sigmas[$0] * sigmas[$0]) : 1.0 }
    let n = nominal.count
    return ParameterRequirement(
      constraint: .poisson, count: n, isScalar: false, inits: Array(repeating: 1, count: n),
      bounds: Array(repeating: [1e-10, 10], count: n), fixed: valid.map { !$0 }, auxdata: factors, sigmas: nil,
      factors: factors, acceptsAuxdata: true, acceptsSigmas: false, acceptsFactors: true)
  }

  /// yield_b × γ_b
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    term.muls.append(MulEntry(param: set.offset + bin, interp: -1))
  }
}

extension ModifierType {
  /// Uncorrelated per-bin uncertainty with a Poisson constraint.
  public static let shapesys = ModifierType(rawValue: "shapesys")
}

extension ModifierKind {
  /// Uncorrelated per-bin uncertainty with a Poisson constraint (absolute σ per bin).
  public static func shapesys(_ sigmas: [Double]) -> ModifierKind { ModifierKind(ShapeSys(sigmas: sigmas)) }
}
