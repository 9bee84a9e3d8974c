/// How histogram templates become a HistFactory workspace (`buildWorkspace`): the binning,
/// the regions fitted, the POI, the normalisation factors, the MC statistical uncertainty and
/// extra modifiers. Plain values: a cascade config's `fit` block is parsed into one by Analysis.
public struct TemplateWorkspaceSpec: Sendable, Equatable {
  /// Bin edges of every region's templates (the workspace keeps only the bin count).
  public var edges: [Double]
  /// Regions fitted, in this order (nil: all given).
  public var regions: [String]?
  /// Sample whose normalisation is the POI (nil: the first signal sample).
  public var poi: String?
  /// Sample → normfactor name; samples not listed get `mu_<sample>`; shared names share a parameter.
  public var normfactors: [String: String]
  /// One staterror per region from the templates' Σw² (default true).
  public var staterror: Bool
  /// Modifiers added to some samples in some regions.
  public var systematics: [TemplateSystematic]

  /// The number of bins (one less than the edges).
  public var binCount: Int { edges.count - 1 }

  /// A spec with the given binning and defaults for everything else.
  public init(
    edges: [Double], regions: [String]? = nil, poi: String? = nil, normfactors: [String: String] = [:], staterror: Bool = true,
    systematics: [TemplateSystematic] = []
  ) {
    self.edges = edges
    self.regions = regions
    self.poi = poi
    self.normfactors = normfactors
    self.staterror = staterror
    self.systematics = systematics
  }
}

/// A modifier added to some samples in some regions of a template workspace.
public struct TemplateSystematic: Sendable, Equatable {
  /// The modifier's name (one parameter set per name).
  public var name: String
  /// The modifier's type and data.
  public var kind: ModifierKind
  /// For `lumi`: the relative uncertainty σ (auxdata 1), written to the measurement.
  public var lumiSigma: Double?
  /// nil: every MC sample.
  public var samples: [String]?
  /// nil: every fitted region.
  public var regions: [String]?

  /// A systematic on `samples` (nil: all MC) in `regions` (nil: all fitted).
  public init(name: String, kind: ModifierKind, lumiSigma: Double? = nil, samples: [String]? = nil, regions: [String]? = nil) {
    self.name = name
    self.kind = kind
    self.lumiSigma = lumiSigma
    self.samples = samples
    self.regions = regions
  }
}
