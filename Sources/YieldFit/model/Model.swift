import CascadeSupport

/// A multiplicative factor on one (sample, bin): the parameter itself (`interp` = −1) or a
/// normsys interpolation (`interp` indexes `Model.factorInterpolations`).
struct MulEntry: Sendable {
  var param: Int
  var interp: Int32
}

/// An additive histosys shift on one (sample, bin).
struct AddEntry: Sendable {
  var param: Int
  var shift: ShiftInterpolation
}

/// One sample's contribution to one bin: (nominal + Σ shifts) × Π factors.
struct Term: Sendable {
  var bin: Int
  var sample: Int
  var nominal: Double
  var addStart: Int
  var addEnd: Int
  var mulStart: Int
  var mulEnd: Int
}

/// Observed (or Asimov) data: main-bin counts in model bin order (channels sorted by name, as
/// pyhf) and auxiliary data per parameter component (unused for unconstrained components).
public struct FitData: Sendable, Equatable {
  public var main: [Double]
  public var aux: [Double]
  /// Data of `main` counts (one per model bin) and `aux` values (one per parameter component);
  /// ``Model/observedData(_:)`` and ``Model/expectedData(_:)`` build them in that order.
  public init(main: [Double], aux: [Double]) {
    self.main = main
    self.aux = aux
  }
}

/// The HistFactory probability model compiled from a workspace: parameters in pyhf's order,
/// flat (sample, bin) terms sorted by bin, and the constraint of every parameter component.
///
/// ```swift
/// let ws = try WorkspaceReader.read(path: "ws.json")
/// let model = try Model(workspace: ws)
/// let fit = try Fitter(model: model).fit(model.observedData(ws))
/// ```
public struct Model: Sendable {
  public let parameterSets: [ParameterSet]
  /// pyhf's `par_names`: `name` for scalars, `name[i]` for per-bin parameters.
  public let parameterNames: [String]
  public let inits: [Double]
  public let lowerBounds: [Double]
  public let upperBounds: [Double]
  public let fixed: [Bool]
  public let poiIndex: Int?
  public let poiName: String?
  /// Channels sorted by name, with their bin ranges in the main data.
  public let channelNames: [String]
  public let channelBins: [Range<Int>]
  /// All sample names, sorted (pyhf's `config.samples`).
  public let sampleNames: [String]
  public let measurementName: String
  public let interpolation: InterpolationSettings
  public var binCount: Int { channelBins.last?.upperBound ?? 0 }
  public var parameterCount: Int { parameterNames.count }

  let terms: [Term]
  let adds: [AddEntry]
  let muls: [MulEntry]
  let factorInterpolations: [FactorInterpolation]
  /// The constraint term of every parameter component.
  let constraints: ConstraintTerms
  /// Components whose interpolation has a kink at 0 with different slopes on either side
  /// (normsys code1, histosys code0): the likelihood can have a local minimum on each side.
  let kinked: [Int]

  init(
    parameterSets: [ParameterSet], poiIndex: Int?, poiName: String?, channelNames: [String], channelBins: [Range<Int>],
    sampleNames: [String], measurementName: String, interpolation: InterpolationSettings, terms: [Term], adds: [AddEntry],
    muls: [MulEntry], factorInterpolations: [FactorInterpolation]
  ) {
    self.parameterSets = parameterSets
    parameterNames = parameterSets.flatMap(\.componentNames)
    inits = parameterSets.flatMap(\.inits)
    lowerBounds = parameterSets.flatMap { $0.bounds.map { $0[0] } }
    upperBounds = parameterSets.flatMap { $0.bounds.map { $0[1] } }
    fixed = parameterSets.flatMap(\.fixed)
    self.poiIndex = poiIndex
    self.poiName = poiName
    self.channelNames = channelNames
    self.channelBins = channelBins
    self.sampleNames = sampleNames
    self.measurementName = measurementName
    self.interpolation = interpolation
    self.terms = terms
    self.adds = adds
    self.muls = muls
    self.factorInterpolations = factorInterpolations
    constraints = ConstraintTerms(parameterSets)
    var kinks = Set<Int>()
    for m in muls where m.interp >= 0 {
      let f = factorInterpolations[Int(m.interp)]
      if f.code == .code1 && f.lnUp != -f.lnDn { kinks.insert(m.param) }
    }
    for a in adds where a.shift.code == .code0 && a.shift.up != a.shift.dn { kinks.insert(a.param) }
    kinked = kinks.sorted()
  }

  /// Index of the parameter component called `name` (pyhf naming).
  public func parameterIndex(_ name: String) -> Int? { parameterNames.firstIndex(of: name) }

  /// Observations of `workspace` in model order with the nominal auxiliary data.
  public func observedData(_ workspace: Workspace) throws -> FitData {
    var main: [Double] = []
    for c in channelNames {
      guard let d = workspace.observation(c) else { throw UserError("workspace: missing observation for channel \"\(c)\"") }
      main += d
    }
    return FitData(main: main, aux: constraints.nominalAux)
  }

  /// Expected main-bin yields and expected auxiliary data at `pars` (pyhf's `expected_data`).
  public func expectedData(_ pars: [Double]) -> FitData {
    FitData(main: expectedMain(pars), aux: constraints.expectedAux(pars))
  }

  /// Expected yield per main bin at `pars`.
  public func expectedMain(_ pars: [Double]) -> [Double] {
    var nu = [Double](repeating: 0, count: binCount)
    for t in terms { nu[t.bin] += termValue(t, pars) }
    return nu
  }

  /// Expected yield per sample (index into `sampleNames`) and main bin at `pars`.
  public func expectedBySample(_ pars: [Double]) -> [[Double]] {
    var out = [[Double]](repeating: [Double](repeating: 0, count: binCount), count: sampleNames.count)
    for t in terms { out[t.sample][t.bin] += termValue(t, pars) }
    return out
  }

  @inline(__always) func termValue(_ t: Term, _ pars: [Double]) -> Double {
    var a = t.nominal
    for k in t.addStart..<t.addEnd { a += adds[k].shift.eval(pars[adds[k].param]).value }
    var p = 1.0
    for k in t.mulStart..<t.mulEnd {
      let m = muls[k]
      p *= m.interp < 0 ? pars[m.param] : factorInterpolations[Int(m.interp)].eval(pars[m.param]).value
    }
    return a * p
  }
}
