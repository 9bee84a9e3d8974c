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
  public var folds: [Int] = []
  public var columns: [String: [Float]] = [:]
  public var count: Int { sampleIndex.count }

  public func features(_ names: [String]) -> [[Float]] { names.map { columns[$0]! } }

  /// The subset at `indices`, in that order.
  public func subset(_ indices: [Int]) -> LoadedEvents {
    var out = LoadedEvents()
    out.sampleIndex = indices.map { sampleIndex[$0] }
    out.weights = indices.map { weights[$0] }
    out.folds = indices.map { folds[$0] }
    for (k, v) in columns { out.columns[k] = indices.map { v[$0] } }
    return out
  }
}

public enum EventLoader {
  /// Loads `columns` of every file of the samples at `sampleIndices` (config order, file order).
  public static func load(_ config: CascadeConfig, sampleIndices: [Int], columns: [String]) throws -> LoadedEvents {
    var out = LoadedEvents()
    for c in columns { out.columns[c] = [] }
    for si in sampleIndices {
      let sample = config.samples[si]
      for file in sample.files {
        let reader = try openEventFile(file, options: EventFileOptions(table: sample.table, threads: config.training.threads))
        var needed = columns
        if let w = sample.weight { needed.append(w) }
        if let e = config.eventNumber { needed.append(e) }
        needed = Array(Set(needed)).sorted()
        try reader.requireColumns(needed)
        let table = try reader.readAll(columns: needed)
        let n = table.rowCount
        out.sampleIndex += [Int32](repeating: Int32(si), count: n)
        var w = try sample.weight.map { try table.column(named: $0).float64Values() } ?? [Double](repeating: 1, count: n)
        if sample.scale != 1 { for i in 0..<n { w[i] *= sample.scale } }
        if let bad = w.firstIndex(where: { !$0.isFinite }) {
          throw UserError("\(file): row \(bad), column \"\(sample.weight ?? "weight")\": weight is not finite (\(w[bad]))")
        }
        out.weights += w
        out.folds += try FoldRule(config).folds(table: table, file: file, firstRow: 0)
        for c in columns { out.columns[c]! += try table.column(named: c).float32Values() }
      }
    }
    return out
  }
}

/// The fold rule of DESIGN.md: `event_number mod k` when the config names an event-number
/// column, else a stable hash of (file name, row index). The same in every shard.
public struct FoldRule: Sendable {
  public var k: Int
  public var eventNumber: String?

  public init(_ config: CascadeConfig) {
    k = config.training.folds
    eventNumber = config.eventNumber
  }

  /// Folds of the rows of `table`, which start at row `firstRow` of `file`.
  public func folds(table: EventTable, file: String, firstRow: Int) throws -> [Int] {
    if let e = eventNumber {
      let ids = try table.column(named: e).int64Values(source: "\(file): ")
      return Folds.assign(eventNumbers: ids, k: k)
    }
    return Folds.assign(fileName: fileStem(file), firstRow: firstRow, count: table.rowCount, k: k)
  }
}
