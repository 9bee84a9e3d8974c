import ArgumentParser
import Boosting
import Workflow

/// `cascade bdt …`: train, apply and convert single BDT models outside a cascade.
struct BDTCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bdt",
    abstract: "Train, apply, inspect and convert boosted decision trees (gradient or AdaBoost).",
    discussion: """
      Models are JSON files (format "cascade-bdt", version 1) holding k fold models; XGBoost JSON models (gbtree, binary:logistic) convert both ways.
      """,
    subcommands: [BDTTrain.self, BDTPredict.self, BDTImportXGBoost.self, BDTExportXGBoost.self, BDTInfo.self]
  )
}

struct BDTTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a BDT from event files and write a model file.",
    discussion: """
      Classes come either from a label column of the --input files (signal where the value is non-zero) or from separate --signal and --background files.

      Event weights (--weight) are used everywhere; training applies the negative-weight policy and class balancing.

      With --folds k > 1, k models are trained, model i on the events whose fold is not i; the fold is event_number mod k with --event-number, else a stable hash of (file base name, row).

      A NaN feature is a missing value; ±inf is an error naming file, row and column. A progress bar is drawn on stderr when it is a terminal.
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
  @Option(name: .long, help: "Boosting: gradient (binary logistic) or adaboost (discrete AdaBoost).")
  var boost: BoostType = .gradient
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
  @Option(name: .customLong("negative-weights"), help: "Negative weights in training: dropped, used as |w|, or kept.")
  var negativeWeights: NegativeWeightPolicy = .ignore
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

  func run() throws {
    try BDTWorkflow.train(request(), console: .standard())
  }

  private func request() -> BDTTrainRequest {
    var p = BoostParameters()
    p.boost = boost
    p.trees = trees; p.depth = depth; p.maxLeaves = maxLeaves; p.learningRate = learningRate; p.bins = bins
    p.threads = threads; p.seed = seed; p.validationFraction = validationFraction; p.earlyStopping = earlyStopping
    p.negativeWeights = negativeWeights; p.balanceClasses = !noBalance
    let classes: BDTClasses = label.map { .labelColumn($0, files: input) } ?? .separateFiles(signal: signal, background: background)
    return BDTTrainRequest(
      classes: classes, features: features, weight: weight, eventNumber: eventNumber, folds: folds, parameters: p, output: out)
  }
}

struct BDTPredict: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Score an event file with a model; writes a column \"score\".",
    discussion: """
      score = probability for gradient models, Σα·h/Σα in [−1, 1] for AdaBoost; the raw margin with --output-margin.

      A k-fold model scores each event with the fold model that did not train on it (same fold rule as training: --event-number, else hash of file name and row).

      The output format follows OUT's extension (.csv or .h5). XGBoost JSON models are accepted directly. A NaN feature is a missing value; ±inf is an error naming file, row and column.
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
    let request = BDTPredictRequest(
      model: model, input: input, output: out, outputMargin: outputMargin, keepColumns: keepColumns,
      eventNumber: eventNumber, threads: threads)
    try BDTWorkflow.predict(request, console: .standard())
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
    try BDTWorkflow.importXGBoost(input, to: output, console: .standard())
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
    try BDTWorkflow.exportXGBoost(input, to: output, fold: fold, console: .standard())
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
    try BDTWorkflow.info(model, console: .standard())
  }
}
