import Boosting
import Cascade
import CascadeSupport
import EventData
import Foundation

/// What `cascade bdt train` is asked to do.
public struct BDTTrainRequest: Sendable {
  /// Where the two classes come from.
  public var classes: BDTClasses
  /// Comma-separated feature columns.
  public var features: String
  /// Event-weight column (every weight 1 without one).
  public var weight: String?
  /// Integer column for the fold rule (`event_number mod k`).
  public var eventNumber: String?
  /// Number of fold models k.
  public var folds: Int
  /// Hyperparameters; validated before any file is read.
  public var parameters: BoostParameters
  /// Output model file.
  public var output: String

  /// A request to train `folds` models on `classes`.
  public init(
    classes: BDTClasses, features: String, weight: String? = nil, eventNumber: String? = nil, folds: Int = 1,
    parameters: BoostParameters = BoostParameters(), output: String
  ) {
    self.classes = classes
    self.features = features
    self.weight = weight
    self.eventNumber = eventNumber
    self.folds = folds
    self.parameters = parameters
    self.output = output
  }
}

/// What `cascade bdt predict` is asked to do.
public struct BDTPredictRequest: Sendable {
  /// Model file (cascade-bdt or XGBoost JSON).
  public var model: String
  /// Event file to score.
  public var input: String
  /// Output file; its extension picks the format.
  public var output: String
  /// Write the raw margin instead of the score.
  public var outputMargin = false
  /// Comma-separated input columns copied before `score`.
  public var keepColumns: String?
  /// Integer column for the fold rule of k-fold models.
  public var eventNumber: String?
  /// Worker threads (0 = all cores).
  public var threads = 0

  /// A request to score `input` with `model` into `output`.
  public init(
    model: String, input: String, output: String, outputMargin: Bool = false, keepColumns: String? = nil,
    eventNumber: String? = nil, threads: Int = 0
  ) {
    self.model = model
    self.input = input
    self.output = output
    self.outputMargin = outputMargin
    self.keepColumns = keepColumns
    self.eventNumber = eventNumber
    self.threads = threads
  }
}

/// `cascade bdt …`: single BDT models outside a cascade.
public enum BDTWorkflow {
  /// Rows read, scored and written per block by `predict` (memory bound).
  public static let predictBlockRows = 1 << 20

  /// Trains the model, writes it to `request.output` and prints a summary.
  @discardableResult
  public static func train(_ request: BDTTrainRequest, console: Console) throws -> FoldedModel {
    let p = request.parameters
    try p.validate()
    let features = ColumnList.parse(request.features)
    guard !features.isEmpty else { throw UserError("--features: no feature names given") }
    let k = request.folds
    let loaded = try BDTTrainingEvents.load(
      request.classes, features: features, weight: request.weight, eventNumber: request.eventNumber, k: k, threads: p.threads)
    let start = Date()
    let bar = ProgressBar(console: console)
    let model = try FoldedModel.train(loaded.data, folds: loaded.folds, k: k, parameters: p) { fold, done, total in
      bar.update(label: k > 1 ? "fold \(fold + 1)/\(k)" : "training", done: done + fold * total, total: total * k)
    }
    bar.finish()
    let extra = JSONObject([
      ("inputs", JSONValue(request.classes.files)),
      ("fold_rule", .string(request.eventNumber.map { "\($0) mod k" } ?? "hash(file name, row) mod k")),
    ])
    try model.write(to: request.output, extra: extra)
    let nSig = loaded.data.isSignal.filter { $0 }.count
    let trees = model.forests.map { String($0.treeCount) }.joined(separator: "/")
    console.line("trained \(p.boost.rawValue) BDT: \(k) fold model\(k == 1 ? "" : "s"), \(trees) trees, \(features.count) features")
    console.line("events: \(nSig) signal, \(loaded.data.rowCount - nSig) background; \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    console.line("wrote \(request.output)")
    return model
  }

  /// Scores `request.input` block by block (each event by the fold model that did not train on
  /// it) and writes the kept columns and `score`; returns the seconds spent scoring.
  @discardableResult
  public static func predict(_ request: BDTPredictRequest, console: Console) throws -> Double {
    let m = try ModelFile.load(request.model)
    let input = request.input
    let reader = try openEventFile(input, options: EventFileOptions(threads: request.threads))
    let keep = request.keepColumns.map(ColumnList.parse) ?? []
    if keep.contains("score") { throw UserError("--keep-columns: \"score\" is the output column") }
    let foldRule = FoldRule(k: m.k, eventNumber: m.k > 1 ? request.eventNumber : nil, hashedName: .baseName)
    var needed = m.featureNames + keep
    if let e = foldRule.eventNumber { needed.append(e) }
    try reader.requireColumns(needed)
    var unique: [String] = []
    for c in needed where !unique.contains(c) { unique.append(c) }
    var schema = keep.map { name in (name: name, dtype: reader.schema.first { $0.name == name }!.dtype) }
    schema.append((name: "score", dtype: .float64))
    let writer = try createEventFileWriter(request.output, schema: schema)
    var scoringSeconds = 0.0
    for range in reader.blockRanges(of: predictBlockRows) {
      let table = try reader.read(columns: unique, rows: range)
      let columns = try m.featureNames.map {
        try EventLoader.featureValues(table, column: $0, file: input, firstRow: range.lowerBound)
      }
      let folds = try foldRule.folds(table: table, file: input, firstRow: range.lowerBound)
      let t0 = Date()
      let scores = m.scores(columns: columns, folds: folds, outputMargin: request.outputMargin, threads: request.threads)
      scoringSeconds += Date().timeIntervalSince(t0)
      var outColumns = try keep.map { try table.column(named: $0) }
      outColumns.append(Column("score", .float64(scores)))
      try writer.append(try EventTable(columns: outColumns))
    }
    try writer.finish()
    console.line("scored \(reader.rowCount) events with \(request.model) → \(request.output)")
    console.line(String(
      format: "scoring: %.4f s (%.3g events/s, excluding reading and writing)", scoringSeconds,
      Double(reader.rowCount) / Swift.max(scoringSeconds, 1e-9)))
    return scoringSeconds
  }

  /// Converts an XGBoost JSON model to a cascade model file.
  public static func importXGBoost(_ input: String, to output: String, console: Console) throws {
    let model = try XGBoostJSON.importModel(path: input)
    try model.write(to: output, extra: JSONObject([("imported_from", .string(input))]))
    console.line("imported \(model.forests[0].treeCount) trees over \(model.featureNames.count) features → \(output)")
  }

  /// Writes fold model `fold` (required when the model has k > 1) as XGBoost JSON.
  public static func exportXGBoost(_ input: String, to output: String, fold: Int?, console: Console) throws {
    let (model, _) = try FoldedModel.load(path: input)
    let f: Int
    if let fold {
      guard fold >= 0 && fold < model.k else { throw UserError("--fold \(fold): the model has folds 0…\(model.k - 1)") }
      f = fold
    } else {
      guard model.k == 1 else {
        throw UserError("\(input): the model has \(model.k) fold models; choose one with --fold 0…\(model.k - 1)")
      }
      f = 0
    }
    let json = try XGBoostJSON.export(model.forests[f])
    try AtomicFile.write(XGBoostJSON.text(json), to: output)
    console.line("exported \(model.forests[f].treeCount) trees (fold \(f)) → \(output)")
  }

  /// Prints a model's boost type, folds, trees, depth, features, parameters and importance ranking.
  public static func info(_ path: String, console: Console) throws {
    let m = try ModelFile.load(path)
    console.write(infoText(m, path: path))
  }

  /// The text `cascade bdt info` prints for `model` read from `path`.
  public static func infoText(_ m: FoldedModel, path: String) -> String {
    var lines = [
      "model:     \(path)",
      "boost:     \(m.boost.rawValue)",
      "folds:     \(m.k)",
      "trees:     \(m.forests.map { String($0.treeCount) }.joined(separator: ", "))",
      "max depth: \(m.forests.map(\.maxDepth).max() ?? 0)",
      "features:  \(m.featureNames.count) (\(m.featureNames.joined(separator: ", ")))",
    ]
    let p = m.parameters
    lines.append(
      "params:    learning_rate \(p.learningRate), depth \(p.depth), bins \(p.bins), lambda \(p.lambda)"
        + (p.maxLeaves.map { ", max_leaves \($0)" } ?? ""))
    lines.append("rank  feature               importance  gain          splits")
    for (r, f) in FeatureImportance.ranking(m).enumerated() {
      let padded = f.feature.count >= 20 ? f.feature : f.feature + String(repeating: " ", count: 20 - f.feature.count)
      lines.append(String(format: "%4d  ", r + 1) + padded + String(format: "  %10.4f  %12.4g  %6d", f.share, f.gain, f.splits))
    }
    return lines.map { $0 + "\n" }.joined()
  }
}
