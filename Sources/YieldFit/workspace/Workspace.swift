import CascadeSupport

/// A HistFactory workspace in pyhf's JSON layout (schema 1.0.0): channels of samples with
/// modifiers, observed data per channel, and measurements (POI + parameter settings).
///
/// Read with `WorkspaceReader.read(path:)`, written with `json()`; the model for fitting is
/// `Model(workspace:measurement:poi:interpolation:)`.
public struct Workspace: Sendable, Equatable {
  public var channels: [Channel]
  public var observations: [Observation]
  public var measurements: [Measurement]
  public var version: String

  /// A workspace as given; nothing is validated here (``WorkspaceReader`` validates what it
  /// reads, and building a ``Model`` checks the rest).
  public init(channels: [Channel], observations: [Observation], measurements: [Measurement], version: String = "1.0.0") {
    self.channels = channels
    self.observations = observations
    self.measurements = measurements
    self.version = version
  }

  /// The observed counts of channel `name`, if any.
  public func observation(_ name: String) -> [Double]? {
    observations.first { $0.name == name }?.data
  }
}

/// One channel (region): its samples share the binning.
public struct Channel: Sendable, Equatable {
  public var name: String
  public var samples: [Sample]
  /// A channel; every sample must have one yield per bin, the same count for all.
  public init(name: String, samples: [Sample]) {
    self.name = name
    self.samples = samples
  }
  /// The channel's bin count (pyhf takes it from the first sample).
  public var binCount: Int { samples.first?.data.count ?? 0 }
}

/// A sample's nominal yield per bin and the modifiers acting on it.
public struct Sample: Sendable, Equatable {
  public var name: String
  public var data: [Double]
  public var modifiers: [Modifier]
  /// A sample with nominal yields `data` (expected events per bin) and its modifiers.
  public init(name: String, data: [Double], modifiers: [Modifier]) {
    self.name = name
    self.data = data
    self.modifiers = modifiers
  }
}

/// A modifier: named parameter(s) changing a sample's yield; `name` is shared across
/// samples and channels (one parameter set per name).
public struct Modifier: Sendable, Equatable {
  public var name: String
  public var kind: ModifierKind
  /// A modifier of parameter set `name`, e.g. `Modifier(name: "mu", kind: .normfactor)`.
  public init(name: String, kind: ModifierKind) {
    self.name = name
    self.kind = kind
  }
  public var type: ModifierType { kind.type }
}

/// A HistFactory modifier type, named as in pyhf (`"normsys"`, …). The known types are the
/// registered definitions (`modifierRegistry`); `allCases` is pyhf's order (`histfactory_set`),
/// which fixes the order of the model's parameters. Each type's constant (`.normsys`, …) is
/// declared in its file under `modifiers/`.
public struct ModifierType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
  public let rawValue: String
  /// The type spelled `rawValue` in pyhf JSON; unregistered names are rejected when a
  /// workspace is read, not here.
  public init(rawValue: String) { self.rawValue = rawValue }
  /// Every registered type, in pyhf's order.
  public static var allCases: [ModifierType] { modifierRegistry.map { $0.type } }
  /// Alphabetical by name (for sorted output; the parameter order is ``allCases``).
  public static func < (a: ModifierType, b: ModifierType) -> Bool { a.rawValue < b.rawValue }
  public var description: String { rawValue }
}

/// A modifier's type together with its data, e.g. `.normsys(lo: 0.9, hi: 1.1)`,
/// `.staterror(sigmas)`, `.normfactor` (the constructors live with each type in `modifiers/`).
public struct ModifierKind: Sendable, Equatable {
  /// The type's definition holding the data.
  let definition: any ModifierDefinition

  init(_ definition: some ModifierDefinition) { self.definition = definition }

  /// The modifier's type.
  public var type: ModifierType { Swift.type(of: definition).type }
  /// False when the name may be carried by one sample only (shapesys).
  public var isShared: Bool { Swift.type(of: definition).isShared }
  /// The modifier's `data` as pyhf JSON.
  public var dataJSON: JSONValue { definition.dataJSON }

  public static func == (a: ModifierKind, b: ModifierKind) -> Bool { a.definition.isEqual(to: b.definition) }
}

/// The observed counts of one channel (`observations[i]` in pyhf JSON), one per bin.
public struct Observation: Sendable, Equatable {
  public var name: String
  public var data: [Double]
  /// The counts `data` of channel `name`.
  public init(name: String, data: [Double]) {
    self.name = name
    self.data = data
  }
}

/// A measurement (`measurements[i]`): the parameter of interest and per-parameter settings.
public struct Measurement: Sendable, Equatable {
  public var name: String
  public var poi: String
  public var parameters: [ParameterConfig]
  /// A measurement whose parameter of interest is the modifier named `poi` (usually a
  /// `normfactor`, e.g. `"mu"`); `parameters` override the modifiers' defaults.
  public init(name: String, poi: String, parameters: [ParameterConfig] = []) {
    self.name = name
    self.poi = poi
    self.parameters = parameters
  }
}

/// User settings for one parameter set (`measurements[i].config.parameters[j]`); absent
/// fields keep the modifier's defaults.
public struct ParameterConfig: Sendable, Equatable {
  public var name: String
  public var inits: [Double]?
  public var bounds: [[Double]]?
  public var auxdata: [Double]?
  public var factors: [Double]?
  public var sigmas: [Double]?
  public var fixed: Bool?
  /// Settings of parameter set `name`; every field left nil keeps the modifier's default.
  public init(
    name: String, inits: [Double]? = nil, bounds: [[Double]]? = nil, auxdata: [Double]? = nil,
    factors: [Double]? = nil, sigmas: [Double]? = nil, fixed: Bool? = nil
  ) {
    self.name = name
    self.inits = inits
    self.bounds = bounds
    self.auxdata = auxdata
    self.factors = factors
    self.sigmas = sigmas
    self.fixed = fixed
  }
}
