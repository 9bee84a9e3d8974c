import Boosting
import Cascade
import CascadeSupport
import EventData

/// Where `cascade bdt train` takes its two classes from.
public enum BDTClasses: Sendable, Equatable {
  /// Files holding both classes; an event is signal where `label` is non-zero.
  case labelColumn(String, files: [String])
  /// Separate signal and background files.
  case separateFiles(signal: [String], background: [String])

  /// Every input file, signal files first for `separateFiles`.
  public var files: [String] {
    switch self {
    case .labelColumn(_, let files): files
    case .separateFiles(let signal, let background): signal + background
    }
  }
}

/// Training events of `cascade bdt train`, read file by file through `EventLoader.loadFile`
/// (the cascade's own loader: same NaN, infinity and weight policies).
public enum BDTTrainingEvents {
  /// Loads `features` of every file of `classes`, with weights (1 without a weight column) and
  /// the fold of each event (`eventNumber mod k`, else the hash of file base name and row).
  public static func load(
    _ classes: BDTClasses, features: [String], weight: String?, eventNumber: String?, k: Int, threads: Int
  ) throws -> (data: TrainingData, folds: [Int]) {
    let sources: [(path: String, signal: Bool?)]
    let label: String?
    switch classes {
    case .labelColumn(let l, let files):
      sources = files.map { ($0, nil) }
      label = l
    case .separateFiles(let signal, let background):
      sources = signal.map { ($0, true) } + background.map { ($0, false) }
      label = nil
    }
    // bdt models hash the base name (with extension): their folds predate the cascade's rule.
    let foldRule = FoldRule(k: k, eventNumber: k > 1 ? eventNumber : nil, hashedName: .baseName)
    var columns = [[Float]](repeating: [], count: features.count)
    var isSignal: [Bool] = [], weights: [Double] = [], folds: [Int] = []
    for (path, fixed) in sources {
      let events = try EventLoader.loadFile(
        path, options: EventFileOptions(threads: threads), features: features, weight: weight, foldRule: foldRule,
        extraColumns: fixed == nil ? [label].compactMap { $0 } : [])
      for f in features.indices { columns[f] += events.features[f] }
      weights += events.weights
      folds += events.folds
      if let s = fixed {
        isSignal += Array(repeating: s, count: events.count)
      } else if let l = label {
        let col = try events.table.column(named: l)
        for i in 0..<events.count {
          let v = col.doubleValue(at: i)
          if v.isNaN { throw UserError("\(path): row \(i), column \"\(l)\": label is NaN") }
          isSignal.append(v != 0)
        }
      }
    }
    return (TrainingData(featureNames: features, columns: columns, isSignal: isSignal, weights: weights), folds)
  }
}
