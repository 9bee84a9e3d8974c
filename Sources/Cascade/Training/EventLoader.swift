import Boosting
import CascadeSupport
import EventData

/// Events of several samples held in memory, column by column: what training and evaluation
/// need (features, true weights, folds), never whole files.
public struct LoadedEvents: Sendable {
  /// Index into `config.samples`.
  public var sampleIndex: [Int32] = []
  /// True signed weights: weight column × sample scale (1 × scale without a weight column).
  public var weights: [Double] = []
  /// Fold of each event (`FoldRule`).
  public var folds: [Int] = []
  /// Float32 values of each loaded column, by name.
  public var columns: [String: [Float]] = [:]
  /// Float64 values of the columns loaded at full precision (the fit observable of a
  /// threshold search, binned exactly as the fit bins the region files), by name.
  public var doubles: [String: [Double]] = [:]
  /// Number of events.
  public var count: Int { sampleIndex.count }

  /// The columns `names`, in that order.
  public func features(_ names: [String]) -> [[Float]] { names.map { columns[$0]! } }

  /// Appends the events of `other` (same columns) after these.
  public mutating func append(_ other: LoadedEvents) {
    sampleIndex += other.sampleIndex
    weights += other.weights
    folds += other.folds
    for (k, v) in other.columns { columns[k, default: []] += v }
    for (k, v) in other.doubles { doubles[k, default: []] += v }
  }

  /// The subset at `indices`, in that order; with `columns`, only those feature columns (and no
  /// Float64 ones).
  public func subset(_ indices: [Int], columns only: [String]? = nil) -> LoadedEvents {
    var out = LoadedEvents()
    out.sampleIndex = indices.map { sampleIndex[$0] }
    out.weights = indices.map { weights[$0] }
    out.folds = indices.map { folds[$0] }
    for (k, v) in columns where only?.contains(k) ?? true { out.columns[k] = indices.map { v[$0] } }
    if only == nil { for (k, v) in doubles { out.doubles[k] = indices.map { v[$0] } } }
    return out
  }
}

/// What one event file contributes to training: features as Float32 (NaN = missing), true
/// weights, folds, and the table itself for any other column the caller needs (labels).
public struct FileEvents: Sendable {
  /// The requested features, in request order.
  public var features: [[Float]]
  /// Weight column × scale, or `scale` for every row without a weight column; always finite.
  public var weights: [Double]
  /// Fold of each row (`FoldRule`).
  public var folds: [Int]
  /// Every column read (features, weight, event number, extra columns).
  public var table: EventTable
  /// Number of rows.
  public var count: Int { table.rowCount }
}

/// THE reader of event files for training and scoring: `cascade train`/`evaluate` (through
/// `load`) and `cascade bdt train` (through `loadFile`) read features, weights and folds here,
/// so the missing-value, infinity and weight policies are the same everywhere.
public enum EventLoader {
  /// Loads the `features` (plus `extraColumns`, e.g. a label) of one whole file; the weight is
  /// `weight × scale` (`scale` without a weight column) and must be finite, the fold follows `foldRule`.
  public static func loadFile(
    _ file: String, options: EventFileOptions, features: [String], weight: String?, scale: Double = 1,
    foldRule: FoldRule, extraColumns: [String] = []
  ) throws -> FileEvents {
    let reader = try openEventFile(file, options: options)
    // Sorted: the first missing column reported does not depend on the caller's order.
    let needed = Array(Set(features + [weight, foldRule.eventNumber].compactMap { $0 } + extraColumns)).sorted()
    try reader.requireColumns(needed)
    let table = try reader.readAll(columns: needed)
    let w = try trueWeights(table, weight: weight, scale: scale, file: file, firstRow: 0)
    let folds = try foldRule.folds(table: table, file: file, firstRow: 0)
    let columns = try features.map { try featureValues(table, column: $0, file: file, firstRow: 0) }
    return FileEvents(features: columns, weights: w, folds: folds, table: table)
  }

  /// The true weights of the rows of `table` (rows `firstRow…` of `file`): the `weight` column ×
  /// `scale`, or `scale` without a weight column; a non-finite one is an error naming file, row and column.
  public static func trueWeights(_ table: EventTable, weight: String?, scale: Double, file: String, firstRow: Int) throws -> [Double] {
    let n = table.rowCount
    var w = try weight.map { try table.column(named: $0).float64Values() } ?? [Double](repeating: 1, count: n)
    if scale != 1 { for i in 0..<n { w[i] *= scale } }
    if let bad = w.firstIndex(where: { !$0.isFinite }) {
      throw UserError("\(file): row \(firstRow + bad), column \"\(weight ?? "weight")\": weight is not finite (\(w[bad]))")
    }
    return w
  }

  /// Loads `columns` (features) of every file of the samples at `sampleIndices` (config order, file order),
  /// and `doubleColumns` as Float64 (any value, NaN and infinities included).
  public static func load(_ config: CascadeConfig, sampleIndices: [Int], columns: [String], doubleColumns: [String] = []) throws -> LoadedEvents {
    var out = LoadedEvents()
    for c in columns { out.columns[c] = [] }
    for c in doubleColumns { out.doubles[c] = [] }
    let foldRule = FoldRule(config)
    for si in sampleIndices {
      let sample = config.samples[si]
      for file in sample.files {
        let options = EventFileOptions(table: sample.table, threads: config.training.threads)
        let events = try loadFile(
          file, options: options, features: columns, weight: sample.weight, scale: sample.scale, foldRule: foldRule,
          extraColumns: doubleColumns)
        for c in doubleColumns { out.doubles[c]! += try events.table.column(named: c).float64Values() }
        out.sampleIndex += [Int32](repeating: Int32(si), count: events.count)
        out.weights += events.weights
        out.folds += events.folds
        for (c, values) in zip(columns, events.features) { out.columns[c]! += values }
      }
    }
    return out
  }

  /// The feature `column` of `table` (rows `firstRow…` of `file`) as Float32. NaN is a missing
  /// value; ±inf, or a value beyond Float32's range, is an error naming file, row and column
  /// (XGBoost refuses infinities too, and a split on them means nothing).
  public static func featureValues(_ table: EventTable, column: String, file: String, firstRow: Int) throws -> [Float] {
    let c = try table.column(named: column)
    let values = c.float32Values()
    if let bad = values.firstIndex(where: { $0.isInfinite }) {
      let original = c.doubleValue(at: bad)
      let what = original.isInfinite
        ? "feature is \(original > 0 ? "inf" : "-inf") (only NaN, a missing value, is allowed besides finite numbers)"
        : "feature value \(original) is beyond the Float32 range"
      throw UserError("\(file): row \(firstRow + bad), column \"\(column)\": \(what)")
    }
    return values
  }
}

/// The fold rule of DESIGN.md: `event_number mod k` when the config names an event-number
/// column, else a stable hash of (file name, row index). The same in every shard.
public struct FoldRule: Sendable {
  /// Number of folds.
  public var k: Int
  /// Integer column giving the fold (`value mod k`); without one, the hash rule.
  public var eventNumber: String?
  /// What names a file in the hash: the cascade hashes the file stem, `cascade bdt` (whose
  /// models predate the cascade's rule) the base name with its extension.
  public var hashedName: HashedName = .stem

  /// The part of a file's path that the hash rule combines with the row index.
  public enum HashedName: Sendable { case stem, baseName }

  /// The rule of a cascade config: its folds and event-number column, hashing file stems.
  public init(_ config: CascadeConfig) {
    k = config.training.folds
    eventNumber = config.eventNumber
  }

  /// `k` folds by `eventNumber` when given, else by the hash of `hashedName` and row.
  public init(k: Int, eventNumber: String?, hashedName: HashedName) {
    self.k = k
    self.eventNumber = eventNumber
    self.hashedName = hashedName
  }

  /// Folds of the rows of `table`, which start at row `firstRow` of `file`.
  public func folds(table: EventTable, file: String, firstRow: Int) throws -> [Int] {
    if let e = eventNumber {
      let ids = try table.column(named: e).int64Values(source: "\(file): ")
      return Folds.assign(eventNumbers: ids, k: k)
    }
    let name = hashedName == .stem ? fileStem(file) : file
    return Folds.assign(fileName: name, firstRow: firstRow, count: table.rowCount, k: k)
  }
}
