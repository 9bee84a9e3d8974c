import CascadeSupport
import EventData

/// Where apply puts the varied events, next to `scores/` and `regions/`.
///
/// - `systematics/events/<sample>/<stem>.h5`: row-aligned with `scores/<sample>/<stem>.h5`;
///   for each weight variation its weight (`weight__<syst>__<side>`), for each shift variation
///   the region of every event (`region__<syst>__<side>`, index into the regions attribute) and,
///   when the fit observable is shifted, its shifted value (`observable__<syst>__<side>`).
/// - `systematics/files/<syst>__<side>/{scores,regions}/…`: the alternative ntuples of a `files`
///   variation, routed like nominal inputs (same layout and columns as the run's own).
extension OutputLayout {
  public static let systematicsDirectory = "systematics"
  /// The directories an unsharded apply (or a merge) replaces whole: `systematics/` only when
  /// the config has variations with events, so a nominal-only run writes what it always did.
  public static func applyDirectories(_ config: CascadeConfig) -> [String] {
    ["scores", "regions"] + (config.systematics.contains(where: \.hasTemplates) ? [systematicsDirectory] : [])
  }
  /// The variation file row-aligned with `sample`'s score file of `file`.
  public static func variationEventsFile(sample: String, file: String) -> String {
    "systematics/events/\(sample)/\(fileStem(file)).h5"
  }
  /// The directory a `files` variation is applied into: it holds `scores/` and `regions/`
  /// exactly like a run directory, for the varied sample only.
  public static func variationFilesRoot(_ v: Variation) -> String { "systematics/files/\(v.key)" }
  /// The column of a weight variation's weights.
  public static func variationWeightColumn(_ v: Variation) -> String { "weight__\(v.key)" }
  /// The column of a shift variation's regions.
  public static func variationRegionColumn(_ v: Variation) -> String { "region__\(v.key)" }
  /// The column of a shift variation's fit observable.
  public static func variationObservableColumn(_ v: Variation) -> String { "observable__\(v.key)" }
}

/// What the variation pass computes for one sample: its weight variations (one extra column
/// each, routing unchanged) and its shift variations (every stage re-scored where its inputs
/// differ, every event re-routed).
public struct VariationPlan: Sendable {
  /// A weight variation: the input column holding its weights.
  public struct WeightVariation: Sendable {
    public var variation: Variation
    public var column: String
  }
  /// A shift variation: the columns it replaces.
  public struct ShiftVariation: Sendable {
    public var variation: Variation
    /// Nominal column → the column that replaces it.
    public var replacements: [String: String]
    /// The replacement of the fit observable, if the shift moves it.
    public var observable: String?
  }

  public var weights: [WeightVariation] = []
  public var shifts: [ShiftVariation] = []

  public var isEmpty: Bool { weights.isEmpty && shifts.isEmpty }

  /// The weight and shift variations of `config` that apply to `sample`.
  public init(config: CascadeConfig, sample: SampleConfig) {
    let observable = config.fitObservable
    for s in config.systematics where s.appliesTo(sample: sample) {
      switch s.kind {
      case .weight(let up, let down):
        weights.append(.init(variation: Variation(systematic: s.name, side: .up), column: up))
        if let down { weights.append(.init(variation: Variation(systematic: s.name, side: .down), column: down)) }
      case .shift(let cols):
        for side in VariationSide.allCases {
          var map: [String: String] = [:]
          for c in cols { map[c.nominal] = side == .up ? c.up : c.down }
          shifts.append(.init(variation: Variation(systematic: s.name, side: side), replacements: map, observable: observable.flatMap { map[$0] }))
        }
      case .files, .normalization, .lumi:
        break
      }
    }
  }

  /// Input columns the variations read besides the nominal ones.
  public var inputColumns: [String] {
    var out: [String] = []
    for w in weights where !out.contains(w.column) { out.append(w.column) }
    for s in shifts { for c in s.replacements.values.sorted() where !out.contains(c) { out.append(c) } }
    return out
  }

  /// Columns of `systematics/events/<sample>/<stem>.h5`, in file order.
  public var schema: [(name: String, dtype: DType)] {
    weights.map { (OutputLayout.variationWeightColumn($0.variation), DType.float64) }
      + shifts.flatMap { s -> [(name: String, dtype: DType)] in
        [(OutputLayout.variationRegionColumn(s.variation), .int8)]
          + (s.observable == nil ? [] : [(OutputLayout.variationObservableColumn(s.variation), .float64)])
      }
  }

  /// The variation columns of one block, given its table (nominal and variation columns), its
  /// folds and nominal routing.
  public func evaluate(
    table: EventTable, folds: [Int], nominal: StageRouter.Routed, router: StageRouter,
    nominalFeature: (String) throws -> [Float], file: String, firstRow: Int
  ) throws -> EventTable {
    var cols: [Column] = []
    for w in weights {
      try requireFiniteWeights(table, column: w.column, file: file, firstRow: firstRow)
      cols.append(Column(OutputLayout.variationWeightColumn(w.variation), .float64(try table.column(named: w.column).float64Values())))
    }
    for s in shifts {
      let region = try router.routeVariation(
        nominal: nominal, count: table.rowCount, folds: folds, shifted: Set(s.replacements.keys)
      ) { name in
        if let alt = s.replacements[name] { return try nominalFeature(alt) }
        return try nominalFeature(name)
      }
      cols.append(Column(OutputLayout.variationRegionColumn(s.variation), .int8(region)))
      if let o = s.observable {
        cols.append(Column(OutputLayout.variationObservableColumn(s.variation), .float64(try table.column(named: o).float64Values())))
      }
    }
    return try EventTable(columns: cols)
  }
}
