import CascadeSupport
import Foundation

/// One tree node in the flat scoring layout. Children of a split are adjacent: right = left + 1.
public struct FlatNode: Sendable, Equatable {
  /// Rows with `x < threshold` go left; NaN goes to `defaultLeft`.
  public var threshold: Float
  /// Feature index, −1 for a leaf.
  public var feature: Int32
  /// Index of the left child in `Forest.nodes` (−1 for a leaf).
  public var left: Int32
  public var defaultLeft: Bool
}

/// One trained model: every tree flattened into contiguous arrays for fast batched scoring.
public struct Forest: Sendable {
  public var featureNames: [String]
  public var boost: BoostType
  /// Margin before any tree (logit of the base score for gradient models, 0 for AdaBoost).
  public var baseMargin: Double
  public var nodes: [FlatNode]
  /// Leaf value per node (0 for splits). AdaBoost leaves are ±1.
  public var values: [Double]
  /// Loss reduction (gradient) or Gini decrease (AdaBoost) of each split, 0 for leaves.
  public var gains: [Double]
  /// Hessian (gradient) or weight (AdaBoost) sum of each node's training events.
  public var covers: [Double]
  /// Index of each tree's root in `nodes`.
  public var treeRoots: [Int32]
  /// AdaBoost α per tree (1 for gradient trees).
  public var treeWeights: [Double]
  /// Validation loss after each tree, when training held out events.
  public var validationLoss: [Double] = []
  /// Accumulate the margin in Float32, tree by tree, as XGBoost does (imported XGBoost models):
  /// their margins then match XGBoost's bit for bit rather than to ~1e-7.
  public var float32Sum = false

  /// An empty forest (no trees) reading features in the order `featureNames`, which every scoring
  /// call must follow; its margin is `baseMargin` until trees are appended.
  public init(featureNames: [String], boost: BoostType, baseMargin: Double) {
    self.featureNames = featureNames
    self.boost = boost
    self.baseMargin = baseMargin
    nodes = []; values = []; gains = []; covers = []; treeRoots = []; treeWeights = []
  }

  public var treeCount: Int { treeRoots.count }

  /// Node range of tree `t` in the flat arrays.
  public func nodeRange(ofTree t: Int) -> Range<Int> {
    Int(treeRoots[t])..<(t + 1 < treeRoots.count ? Int(treeRoots[t + 1]) : nodes.count)
  }

  /// Maximum depth over all trees (a single leaf has depth 0).
  public var maxDepth: Int {
    (0..<treeCount).reduce(0) { Swift.max($0, depth(ofTree: $1)) }
  }

  /// Depth of tree `t`: the longest root-to-leaf path (a single leaf has depth 0).
  public func depth(ofTree t: Int) -> Int {
    var best = 0
    var stack = [(Int(treeRoots[t]), 0)]
    while let (n, d) = stack.popLast() {
      best = Swift.max(best, d)
      if nodes[n].feature >= 0 { stack.append((Int(nodes[n].left), d + 1)); stack.append((Int(nodes[n].left) + 1, d + 1)) }
    }
    return best
  }

  /// Appends a tree given in any node order; it is re-laid out breadth-first with adjacent children.
  /// `children(i)` is nil for a leaf.
  mutating func appendTree(
    count: Int, weight: Double, root: Int = 0,
    children: (Int) -> (left: Int, right: Int)?, split: (Int) -> (feature: Int, threshold: Float, defaultLeft: Bool),
    value: (Int) -> Double, gain: (Int) -> Double, cover: (Int) -> Double
  ) {
    let start = nodes.count
    treeRoots.append(Int32(start))
    treeWeights.append(weight)
    var order = [root]
    var newIndex = [Int: Int]()
    var i = 0
    while i < order.count {
      let n = order[i]
      newIndex[n] = start + i
      if let (l, r) = children(n) { order.append(l); order.append(r) }
      i += 1
    }
    for n in order {
      if let (l, _) = children(n) {
        let s = split(n)
        nodes.append(FlatNode(threshold: s.threshold, feature: Int32(s.feature), left: Int32(newIndex[l]!), defaultLeft: s.defaultLeft))
        values.append(0)
      } else {
        nodes.append(FlatNode(threshold: 0, feature: -1, left: -1, defaultLeft: false))
        values.append(value(n))
      }
      gains.append(gain(n))
      covers.append(cover(n))
    }
  }

  /// Drops trees after the first `count` (early stopping).
  mutating func truncate(toTrees count: Int) {
    guard count < treeCount else { return }
    let end = Int(treeRoots[count])
    nodes.removeSubrange(end...); values.removeSubrange(end...); gains.removeSubrange(end...); covers.removeSubrange(end...)
    treeRoots.removeSubrange(count...); treeWeights.removeSubrange(count...)
  }

  // MARK: scoring

  /// Scores: probability for gradient models, Σα·h/Σα ∈ [−1, 1] for AdaBoost; the raw margin
  /// (log-odds, or Σα·h) with `outputMargin`. `columns[f]` follows `featureNames`.
  public func scores(columns: [[Float]], outputMargin: Bool = false, threads: Int = 0) -> [Double] {
    var out = margins(columns: columns, threads: threads)
    if outputMargin { return out }
    switch boost {
    case .gradient:
      for i in 0..<out.count { out[i] = 1 / (1 + Foundation.exp(-out[i])) }
    case .adaboost:
      let total = treeWeights.reduce(0, +)
      if total > 0 { for i in 0..<out.count { out[i] /= total } }
    }
    return out
  }

  /// The scoring layout: leaves loop to themselves through an always-left test on a constant
  /// padding feature (index `nf`, value 0 < +∞), so every row takes exactly the tree's depth
  /// in steps, with no data-dependent branch.
  struct ScoringNode {
    var threshold: Float
    var feature: Int32
    var left: Int32
    var defaultLeft: Int32
  }

  func scoringLayout() -> (nodes: [ScoringNode], depths: [Int]) {
    let nf = Int32(featureNames.count)
    var out = nodes.enumerated().map { k, n in
      n.feature >= 0
        ? ScoringNode(threshold: n.threshold, feature: n.feature, left: n.left, defaultLeft: n.defaultLeft ? 1 : 0)
        : ScoringNode(threshold: .infinity, feature: nf, left: Int32(k), defaultLeft: 1)
    }
    out.reserveCapacity(nodes.count)
    return (out, (0..<treeCount).map(depth(ofTree:)))
  }

  /// Raw margins, computed in fixed row blocks through the compiled `ScoringProgram`: each
  /// block is transposed to row-major and run through one tree at a time, so the tree stays in
  /// cache and the rows' independent walks overlap. Bit-identical to `referenceMargins`.
  public func margins(columns: [[Float]], threads: Int = 0) -> [Double] {
    precondition(columns.count == featureNames.count, "Forest.scores: \(columns.count) columns for \(featureNames.count) features")
    let n = columns.first?.count ?? 0
    let nf = columns.count
    var out = [Double](repeating: baseMargin, count: n)
    if n == 0 || treeCount == 0 { return out }
    let program = ScoringProgram(self)
    let block = 1024, chunk = ScoringProgram.chunkRows
    let base = baseMargin
    withColumnPointers(columns) { cols in
      out.withUnsafeMutableBufferPointer { outBuf in
        let o = outBuf
        ParallelBlocks.forEach(count: n, blockSize: block, threads: threads) { range in
          let rm = UnsafeMutablePointer<Float>.allocate(capacity: chunk * 2 * nf)
          let leaves = UnsafeMutablePointer<Int32>.allocate(capacity: chunk)
          let acc = UnsafeMutablePointer<Double>.allocate(capacity: chunk)
          defer { rm.deallocate(); leaves.deallocate(); acc.deallocate() }
          // Whole groups of 8 rows are read (ScoringProgram.walkDense): no uninitialised floats.
          rm.initialize(repeating: 0, count: chunk * 2 * nf)
          var start = range.lowerBound
          while start < range.upperBound {
            let m = Swift.min(chunk, range.upperBound - start)
            acc.initialize(repeating: base, count: m)
            program.accumulate(forest: self, columns: cols, row0: start, count: m, acc: acc, rows: rm, leaves: leaves)
            for i in 0..<m { o[start &+ i] = acc[i] }
            start += m
          }
        }
      }
    }
    return out
  }

  /// The columns' base addresses for the duration of `body`.
  private func withColumnPointers<R>(_ columns: [[Float]], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    var pointers: [UnsafePointer<Float>] = []
    func nest(_ f: Int) -> R {
      if f == columns.count { return body(pointers) }
      return columns[f].withUnsafeBufferPointer { b in
        pointers.append(b.baseAddress ?? UnsafePointer(bitPattern: 8)!)
        return nest(f + 1)
      }
    }
    return nest(0)
  }

  /// Raw margins by the plain level-by-level walk (the reference the compiled program is
  /// tested against): each block is transposed to row-major (plus the padding feature) and run
  /// through one tree at a time.
  func referenceMargins(columns: [[Float]], threads: Int = 0) -> [Double] {
    precondition(columns.count == featureNames.count, "Forest.scores: \(columns.count) columns for \(featureNames.count) features")
    let n = columns.first?.count ?? 0
    let nf = columns.count
    let stride = nf + 1
    var out = [Double](repeating: baseMargin, count: n)
    if n == 0 || treeCount == 0 { return out }
    let (layout, depths) = scoringLayout()
    let block = 1024
    let base = baseMargin
    let f32 = float32Sum
    layout.withUnsafeBufferPointer { nodeBuf in
      values.withUnsafeBufferPointer { valBuf in
        out.withUnsafeMutableBufferPointer { outBuf in
          let o = outBuf
          ParallelBlocks.forEach(count: n, blockSize: block, threads: threads) { range in
            let m = range.count
            let rm = UnsafeMutablePointer<Float>.allocate(capacity: m * stride)
            let ks = UnsafeMutablePointer<Int32>.allocate(capacity: m)
            let acc = UnsafeMutablePointer<Double>.allocate(capacity: m)
            defer { rm.deallocate(); ks.deallocate(); acc.deallocate() }
            acc.initialize(repeating: base, count: m)
            for f in 0..<nf {
              columns[f].withUnsafeBufferPointer { col in
                let p = col.baseAddress! + range.lowerBound
                for i in 0..<m { rm[i &* stride &+ f] = p[i] }
              }
            }
            for i in 0..<m { rm[i &* stride &+ nf] = 0 }
            let nd = nodeBuf.baseAddress!
            for t in 0..<treeRoots.count {
              let root = treeRoots[t]
              let w = treeWeights[t]
              ks.update(repeating: root, count: m)
              for _ in 0..<depths[t] {
                for i in 0..<m {
                  let node = nd[Int(ks[i])]
                  let x = rm[i &* stride &+ Int(node.feature)]
                  // Branch-free: left when x < threshold, or x is NaN and the default is left.
                  let goLeft = (x < node.threshold ? 1 : 0) | ((x != x ? 1 : 0) & node.defaultLeft)
                  ks[i] = node.left &+ (1 &- Int32(goLeft))
                }
              }
              if f32 {
                for i in 0..<m { acc[i] = Double(Float(acc[i]) + Float(valBuf[Int(ks[i])])) }
              } else {
                for i in 0..<m { acc[i] += w * valBuf[Int(ks[i])] }
              }
            }
            for i in 0..<m { o[range.lowerBound &+ i] = acc[i] }
          }
        }
      }
    }
    return out
  }

  // MARK: importance

  /// Total split gain and split count per feature, ranked by gain (descending, then name).
  public var importance: [(feature: String, gain: Double, splits: Int)] {
    var gain = [Double](repeating: 0, count: featureNames.count)
    var splits = [Int](repeating: 0, count: featureNames.count)
    for (k, node) in nodes.enumerated() where node.feature >= 0 {
      gain[Int(node.feature)] += gains[k]
      splits[Int(node.feature)] += 1
    }
    return (0..<featureNames.count)
      .map { (feature: featureNames[$0], gain: gain[$0], splits: splits[$0]) }
      .sorted { $0.gain != $1.gain ? $0.gain > $1.gain : $0.feature < $1.feature }
  }

  /// TMVA-style ranking: each feature's share of the total split gain (sums to 1).
  public var ranking: [(feature: String, importance: Double)] {
    let imp = importance
    let total = imp.reduce(0) { $0 + $1.gain }
    return imp.map { (feature: $0.feature, importance: total > 0 ? $0.gain / total : 0) }
  }
}

// MARK: model file

/// One tree of the model file: per-node parallel arrays, `left` relative to the tree's first node.
struct TreeRecord: Codable {
  var weight: Double
  var feature: [Int]
  var threshold: [Double]
  var defaultLeft: [Bool]
  var left: [Int]
  var value: [Double]
  var gain: [Double]
  var cover: [Double]
  enum CodingKeys: String, CodingKey {
    case weight, feature, threshold
    case defaultLeft = "default_left"
    case left, value, gain, cover
  }
}

/// The forest's JSON form (in model files): `boost`, `features`, `base_margin`, `trees`, then
/// `validation_loss` (only when recorded) and `float32_sum` (only when true). Thresholds and
/// values round-trip exactly; decoding checks every index and that every number is finite.
extension Forest: Codable {
  enum CodingKeys: String, CodingKey {
    case boost, features
    case baseMargin = "base_margin"
    case trees
    case validationLoss = "validation_loss"
    case float32Sum = "float32_sum"
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(boost, forKey: .boost)
    try c.encode(featureNames, forKey: .features)
    try c.encode(baseMargin, forKey: .baseMargin)
    let trees = (0..<treeCount).map { t -> TreeRecord in
      let r = nodeRange(ofTree: t)
      let start = r.lowerBound
      return TreeRecord(
        weight: treeWeights[t], feature: r.map { Int(nodes[$0].feature) }, threshold: r.map { Double(nodes[$0].threshold) },
        defaultLeft: r.map { nodes[$0].defaultLeft }, left: r.map { nodes[$0].feature >= 0 ? Int(nodes[$0].left) - start : -1 },
        value: Array(values[r]), gain: Array(gains[r]), cover: Array(covers[r]))
    }
    try c.encode(trees, forKey: .trees)
    if !validationLoss.isEmpty { try c.encode(validationLoss, forKey: .validationLoss) }
    if float32Sum { try c.encode(true, forKey: .float32Sum) }
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func bad(_ path: [CodingKey], _ what: String) -> DecodingError {
      .dataCorrupted(.init(codingPath: c.codingPath + path, debugDescription: what))
    }
    let boost = try c.decode(BoostType.self, forKey: .boost)
    let baseMargin = try c.decode(Double.self, forKey: .baseMargin)
    guard baseMargin.isFinite else { throw bad([CodingKeys.baseMargin], "expected a finite number") }
    self.init(featureNames: try c.decode([String].self, forKey: .features), boost: boost, baseMargin: baseMargin)
    validationLoss = try c.decodeIfPresent([Double].self, forKey: .validationLoss) ?? []
    float32Sum = try c.decodeIfPresent(Bool.self, forKey: .float32Sum) ?? false
    let nf = featureNames.count
    for (ti, t) in try c.decode([TreeRecord].self, forKey: .trees).enumerated() {
      let at: [CodingKey] = [CodingKeys.trees, IndexKey(ti)]
      let m = t.feature.count
      let lengths: [(TreeRecord.CodingKeys, Int)] = [
        (.threshold, t.threshold.count), (.defaultLeft, t.defaultLeft.count), (.left, t.left.count),
        (.value, t.value.count), (.gain, t.gain.count), (.cover, t.cover.count),
      ]
      for (key, n) in lengths where n != m { throw bad(at + [key], "expected \(m) entries, found \(n)") }
      for (key, v) in [(TreeRecord.CodingKeys.threshold, t.threshold), (.value, t.value), (.gain, t.gain), (.cover, t.cover)] {
        if let k = v.firstIndex(where: { !$0.isFinite }) { throw bad(at + [key, IndexKey(k)], "expected a finite number") }
      }
      guard t.weight.isFinite else { throw bad(at + [TreeRecord.CodingKeys.weight], "expected a finite number") }
      guard m > 0 else { throw bad(at, "empty tree") }
      let start = nodes.count
      for k in 0..<m {
        if t.feature[k] >= 0 {
          guard t.feature[k] < nf else { throw bad(at + [TreeRecord.CodingKeys.feature, IndexKey(k)], "feature index \(t.feature[k]) out of range") }
          guard t.left[k] > k, t.left[k] + 1 < m else { throw bad(at + [TreeRecord.CodingKeys.left, IndexKey(k)], "child index \(t.left[k]) out of range") }
        } else if t.feature[k] != -1 {
          throw bad(at + [TreeRecord.CodingKeys.feature, IndexKey(k)], "expected a feature index or -1")
        }
        nodes.append(
          FlatNode(
            threshold: Float(t.threshold[k]), feature: Int32(t.feature[k]),
            left: t.feature[k] >= 0 ? Int32(start + t.left[k]) : -1, defaultLeft: t.defaultLeft[k]))
      }
      values += t.value; gains += t.gain; covers += t.cover
      treeRoots.append(Int32(start))
      treeWeights.append(t.weight)
    }
  }
}
