import CascadeSupport

/// Which boosting algorithm grows the forest.
public enum BoostType: String, Codable, Sendable, CaseIterable {
  /// Binary-logistic gradient boosting (TMVA's "Grad", XGBoost's `binary:logistic`).
  case gradient
  /// Discrete AdaBoost with Gini splits (TMVA's default BDT).
  case adaboost
}

/// What training does with events of negative weight. Evaluation always uses the signed weights.
public enum NegativeWeightPolicy: String, Codable, Sendable, CaseIterable {
  /// Dropped from training only (default).
  case ignore
  /// Trained with |w|.
  case abs
  /// Trained with the signed weight (TMVA's "Pray"); hessian sums ≤ 0 are guarded.
  case keep
}

/// Hyperparameters of one training. Defaults follow XGBoost's where both tools share a meaning.
public struct BoostParameters: Sendable, Equatable {
  public var boost: BoostType = .gradient
  /// Number of trees (an upper bound when early stopping is on).
  public var trees = 200
  /// Maximum tree depth (also caps leaf-wise growth when `maxLeaves` is set).
  public var depth = 4
  /// Leaf-wise (best-first) growth up to this many leaves; nil = depth-wise growth.
  public var maxLeaves: Int? = nil
  public var learningRate = 0.1
  /// L2 regularisation of leaf values (gradient boosting).
  public var lambda = 1.0
  /// Minimum hessian sum in a child (gradient boosting).
  public var minChildWeight = 1e-3
  /// TMVA MinNodeSize: minimum training weight of a child, in percent of the total training weight.
  public var minNodeSize = 0.0
  /// Minimum loss reduction (gradient) or Gini decrease (AdaBoost) to split.
  public var minSplitGain = 0.0
  /// Fraction of training rows sampled (without replacement) for each tree.
  public var subsample = 1.0
  /// Fraction of features considered by each tree.
  public var colsample = 1.0
  /// Maximum number of histogram bins per feature (2…255), NaN excluded.
  public var bins = 255
  /// Fraction of training events held out to monitor the loss (0 = none).
  public var validationFraction = 0.0
  /// Early-stopping patience in trees (needs `validationFraction` > 0); 0 = off.
  public var earlyStopping = 0
  /// AdaBoost learning exponent: boost weight = ((1 − err)/err)^beta.
  public var beta = 0.5
  public var seed: UInt64 = 1
  /// Worker threads (0 = all cores). Never changes the result.
  public var threads = 0
  /// Scale signal and background to equal total training weight.
  public var balanceClasses = true
  public var negativeWeights: NegativeWeightPolicy = .ignore

  /// The defaults: 200 gradient trees of depth 4, learning rate 0.1, λ = 1, 255 bins, no
  /// subsampling, no validation split, balanced classes, negative weights ignored, seed 1.
  public init() {}

  /// Keys of the JSON "bdt" block.
  public static let jsonKeys: [String] = [
    "boost", "trees", "depth", "max_leaves", "learning_rate", "lambda", "min_child_weight",
    "min_node_size", "min_split_gain", "subsample", "colsample", "bins", "validation_fraction",
    "early_stopping", "beta",
  ]

  /// A copy with the keys present in `block` applied. Unknown keys and out-of-range values are
  /// errors naming the JSON path.
  public func overriding(with block: JSONCursor) throws -> BoostParameters {
    let obj = try block.object(allowed: Self.jsonKeys)
    var p = self
    if let c = obj.optional("boost") {
      let s = try c.string()
      guard let b = BoostType(rawValue: s) else {
        throw c.error("unknown boost type \"\(s)\" (expected gradient or adaboost)")
      }
      p.boost = b
    }
    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
      guard let c = obj.optional(key) else { return nil }
      let v = try c.int()
      guard range.contains(v) else { throw c.error("\(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
      return v
    }
    func double(_ key: String, _ ok: (Double) -> Bool, _ what: String) throws -> Double? {
      guard let c = obj.optional(key) else { return nil }
      let v = try c.finiteDouble()
      guard ok(v) else { throw c.error("\(JSONValue.format(v)) is out of range (\(what))") }
      return v
    }
    if let v = try int("trees", 1...100_000) { p.trees = v }
    if let v = try int("depth", 1...30) { p.depth = v }
    if obj.object["max_leaves"] == .null { p.maxLeaves = nil }
    if let v = try int("max_leaves", 2...1_000_000) { p.maxLeaves = v }
    if let v = try double("learning_rate", { $0 > 0 && $0 <= 1 }, "must be in (0, 1]") { p.learningRate = v }
    if let v = try double("lambda", { $0 >= 0 }, "must be ≥ 0") { p.lambda = v }
    if let v = try double("min_child_weight", { $0 >= 0 }, "must be ≥ 0") { p.minChildWeight = v }
    if let v = try double("min_node_size", { $0 >= 0 && $0 < 50 }, "percent, must be in [0, 50)") { p.minNodeSize = v }
    if let v = try double("min_split_gain", { $0 >= 0 }, "must be ≥ 0") { p.minSplitGain = v }
    if let v = try double("subsample", { $0 > 0 && $0 <= 1 }, "must be in (0, 1]") { p.subsample = v }
    if let v = try double("colsample", { $0 > 0 && $0 <= 1 }, "must be in (0, 1]") { p.colsample = v }
    if let v = try int("bins", 2...255) { p.bins = v }
    if let v = try double("validation_fraction", { $0 >= 0 && $0 < 1 }, "must be in [0, 1)") { p.validationFraction = v }
    if let v = try int("early_stopping", 0...1_000_000) { p.earlyStopping = v }
    if let v = try double("beta", { $0 > 0 && $0 <= 10 }, "must be in (0, 10]") { p.beta = v }
    return p
  }

  /// The training settings outside the "bdt" block (seed, class balance, negative weights).
  var training: TrainingSettings {
    TrainingSettings(seed: String(seed), balanceClasses: balanceClasses, negativeWeights: negativeWeights)
  }

  mutating func apply(_ t: TrainingSettings, at codingPath: [CodingKey]) throws {
    guard let v = UInt64(t.seed) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: codingPath + [TrainingSettings.CodingKeys.seed], debugDescription: "expected an unsigned integer string"))
    }
    seed = v
    balanceClasses = t.balanceClasses
    negativeWeights = t.negativeWeights
  }

  /// Checks the combination of values (for parameters built in code or from the CLI).
  public func validate() throws {
    func bad(_ m: String) -> UserError { UserError("bdt parameters: \(m)") }
    guard trees >= 1 else { throw bad("trees must be ≥ 1 (got \(trees))") }
    guard (1...30).contains(depth) else { throw bad("depth must be in 1…30 (got \(depth))") }
    if let m = maxLeaves, m < 2 { throw bad("max_leaves must be ≥ 2 (got \(m))") }
    guard learningRate > 0, learningRate <= 1 else { throw bad("learning_rate must be in (0, 1] (got \(learningRate))") }
    guard lambda >= 0, minChildWeight >= 0, minSplitGain >= 0 else { throw bad("lambda, min_child_weight and min_split_gain must be ≥ 0") }
    guard minNodeSize >= 0, minNodeSize < 50 else { throw bad("min_node_size must be in [0, 50) percent (got \(minNodeSize))") }
    guard subsample > 0, subsample <= 1 else { throw bad("subsample must be in (0, 1] (got \(subsample))") }
    guard colsample > 0, colsample <= 1 else { throw bad("colsample must be in (0, 1] (got \(colsample))") }
    guard (2...255).contains(bins) else { throw bad("bins must be in 2…255 (got \(bins))") }
    guard validationFraction >= 0, validationFraction < 1 else { throw bad("validation_fraction must be in [0, 1) (got \(validationFraction))") }
    guard earlyStopping >= 0 else { throw bad("early_stopping must be ≥ 0") }
    if earlyStopping > 0 && validationFraction == 0 { throw bad("early_stopping needs validation_fraction > 0") }
    guard beta > 0, beta <= 10 else { throw bad("beta must be in (0, 10] (got \(beta))") }
    guard threads >= 0 else { throw bad("threads must be ≥ 0") }
  }
}

/// The "bdt" block of configs and the `parameters` of model files: exactly `jsonKeys`, in that
/// order (`max_leaves` null for depth-wise growth). Read back through `overriding(with:)`, which
/// checks every range.
extension BoostParameters: Encodable {
  enum CodingKeys: String, CodingKey {
    case boost, trees, depth
    case maxLeaves = "max_leaves"
    case learningRate = "learning_rate"
    case lambda
    case minChildWeight = "min_child_weight"
    case minNodeSize = "min_node_size"
    case minSplitGain = "min_split_gain"
    case subsample, colsample, bins
    case validationFraction = "validation_fraction"
    case earlyStopping = "early_stopping"
    case beta
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(boost, forKey: .boost)
    try c.encode(trees, forKey: .trees)
    try c.encode(depth, forKey: .depth)
    try c.encodeNullable(maxLeaves, forKey: .maxLeaves)
    try c.encode(learningRate, forKey: .learningRate)
    try c.encode(lambda, forKey: .lambda)
    try c.encode(minChildWeight, forKey: .minChildWeight)
    try c.encode(minNodeSize, forKey: .minNodeSize)
    try c.encode(minSplitGain, forKey: .minSplitGain)
    try c.encode(subsample, forKey: .subsample)
    try c.encode(colsample, forKey: .colsample)
    try c.encode(bins, forKey: .bins)
    try c.encode(validationFraction, forKey: .validationFraction)
    try c.encode(earlyStopping, forKey: .earlyStopping)
    try c.encode(beta, forKey: .beta)
  }
}

/// The `training` block of model files: the settings outside the "bdt" block.
struct TrainingSettings: Codable {
  /// The seed as a decimal string (a UInt64 does not fit a JSON double).
  var seed: String
  var balanceClasses: Bool
  var negativeWeights: NegativeWeightPolicy
  enum CodingKeys: String, CodingKey {
    case seed
    case balanceClasses = "balance_classes"
    case negativeWeights = "negative_weights"
  }
}
