import CascadeSupport

/// `staterror`: Barlow–Beeston-lite MC statistical uncertainty. One factor γ_b per bin, shared
/// by every sample carrying the modifier, Gaussian-constrained around 1 with the combined
/// relative uncertainty σ_b = sqrt(Σ_s δ_sb²) / Σ_s ν_sb over those samples (pyhf's
/// `staterror_builder`). Bins with σ_b = 0 are fixed at 1. Init 1, bounds [1e-10, 10].
struct StatError: ModifierDefinition {
  static let type = ModifierType.staterror
  /// Absolute uncertainty δ per bin.
  var sigmas: [Double]

  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> StatError {
    StatError(sigmas: try WorkspaceReader.uncertainties(data, bins: bins))
  }

  var dataJSON: JSONValue { JSONValue(sigmas) }

  /// One set per name (names sorted), combining every sample that carries it.
  static func parameterPlans(_ uses: [ModifierUse<StatError>]) throws -> [ParameterPlan] {
    try Set(uses.map(\.name)).sorted().map { name in try plan(name: name, uses: uses.filter { $0.name == name }) }
  }

  /// The set of one staterror name from its uses (in model order): the global bins it covers
  /// (ascending) and the combined relative uncertainties.
  static func plan(name: String, uses: [ModifierUse<StatError>]) throws -> ParameterPlan {
    // pyhf requires every sample carrying a staterror to cover the same bins.
    var binsBySample: [String: [Int]] = [:]
    var order: [String] = []
    for u in uses {
      if binsBySample[u.site.sample] == nil { order.append(u.site.sample) }
      binsBySample[u.site.sample, default: []].append(contentsOf: u.site.channelOffset..<(u.site.channelOffset + u.site.nominal.count))
    }
    let bins = binsBySample[order[0]]!.sorted()
    for s in order where binsBySample[s]!.sorted() != bins {
      throw UserError("staterror \"\(name)\": samples \"\(order[0])\" and \"\(s)\" carry it in different channels; pyhf needs the same channels for every sample")
    }
    var nomSum: [Int: Double] = [:]
    var varSum: [Int: Double] = [:]
    for u in uses {
      for b in 0..<u.site.nominal.count { nomSum[u.site.channelOffset + b, default: 0] += u.site.nominal[b] }
    }
    for u in uses {
      for b in 0..<u.site.nominal.count {
        let g = u.site.channelOffset + b
        let total = nomSum[g]!
        let sigma = u.data.sigmas[b]
        if total > 0 { varSum[g, default: 0] += (sigma / total) * (sigma / total) }
      }
    }
    let rel = bins.map { (varSum[$0] ?? 0).squareRoot() }
    let fixed = rel.map { $0 == 0 }
    let sigmas = rel.map { $0 == 0 ? 1.0 : $0 }
    let n = bins.count
    let requirement = ParameterRequirement(
      constraint: .normal, count: n, isScalar: false, inits: Array(repeating: 1, count: n),
      bounds: Array(repeating: [1e-10, 10], count: n), fixed: fixed, auxdata: Array(repeating: 1, count: n),
      sigmas: sigmas, factors: nil, acceptsAuxdata: true, acceptsSigmas: true, acceptsFactors: false)
    return ParameterPlan(name: name, requirement: requirement, componentBins: bins)
  }

  /// yield_b × γ_g for the set's component covering global bin g of this bin.
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations) {
    let component = plan.componentBins.firstIndex(of: site.channelOffset + bin)!
    term.muls.append(MulEntry(param: set.offset + component, interp: -1))
  }
}

extension ModifierType {
  /// MC statistical uncertainty, Barlow–Beeston-lite.
  public static let staterror = ModifierType(rawValue: "staterror")
}

extension ModifierKind {
  /// MC statistical uncertainty (absolute σ per bin), Barlow–Beeston-lite.
  public static func staterror(_ sigmas: [Double]) -> ModifierKind { ModifierKind(StatError(sigmas: sigmas)) }
}
