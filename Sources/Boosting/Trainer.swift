import CascadeSupport
import Foundation

/// Trains one forest from plain columns.
///
/// ```swift
/// var p = BoostParameters(); p.trees = 100; p.depth = 3
/// let forest = try Trainer.train(data, parameters: p)
/// let s = forest.scores(columns: data.columns)
/// ```
public enum Trainer {
  /// Trains one forest on all of `data` with `parameters`, without progress reports.
  ///
  /// - Throws: `UserError` if `data` is inconsistent (arrays of different lengths, repeated
  ///   feature names), `parameters` are out of range, or a class has no training events (or a total
  ///   training weight ≤ 0) after the negative-weight policy.
  public static func train(_ data: TrainingData, parameters: BoostParameters) throws -> Forest {
    try train(data, parameters: parameters, progress: nil)
  }

  /// Trains with `progress(treesDone, treesMax)` called after every tree (for a progress bar).
  public static func train(
    _ data: TrainingData, parameters: BoostParameters, progress: (@Sendable (Int, Int) -> Void)?
  ) throws -> Forest {
    try data.validate()
    try parameters.validate()
    let prepared = try PreparedTraining(data, parameters)
    switch parameters.boost {
    case .gradient:
      var booster = GradientBooster(prepared)
      booster.progress = progress
      return booster.run()
    case .adaboost:
      var booster = AdaBooster(prepared)
      booster.progress = progress
      return booster.run()
    }
  }
}

/// Training events after the negative-weight policy, class balancing, the validation split and
/// binning. Row indices below are rows of the binned matrix.
struct PreparedTraining {
  let parameters: BoostParameters
  let featureNames: [String]
  let matrix: BinnedMatrix
  /// 1 for signal, 0 for background.
  let label: [Float]
  /// Normalised training weights: the fit rows sum to their count (TMVA's NormMode NumEvents),
  /// split equally between the classes when balancing, so regularisation does not depend on
  /// the scale of the physics weights.
  let weight: [Double]
  let fitRows: [UInt32]
  let validationRows: [UInt32]
  var rng: SeededRandom
  /// The flatness part of the loss (FlatnessLoss.swift), if asked for.
  let flatness: FlatnessLoss?

  init(_ data: TrainingData, _ p: BoostParameters) throws {
    parameters = p
    featureNames = data.featureNames
    var rng = SeededRandom(seed: p.seed)
    let n = data.rowCount
    var w = data.weights
    var used: [Int] = []
    used.reserveCapacity(n)
    for i in 0..<n {
      switch p.negativeWeights {
      case .ignore: if w[i] < 0 { continue }
      case .abs: w[i] = Swift.abs(w[i])
      case .keep: break
      }
      used.append(i)
    }
    // Validation rows are drawn per event from the seeded generator: reproducible, thread-free.
    var isValidation = [Bool](repeating: false, count: used.count)
    if p.validationFraction > 0 {
      for k in 0..<used.count { isValidation[k] = rng.uniform() < p.validationFraction }
    }
    var sum = [0.0, 0.0], count = [0, 0]
    for (k, i) in used.enumerated() where !isValidation[k] {
      let c = data.isSignal[i] ? 1 : 0
      sum[c] += w[i]; count[c] += 1
    }
    for (c, name) in [(1, "signal"), (0, "background")] {
      guard count[c] > 0 else { throw UserError("training data: no \(name) events to train on\(p.negativeWeights == .ignore ? " (negative weights are ignored)" : "")") }
      guard sum[c] > 0 else { throw UserError("training data: \(name) events have a total training weight ≤ 0 (\(sum[c])); try negative weights \"abs\" or \"ignore\"") }
    }
    let nFit = Double(count[0] + count[1])
    let scale: [Double] = p.balanceClasses
      ? [nFit / 2 / sum[0], nFit / 2 / sum[1]]
      : [nFit / (sum[0] + sum[1]), nFit / (sum[0] + sum[1])]
    var fit: [UInt32] = [], valid: [UInt32] = []
    var label = [Float](repeating: 0, count: used.count)
    var weight = [Double](repeating: 0, count: used.count)
    for (k, i) in used.enumerated() {
      let c = data.isSignal[i] ? 1 : 0
      label[k] = Float(c)
      weight[k] = w[i] * scale[c]
      if isValidation[k] { valid.append(UInt32(k)) } else { fit.append(UInt32(k)) }
    }
    let fitOriginal = fit.map { used[Int($0)] }
    matrix = BinnedMatrix(
      columns: data.columns, rows: used.count == n ? nil : used, cutRows: fitOriginal, weights: w,
      maxBins: p.bins, threads: p.threads)
    self.label = label
    self.weight = weight
    fitRows = fit
    validationRows = valid
    self.rng = rng
    flatness = data.flatness.flatMap { FlatnessLoss($0, rowOf: used, label: label, weight: weight, fitRows: fit) }
  }

  var growSettings: GrowSettings {
    let p = parameters
    let criterion: SplitCriterion = p.boost == .gradient ? .newton(lambda: p.lambda) : .gini
    return GrowSettings(
      criterion: criterion, depth: p.depth, maxLeaves: p.maxLeaves, minChildB: p.minChildWeight,
      minNodeWeight: p.minNodeSize / 100 * Double(fitRows.count), minSplitGain: p.minSplitGain, threads: p.threads)
  }

  /// Rows for the next tree (row subsampling without replacement, in row order).
  mutating func sampleRows() -> (rows: [UInt32], all: Bool) {
    guard parameters.subsample < 1 else { return (fitRows, true) }
    var rows: [UInt32] = []
    rows.reserveCapacity(Int(Double(fitRows.count) * parameters.subsample) + 16)
    for r in fitRows where rng.uniform() < parameters.subsample { rows.append(r) }
    if rows.isEmpty { rows.append(fitRows[rng.below(fitRows.count)]) }
    return (rows, false)
  }

  /// Features for the next tree (column subsampling), ascending.
  mutating func sampleFeatures() -> [Int] {
    let nf = featureNames.count
    let k = Swift.max(1, Int((parameters.colsample * Double(nf)).rounded()))
    guard k < nf else { return Array(0..<nf) }
    var all = Array(0..<nf)
    for i in 0..<k {
      let j = i + rng.below(nf - i)
      all.swapAt(i, j)
    }
    return all[0..<k].sorted()
  }

  /// Leaf of every row in `rows` by binned traversal (rows not in the tree's sample).
  func leaves(of tree: GrownTree, rows: [UInt32]) -> [Int] {
    matrix.bins.withUnsafeBufferPointer { bins in
      let n = matrix.rowCount
      let parts = ParallelBlocks.map(count: rows.count, blockSize: 65_536, threads: parameters.threads) { r in
        r.map { tree.leaf(ofRow: Int(rows[$0]), bins: bins, rowCount: n) }
      }
      return Array(parts.joined())
    }
  }

  /// Appends a grown tree to `forest` with Float thresholds from the cut points.
  func append(_ tree: GrownTree, to forest: inout Forest, weight: Double, leafValue: [Double], cover: (NodeSums) -> Double) {
    let cuts = matrix.cuts
    forest.appendTree(
      count: tree.feature.count, weight: weight,
      children: { tree.feature[$0] >= 0 ? (tree.left[$0], tree.right[$0]) : nil },
      split: { (tree.feature[$0], cuts[tree.feature[$0]][tree.bin[$0]], tree.defaultLeft[$0]) },
      value: { leafValue[$0] }, gain: { tree.gain[$0] }, cover: { cover(tree.sums[$0]) })
  }

  /// Rows of the fit set that were not in `sample` (ascending `sample` assumed).
  func complement(of sample: [UInt32]) -> [UInt32] {
    var out: [UInt32] = []
    var j = 0
    for r in fitRows {
      if j < sample.count && sample[j] == r { j += 1 } else { out.append(r) }
    }
    return out
  }
}

/// Stops training when the validation loss has not improved for `patience` trees.
struct EarlyStopper {
  let patience: Int
  var best = Double.infinity
  var bestTrees = 0
  /// Records the loss after `trees` trees; true when training should stop.
  mutating func record(_ loss: Double, trees: Int) -> Bool {
    if loss < best { best = loss; bestTrees = trees }
    return patience > 0 && trees - bestTrees >= patience
  }
}
