import CTreeWalk
import CascadeSupport

/// A forest compiled for batched scoring.
///
/// Trees of depth ≤ `maxPerfectDepth` are padded to perfect trees in heap order (children of
/// node k are 2k+1 and 2k+2), so a row's walk is `depth` steps of `k = 2k + 1 + right` with no
/// child pointers and no leaf test. Missing values cost nothing per step: each block row is
/// stored twice (column-major per chunk), NaN replaced by −∞ in the first copy and by +∞ in the second, and every node
/// reads the copy that sends NaN its default way (−∞ < any threshold > −∞ goes left, +∞ ≥ any
/// threshold goes right), so a step is a single `x >= threshold`. Trees of depth ≤
/// `maxDenseDepth` are walked 8 rows at a time in SIMD registers (``walkDense``), deeper perfect
/// trees level by level over the chunk (``walkPerfect``). Trees deeper than that, or
/// with a −∞ threshold (where the −∞ trick would send NaN right), are walked node by node on
/// the original layout. Per row the trees are summed in forest order exactly as the plain walk
/// does: the margins are bit-identical.
struct ScoringProgram {
  static let maxPerfectDepth = 8
  /// Trees up to this depth are walked 8 rows at a time in SIMD registers (``walkDense``).
  static let maxDenseDepth = 4
  /// Rows per scoring chunk (a power of two: the walk shifts copy indices by `chunkShift`).
  static let chunkShift = 8
  static let chunkRows = 1 << chunkShift

  enum TreeCode {
    /// Perfect tree of `depth`: internal nodes at `nodes + k`, leaves at `leaves + j`.
    case perfect(depth: Int, nodes: Int, leaves: Int)
    /// Walked on `Forest.nodes` from its root.
    case general(root: Int)
  }

  let featureCount: Int
  var trees: [TreeCode] = []
  /// Row-copy feature index per perfect-tree node: f (NaN → −∞ copy) or featureCount + f.
  var feature: [Int32] = []
  var threshold: [Float] = []
  var leafValue: [Double] = []

  init(_ forest: Forest) {
    featureCount = forest.featureNames.count
    for t in 0..<forest.treeCount {
      let root = Int(forest.treeRoots[t])
      let depth = forest.depth(ofTree: t)
      let hasMinusInfinity = forest.nodeRange(ofTree: t).contains { forest.nodes[$0].feature >= 0 && forest.nodes[$0].threshold == -.infinity }
      if depth > Self.maxPerfectDepth || hasMinusInfinity {
        trees.append(.general(root: root))
        continue
      }
      let nodeBase = feature.count, leafBase = leafValue.count
      let internalCount = (1 << depth) - 1
      feature += [Int32](repeating: 0, count: internalCount)
      threshold += [Float](repeating: .infinity, count: internalCount)
      leafValue += [Double](repeating: 0, count: 1 << depth)
      fill(forest, node: root, heap: 0, level: 0, depth: depth, nodeBase: nodeBase, leafBase: leafBase)
      trees.append(.perfect(depth: depth, nodes: nodeBase, leaves: leafBase))
    }
  }

  /// Places `node` at heap index `heap`; a leaf above the last level fills its whole subtree's
  /// leaves (its padding nodes keep feature 0 / +∞: any direction reaches the same value).
  private mutating func fill(_ forest: Forest, node: Int, heap: Int, level: Int, depth: Int, nodeBase: Int, leafBase: Int) {
    let n = forest.nodes[node]
    if n.feature >= 0 {
      feature[nodeBase + heap] = n.defaultLeft ? n.feature : Int32(featureCount) + n.feature
      threshold[nodeBase + heap] = n.threshold
      fill(forest, node: Int(n.left), heap: 2 * heap + 1, level: level + 1, depth: depth, nodeBase: nodeBase, leafBase: leafBase)
      fill(forest, node: Int(n.left) + 1, heap: 2 * heap + 2, level: level + 1, depth: depth, nodeBase: nodeBase, leafBase: leafBase)
      return
    }
    // The subtree of heap node k at `level` covers leaves [(k+1)·2^(d−l) − 2^d, … + 2^(d−l)).
    let span = 1 << (depth - level)
    let first = (heap + 1) * span - (1 << depth)
    for j in first..<(first + span) { leafValue[leafBase + j] = forest.values[node] }
  }

  /// Adds every tree's weighted leaf value to `acc` for the `m` rows whose features start at
  /// `columns[f] + row0`, in tree order. `float32Sum` accumulates as XGBoost does.
  func accumulate(
    forest: Forest, columns: [UnsafePointer<Float>], row0: Int, count m: Int, acc: UnsafeMutablePointer<Double>,
    rows rm: UnsafeMutablePointer<Float>, leaves: UnsafeMutablePointer<Int32>
  ) {
    precondition(m <= Self.chunkRows)
    let nf = featureCount
    let cr = Self.chunkRows
    for f in 0..<nf {
      let p = columns[f] + row0
      let low = rm + f &* cr, high = rm + (nf &+ f) &* cr
      for i in 0..<m {
        let x = p[i]
        low[i] = x.isNaN ? -.infinity : x
        high[i] = x.isNaN ? .infinity : x
      }
    }
    let f32 = forest.float32Sum
    feature.withUnsafeBufferPointer { fb in
      threshold.withUnsafeBufferPointer { tb in
        leafValue.withUnsafeBufferPointer { lb in
          forest.nodes.withUnsafeBufferPointer { nodes in
            forest.values.withUnsafeBufferPointer { values in
              forest.treeWeights.withUnsafeBufferPointer { weights in
                for t in 0..<trees.count {
                  let w = weights[t]
                  let vp: UnsafePointer<Double>
                  switch trees[t] {
                  case .perfect(let depth, let nodeBase, let leafBase):
                    if depth <= Self.maxDenseDepth {
                      Self.walkDense(depth: depth, feature: fb.baseAddress! + nodeBase, threshold: tb.baseAddress! + nodeBase, rows: rm, count: m, leaves: leaves)
                    } else {
                      Self.walkPerfect(depth: depth, feature: fb.baseAddress! + nodeBase, threshold: tb.baseAddress! + nodeBase, rows: rm, count: m, leaves: leaves)
                    }
                    vp = lb.baseAddress! + leafBase
                  case .general(let root):
                    for i in 0..<m { leaves[i] = Int32(Self.walk(nodes: nodes, root: root, columns: columns, row: row0 &+ i)) }
                    vp = values.baseAddress!
                  }
                  if f32 {
                    for i in 0..<m { acc[i] = Double(Float(acc[i]) + Float(vp[Int(leaves[i])])) }
                  } else {
                    for i in 0..<m { acc[i] += w * vp[Int(leaves[i])] }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Leaf index (0..<2^depth) of each row of a shallow tree: every node of a level compared for
  /// 8 rows at once in SIMD registers, each row keeping its node's answer (the C kernel
  /// `cascade_walk_dense`: Swift lowers SIMD comparisons and integer masks lane by lane). Pays
  /// while a tree has few nodes (depth ≤ `maxDenseDepth`). Reads and writes whole groups of 8
  /// rows inside the chunk buffers (`m` ≤ `chunkRows`, a multiple of 8); rows past `m` are
  /// computed from stale values and never used.
  @inline(__always)
  static func walkDense(
    depth: Int, feature fp: UnsafePointer<Int32>, threshold tp: UnsafePointer<Float>, rows rm: UnsafePointer<Float>,
    count m: Int, leaves: UnsafeMutablePointer<Int32>
  ) {
    cascade_walk_dense(Int32(depth), fp, tp, rm, Int32(chunkShift), Int32(m), leaves)
  }

  /// Leaf index (0..<2^depth) of each row, walked level by level: every row of the chunk takes
  /// one step before any takes the next, so the steps of a level are independent of each other
  /// and the core overlaps them freely (a row-by-row walk waits on a chain of `depth` dependent
  /// loads). The first level reads one node for all rows. The chunk is column-major
  /// (`rows[c · chunkRows + i]`).
  @inline(__always)
  static func walkPerfect(
    depth: Int, feature fp: UnsafePointer<Int32>, threshold tp: UnsafePointer<Float>, rows rm: UnsafePointer<Float>,
    count m: Int, leaves: UnsafeMutablePointer<Int32>
  ) {
    guard depth > 0 else {
      leaves.update(repeating: 0, count: m)
      return
    }
    let shift = chunkShift
    let root = rm + (Int(fp[0]) &<< shift), t0 = tp[0]
    let lastOffset: Int32 = depth == 1 ? 1 : 0
    for i in 0..<m { leaves[i] = 1 &+ (root[i] >= t0 ? 1 : 0) &- lastOffset }
    guard depth > 1 else { return }
    for level in 1..<depth {
      // The last level turns heap indices into leaf indices.
      let offset = level == depth &- 1 ? Int32(truncatingIfNeeded: (1 << depth) &- 1) : 0
      for i in 0..<m {
        let k = Int(leaves[i])
        let x = rm[(Int(fp[k]) &<< shift) &+ i]
        leaves[i] = Int32(truncatingIfNeeded: 2 &* k &+ 1) &+ (x >= tp[k] ? 1 : 0) &- offset
      }
    }
  }

  /// The node reached by one row on the original layout: left when x < threshold, NaN by default.
  @inline(__always)
  static func walk(nodes: UnsafeBufferPointer<FlatNode>, root: Int, columns: [UnsafePointer<Float>], row: Int) -> Int {
    var n = root
    while nodes[n].feature >= 0 {
      let node = nodes[n]
      let x = columns[Int(node.feature)][row]
      let goLeft = x < node.threshold || (x.isNaN && node.defaultLeft)
      n = Int(node.left) + (goLeft ? 0 : 1)
    }
    return n
  }
}
