import CascadeSupport

/// One HistFactory modifier type: how its pyhf JSON `data` reads and writes, which parameter
/// sets it needs (pyhf's `required_parset`, collected over every use of the type like pyhf's
/// builders), and how it changes a sample's expected yield in one bin (pyhf's applier, as an
/// additive shift or a multiplicative factor). Its constraint term follows from the
/// `ConstraintType` of its requirement and is evaluated in one place, `ConstraintTerms`.
///
/// A value of the conforming type is one modifier's data (e.g. `NormSys` holds lo and hi).
/// Adding a modifier type means one file with a conforming type plus its entry in
/// `modifierRegistry`; the reader, writer, model builder and likelihood stay as they are.
/// The protocol is only used while reading, writing and compiling a workspace: the compiled
/// `Model` evaluates flat `AddEntry` / `MulEntry` arrays, so the fit's inner loops never
/// dispatch through it.
protocol ModifierDefinition: Sendable, Equatable {
  /// pyhf's type name (`"normsys"`, …).
  static var type: ModifierType { get }
  /// False when a name may be carried by one sample only (pyhf's `is_shared`, false for shapesys).
  static var isShared: Bool { get }
  /// Reads the modifier's `data` (`name` for checks on the modifier's name; `bins`: the sample's bin count).
  static func read(name: JSONCursor, data: JSONCursor, bins: Int) throws -> Self
  /// The modifier's `data` as pyhf JSON.
  var dataJSON: JSONValue { get }
  /// The parameter sets every use of this type needs, in the model's parameter order (uses come
  /// in model order: sorted channels, sorted samples, modifiers sorted by name). A name may
  /// appear more than once; the builder keeps the first and requires the others to agree.
  static func parameterPlans(_ uses: [ModifierUse<Self>]) throws -> [ParameterPlan]
  /// Appends this modifier's effect on bin `bin` (local to the sample) of `site` to `term`;
  /// `set` is the modifier's parameter set in the model, `plan` the plan it was made from.
  func apply(bin: Int, site: ModifierSite, set: ParameterSet, plan: ParameterPlan, to term: inout TermOperations)
}

extension ModifierDefinition {
  static var isShared: Bool { true }

  /// Equality across modifier types (different types are never equal).
  func isEqual(to other: any ModifierDefinition) -> Bool { (other as? Self) == self }

  /// Every use of this type among `placements`, in model order.
  static func uses(in placements: [ModifierPlacement]) -> [ModifierUse<Self>] {
    placements.flatMap { p in
      p.modifiers.compactMap { m in (m.kind.definition as? Self).map { ModifierUse(name: m.name, site: p.site, data: $0) } }
    }
  }

  /// `parameterPlans` over the uses of this type among `placements`.
  static func plans(in placements: [ModifierPlacement]) throws -> [ParameterPlan] {
    try parameterPlans(uses(in: placements))
  }
}

/// Where a modifier acts: one sample of one channel.
struct ModifierSite {
  var channel: String
  var sample: String
  /// Index of the channel's first bin in the model's main bins.
  var channelOffset: Int
  /// The sample's nominal yield per bin.
  var nominal: [Double]
}

/// A sample in a channel with its modifiers (deduplicated and sorted, as the model uses them).
struct ModifierPlacement {
  var channelIndex: Int
  var site: ModifierSite
  var modifiers: [Modifier]
}

/// One use of a modifier of type `Definition`: its name, where it acts and its data.
struct ModifierUse<Definition: ModifierDefinition> {
  var name: String
  var site: ModifierSite
  var data: Definition
}

/// A parameter set a modifier type asks for: its name, the requirement before the
/// measurement's settings, and (for sets shared across channels bin by bin, staterror) the
/// global main bin of each component.
struct ParameterPlan: Equatable {
  var name: String
  var requirement: ParameterRequirement
  var componentBins: [Int] = []
}

/// The operations one (sample, bin) term collects while a model is compiled: additive shifts,
/// multiplicative factors, and the shared table of normsys interpolations they index.
struct TermOperations {
  let interpolation: InterpolationSettings
  var adds: [AddEntry] = []
  var muls: [MulEntry] = []
  /// Distinct normsys interpolations of the whole model, shared by every term (keyed by lo/hi).
  private(set) var factorInterpolations: [FactorInterpolation] = []
  private var factorIndex: [String: Int] = [:]

  init(interpolation: InterpolationSettings) { self.interpolation = interpolation }

  /// Starts the next term (keeps the interpolation table).
  mutating func startTerm() {
    adds.removeAll(keepingCapacity: true)
    muls.removeAll(keepingCapacity: true)
  }

  /// The index of the normsys interpolation for (lo, hi), added on first use.
  mutating func factorInterpolation(lo: Double, hi: Double) -> Int32 {
    let key = "\(lo)/\(hi)"
    if let i = factorIndex[key] { return Int32(i) }
    factorIndex[key] = factorInterpolations.count
    factorInterpolations.append(FactorInterpolation(lo: lo, hi: hi, code: interpolation.normsys))
    return Int32(factorInterpolations.count - 1)
  }
}

/// Reads `data` as JSON null (the modifiers without data: normfactor, shapefactor, lumi).
func requireNullData(_ c: JSONCursor) throws {
  guard c.value == .null else { throw c.error("expected null, found \(c.value.typeName)") }
}
