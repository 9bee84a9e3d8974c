import ArgumentParser
import Boosting
import CascadeSupport
import EventData
import Foundation

/// `cascade bdt …`: train, apply and convert single BDT models outside a cascade.
struct BDTCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bdt",
    abstract: "Train, apply, inspect and convert boosted decision trees (gradient or AdaBoost).",
    discussion: """
      Models are JSON files (format "cascade-bdt", version 1) holding k fold models; XGBoost
      JSON models (gbtree, binary:logistic) convert both ways.
      """,
    subcommands: [BDTTrain.self, BDTPredict.self, BDTImportXGBoost.self, BDTExportXGBoost.self, BDTInfo.self]
  )
}

struct BDTTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a BDT from event files and write a model file.",
    discussion: """
      Classes come either from a label column of the --input files (signal where the value is
      non-zero) or from separate --signal and --background files. Event weights (--weight) are
      used everywhere; training applies the negative-weight policy and class balancing. With
      --folds k > 1, k models are trained, model i on the events whose fold is not i; the fold is
      event_number mod k with --event-number, else a stable hash of (file base name, row).
      A progress bar is drawn on stderr when it is a terminal.
      """
  )

  @Option(name: .long, parsing: .upToNextOption, help: "Event files holding both classes (with --label).")
  var input: [String] = []
  @Option(name: .long, help: "Label column of the --input files: non-zero = signal.")
  var label: String?
  @Option(name: .long, parsing: .upToNextOption, help: "Signal event files.")
  var signal: [String] = []
  @Option(name: .long, parsing: .upToNextOption, help: "Background event files.")
  var background: [String] = []
  @Option(name: .long, help: "Comma-separated feature columns.")
  var features: String
  @Option(name: .long, help: "Event-weight column (default: every weight 1).")
  var weight: String?
  @Option(name: .customLong("event-number"), help: "Integer column for folds (event_number mod k).")
  var eventNumber: String?
  @Option(name: .long, help: "gradient (binary logistic) or adaboost.")
  var boost: String = "gradient"
  @Option(name: .long, help: "Number of trees.")
  var trees: Int = 200
  @Option(name: .long, help: "Maximum tree depth.")
  var depth: Int = 4
  @Option(name: .customLong("max-leaves"), help: "Leaf-wise growth up to this many leaves per tree.")
  var maxLeaves: Int?
  @Option(name: .customLong("learning-rate"), help: "Shrinkage of every tree (gradient).")
  var learningRate: Double = 0.1
  @Option(name: .long, help: "Histogram bins per feature (2…255).")
  var bins: Int = 255
  @Option(name: .long, help: "Number of folds k for cross-training.")
  var folds: Int = 1
  @Option(name: .long, help: "Worker threads (0 = all cores); results do not depend on it.")
  var threads: Int = 0
  @Option(name: .long, help: "Random seed (subsampling, validation split).")
  var seed: UInt64 = 1
  @Option(name: .customLong("validation-fraction"), help: "Fraction of training events held out to monitor the loss.")
  var validationFraction: Double = 0
  @Option(name: .customLong("early-stopping"), help: "Stop after this many trees without validation improvement (0 = off).")
  var earlyStopping: Int = 0
  @Option(name: .customLong("negative-weights"), help: "ignore, abs or keep.")
  var negativeWeights: String = "ignore"
  @Flag(name: .customLong("no-balance"), help: "Do not scale signal and background to equal total weight.")
  var noBalance = false
  @Option(name: .long, help: "Output model file (.json).")
  var out: String

  func validate() throws {
    if label != nil || !input.isEmpty {
      guard label != nil, !input.isEmpty else { throw ValidationError("--input and --label go together") }
      guard signal.isEmpty, background.isEmpty else { throw ValidationError("use either --input/--label or --signal/--background, not both") }
    } else {
      guard !signal.isEmpty, !background.isEmpty else {
        throw ValidationError("give --input F... --label COL, or --signal F... and --background F...")
      }
    }
    guard folds >= 1 else { throw ValidationError("--folds must be at least 1") }
  }

  func parameters() throws -> BoostParameters {
    var p = BoostParameters()
    guard let b = BoostType(rawValue: boost) else { throw UserError("--boost: unknown type \"\(boost)\" (expected gradient or adaboost)") }
    guard let nw = NegativeWeightPolicy(rawValue: negativeWeights) else {
      throw UserError("--negative-weights: unknown policy \"\(negativeWeights)\" (expected ignore, abs or keep)")
    }
    p.boost = b
    p.trees = trees; p.depth = depth; p.maxLeaves = maxLeaves; p.learningRate = learningRate; p.bins = bins
    p.threads = threads; p.seed = seed; p.validationFraction = validationFraction; p.earlyStopping = earlyStopping
    p.negativeWeights = nw; p.balanceClasses = !noBalance
    try p.validate()
    return p
  }

  func run() throws {
    let p = try parameters()
    let featureList = parseColumnList(features)
    guard !featureList.isEmpty else { throw UserError("--features: no feature names given") }
    let sources: [(path: String, signal: Bool?)] = label != nil
      ? input.map { ($0, nil) } : signal.map { ($0, true) } + background.map { ($0, false) }
    let loaded = try BDTEvents.load(
      sources, features: featureList, weight: weight, label: label, eventNumber: eventNumber, k: folds, threads: threads)
    let start = Date()
    let bar = ProgressBar(enabled: isatty(STDERR_FILENO) != 0)
    let model = try FoldedModel.train(loaded.data, folds: loaded.folds, k: folds, parameters: p) { fold, done, total in
      bar.update(label: folds > 1 ? "fold \(fold + 1)/\(folds)" : "training", done: done + fold * total, total: total * folds)
    }
    bar.finish()
    let extra = JSONObject([
      ("inputs", JSONValue(sources.map(\.path))),
      ("fold_rule", .string(eventNumber.map { "\($0) mod k" } ?? "hash(file name, row) mod k")),
    ])
    try model.write(to: out, extra: extra)
    let nSig = loaded.data.isSignal.filter { $0 }.count
    print("trained \(p.boost.rawValue) BDT: \(folds) fold model\(folds == 1 ? "" : "s"), \(model.forests.map { String($0.treeCount) }.joined(separator: "/")) trees, \(featureList.count) features")
    print("events: \(nSig) signal, \(loaded.data.rowCount - nSig) background; \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
    print("wrote \(out)")
  }
}

struct BDTPredict: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Score an event file with a model; writes a column \"score\".",
    discussion: """
      score = probability for gradient models, Σα·h/Σα in [−1, 1] for AdaBoost; the raw margin
      with --output-margin. A k-fold model scores each event with the fold model that did not
      train on it (same fold rule as training: --event-number, else hash of file name and row).
      The output format follows OUT's extension (.csv or .h5). XGBoost JSON models are accepted
      directly.
      """
  )
  @Option(name: .long, help: "Model file (cascade-bdt or XGBoost JSON).")
  var model: String
  @Option(name: .long, help: "Event file to score (CSV or HDF5).")
  var input: String
  @Option(name: .long, help: "Output file (.csv, .tsv, .h5).")
  var out: String
  @Flag(name: .customLong("output-margin"), help: "Write the raw margin instead of the score.")
  var outputMargin = false
  @Option(name: .customLong("keep-columns"), help: "Comma-separated input columns copied to the output before score.")
  var keepColumns: String?
  @Option(name: .customLong("event-number"), help: "Integer column for the fold rule of k-fold models.")
  var eventNumber: String?
  @Option(name: .long, help: "Worker threads (0 = all cores).")
  var threads: Int = 0

  func run() throws {
    let m = try BDTModelFile.load(model)
    let reader = try openEventFile(input, options: EventFileOptions(threads: threads))
    let keep = keepColumns.map(parseColumnList) ?? []
    if keep.contains("score") { throw UserError("--keep-columns: \"score\" is the output column") }
    var needed = m.featureNames + keep
    if m.k > 1, let e = eventNumber { needed.append(e) }
    try reader.requireColumns(needed)
    var unique: [String] = []
    for c in needed where !unique.contains(c) { unique.append(c) }
    var schema = try keep.map { name in (name: name, dtype: reader.schema.first { $0.name == name }!.dtype) }
    schema.append((name: "score", dtype: .float64))
    let writer = try createEventFileWriter(out, schema: schema)
    var scoringSeconds = 0.0
    for range in reader.blockRanges(of: 1 << 20) {
      let table = try reader.read(columns: unique, rows: range)
      let columns = try m.featureNames.map { try table.column(named: $0).float32Values() }
      let folds: [Int]
      if m.k == 1 {
        folds = Array(repeating: 0, count: range.count)
      } else if let e = eventNumber {
        folds = Folds.assign(eventNumbers: try table.column(named: e).int64Values(source: input), k: m.k)
      } else {
        folds = Folds.assign(fileName: input, firstRow: range.lowerBound, count: range.count, k: m.k)
      }
      let t0 = Date()
      let scores = m.scores(columns: columns, folds: folds, outputMargin: outputMargin, threads: threads)
      scoringSeconds += Date().timeIntervalSince(t0)
      var outColumns = try keep.map { try table.column(named: $0) }
      outColumns.append(Column("score", .float64(scores)))
      try writer.append(try EventTable(columns: outColumns))
    }
    try writer.finish()
    print("scored \(reader.rowCount) events with \(model) → \(out)")
    print(String(format: "scoring: %.4f s (%.3g events/s, excluding reading and writing)", scoringSeconds, Double(reader.rowCount) / Swift.max(scoringSeconds, 1e-9)))
  }
}

struct BDTImportXGBoost: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import-xgboost",
    abstract: "Convert an XGBoost JSON model (gbtree, binary:logistic) to a cascade model file.",
    discussion: "Margins of the converted model equal XGBoost's (Float32 thresholds and sums, NaN → default_left)."
  )
  @Argument(help: "XGBoost model saved with Booster.save_model(\"….json\").")
  var input: String
  @Argument(help: "Output cascade model file.")
  var output: String

  func run() throws {
    let model = try XGBoostJSON.importModel(path: input)
    try model.write(to: output, extra: JSONObject([("imported_from", .string(input))]))
    print("imported \(model.forests[0].treeCount) trees over \(model.featureNames.count) features → \(output)")
  }
}

struct BDTExportXGBoost: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export-xgboost",
    abstract: "Write a gradient model as XGBoost JSON (loadable by xgboost.Booster).",
    discussion: "A k-fold model holds k forests: choose one with --fold (required when k > 1)."
  )
  @Argument(help: "cascade model file (gradient boosting).")
  var input: String
  @Argument(help: "Output XGBoost JSON file.")
  var output: String
  @Option(name: .long, help: "Fold model to export (0…k−1).")
  var fold: Int?

  func run() throws {
    let (model, _) = try FoldedModel.load(path: input)
    let f: Int
    if let fold {
      guard fold >= 0 && fold < model.k else { throw UserError("--fold \(fold): the model has folds 0…\(model.k - 1)") }
      f = fold
    } else {
      guard model.k == 1 else { throw UserError("\(input): the model has \(model.k) fold models; choose one with --fold 0…\(model.k - 1)") }
      f = 0
    }
    let json = try XGBoostJSON.export(model.forests[f])
    try AtomicFile.write(XGBoostJSON.text(json), to: output)
    print("exported \(model.forests[f].treeCount) trees (fold \(f)) → \(output)")
  }
}

struct BDTInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Show a model's boost type, folds, trees, depth, features and importance ranking.",
    discussion: "Importance is the total split gain of each feature over all fold models, as a share of the total (TMVA-style ranking), with the number of splits."
  )
  @Argument(help: "Model file (cascade-bdt or XGBoost JSON).")
  var model: String

  func run() throws {
    let m = try BDTModelFile.load(model)
    print("model:     \(model)")
    print("boost:     \(m.boost.rawValue)")
    print("folds:     \(m.k)")
    print("trees:     \(m.forests.map { String($0.treeCount) }.joined(separator: ", "))")
    print("max depth: \(m.forests.map(\.maxDepth).max() ?? 0)")
    print("features:  \(m.featureNames.count) (\(m.featureNames.joined(separator: ", ")))")
    let p = m.parameters
    print("params:    learning_rate \(p.learningRate), depth \(p.depth), bins \(p.bins), lambda \(p.lambda)\(p.maxLeaves.map { ", max_leaves \($0)" } ?? "")")
    var gain = [String: Double](), splits = [String: Int]()
    for f in m.forests {
      for i in f.importance { gain[i.feature, default: 0] += i.gain; splits[i.feature, default: 0] += i.splits }
    }
    let total = gain.values.reduce(0, +)
    let ranked = m.featureNames.sorted { gain[$0]! != gain[$1]! ? gain[$0]! > gain[$1]! : $0 < $1 }
    print("rank  feature               importance  gain          splits")
    for (r, name) in ranked.enumerated() {
      let share = total > 0 ? gain[name]! / total : 0
      let padded = name.count >= 20 ? name : name + String(repeating: " ", count: 20 - name.count)
      print(String(format: "%4d  ", r + 1) + padded + String(format: "  %10.4f  %12.4g  %6d", share, gain[name]!, splits[name]!))
    }
  }
}

/// Loads a cascade model or, recognised by its "learner" key, an XGBoost JSON model.
enum BDTModelFile {
  static func load(_ path: String) throws -> FoldedModel {
    let v = try JSONValue.load(path: path)
    if v["learner"] != nil { return try XGBoostJSON.importModel(JSONCursor(v, source: path)) }
    return try FoldedModel.load(path: path).model
  }
}
