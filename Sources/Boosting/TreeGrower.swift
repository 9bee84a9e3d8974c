import CascadeSupport

/// How a node's two per-row statistics (a, b) score a split.
enum SplitCriterion {
  /// Newton step of a twice-differentiable loss: a = gradient, b = hessian.
  case newton(lambda: Double)
  /// Gini impurity: a = signal weight, b = background weight.
  case gini
}

struct GrowSettings {
  var criterion: SplitCriterion
  var depth: Int
  var maxLeaves: Int?
  /// Minimum b-sum of a child (hessian for newton); ignored for Gini.
  var minChildB: Double
  /// Minimum training weight of a child (TMVA MinNodeSize), 0 = off.
  var minNodeWeight: Double
  var minSplitGain: Double
  var threads: Int
}

/// One candidate split: rows with bin ≤ `bin` go left, missing rows to `defaultLeft`.
struct SplitCandidate {
  var feature: Int
  var bin: Int
  var defaultLeft: Bool
  var gain: Double
  var left: NodeSums
}

struct NodeSums {
  var a = 0.0, b = 0.0, w = 0.0
  static func - (x: NodeSums, y: NodeSums) -> NodeSums { NodeSums(a: x.a - y.a, b: x.b - y.b, w: x.w - y.w) }
}

/// A grown tree in binned form. Leaves keep their row range in the grower's row index.
struct GrownTree {
  var feature: [Int] = []        // -1 = leaf
  var bin: [Int] = []
  var defaultLeft: [Bool] = []
  var left: [Int] = []
  var right: [Int] = []
  var gain: [Double] = []
  var sums: [NodeSums] = []
  var rowRange: [Range<Int>] = []

  /// The leaf reached by binned row `row`.
  @inline(__always)
  func leaf(ofRow row: Int, bins: UnsafeBufferPointer<UInt8>, rowCount: Int) -> Int {
    var n = 0
    while feature[n] >= 0 {
      let b = Int(bins[feature[n] * rowCount + row])
      let goLeft = b == BinnedMatrix.missingBin ? defaultLeft[n] : b <= bin[n]
      n = goLeft ? left[n] : right[n]
    }
    return n
  }
}

/// Grows one tree from per-row statistics with histograms (subtraction trick), depth-wise or
/// leaf-wise. Histograms are summed over fixed row blocks in block order: the tree does not
/// depend on the thread count.
final class TreeGrower {
  static let blockSize = 32_768
  let matrix: BinnedMatrix
  let settings: GrowSettings
  /// Histogram slots per bin: (a, b) or (a, b, w) when a node-size limit needs weights.
  let stride: Int
  let histSize: Int
  let binCounts: [Int]
  /// Row indices (into the binned matrix), partitioned so each node owns a contiguous range.
  var rowIndex: [UInt32]
  var scratch: [UInt32]

  init(matrix: BinnedMatrix, settings: GrowSettings) {
    self.matrix = matrix
    self.settings = settings
    stride = (settings.minNodeWeight > 0 && { if case .newton = settings.criterion { return true } else { return false } }()) ? 3 : 2
    histSize = matrix.featureCount * BinnedMatrix.slots * stride
    binCounts = matrix.cuts.map { $0.count + 1 }
    rowIndex = []
    scratch = []
  }

  /// Grows a tree over `rows` with per-row statistics `a`, `b` (and weights `w` for node size),
  /// considering only `features`.
  func grow(rows: [UInt32], a: [Float], b: [Float], w: [Float], features: [Int]) -> GrownTree {
    rowIndex = rows
    if scratch.count < rows.count { scratch = [UInt32](repeating: 0, count: rows.count) }
    var tree = GrownTree()
    var hists: [Int: [Double]] = [:]
    let rootHist = buildHistograms(ranges: [0..<rows.count], a: a, b: b, w: w, features: features)[0]
    let rootSums = totals(rootHist, features: features)
    tree.append(sums: rootSums, range: 0..<rows.count)
    var best: [Int: SplitCandidate] = [:]
    var depthOf: [Int] = [0]
    if settings.depth > 0 {
      hists[0] = rootHist
      best[0] = bestSplit(rootHist, sums: rootSums, features: features)
    }

    /// Splits `parents` (each with a best split), builds children histograms, finds their splits.
    func expand(_ parents: [Int]) -> [Int] {
      var children: [Int] = []
      var smaller: [(child: Int, sibling: Int, parent: Int)] = []
      for p in parents {
        let s = best[p]!
        let range = tree.rowRange[p]
        let nLeft = partition(range, split: s)
        let l = tree.append(sums: s.left, range: range.lowerBound..<(range.lowerBound + nLeft))
        let r = tree.append(sums: tree.sums[p] - s.left, range: (range.lowerBound + nLeft)..<range.upperBound)
        tree.feature[p] = s.feature; tree.bin[p] = s.bin; tree.defaultLeft[p] = s.defaultLeft
        tree.gain[p] = s.gain; tree.left[p] = l; tree.right[p] = r
        depthOf.append(depthOf[p] + 1); depthOf.append(depthOf[p] + 1)
        children += [l, r]
        if depthOf[p] + 1 < settings.depth {
          smaller.append(tree.rowRange[l].count <= tree.rowRange[r].count ? (l, r, p) : (r, l, p))
        }
        best[p] = nil
      }
      if !smaller.isEmpty {
        let built = buildHistograms(ranges: smaller.map { tree.rowRange[$0.child] }, a: a, b: b, w: w, features: features)
        for (k, s) in smaller.enumerated() {
          let small = built[k]
          var large = hists[s.parent]!
          hists[s.parent] = nil
          large.withUnsafeMutableBufferPointer { lp in
            small.withUnsafeBufferPointer { sp in
              for i in 0..<lp.count { lp[i] -= sp[i] }
            }
          }
          for (node, h) in [(s.child, small), (s.sibling, large)] {
            best[node] = bestSplit(h, sums: tree.sums[node], features: features)
            // Only a node that may still split needs its histogram (for its children's subtraction).
            if best[node] != nil { hists[node] = h }
          }
        }
      }
      for p in parents { hists[p] = nil }
      return children
    }

    if let maxLeaves = settings.maxLeaves {
      var leaves = 1
      while leaves < maxLeaves {
        // Best-first: the leaf with the largest gain (lowest id on ties).
        var pick: Int? = nil
        for (node, s) in best where pick == nil || s.gain > best[pick!]!.gain || (s.gain == best[pick!]!.gain && node < pick!) {
          pick = node
        }
        guard let p = pick else { break }
        _ = expand([p])
        leaves += 1
      }
    } else {
      var frontier = [0]
      for _ in 0..<settings.depth {
        let parents = frontier.filter { best[$0] != nil }
        if parents.isEmpty { break }
        frontier = expand(parents)
      }
    }
    return tree
  }

  /// Total (a, b, w) of a node from its histogram (any one feature's bins sum to the node).
  func totals(_ hist: [Double], features: [Int]) -> NodeSums {
    var s = NodeSums()
    let f = features[0]
    let base = f * BinnedMatrix.slots * stride
    for slot in 0..<BinnedMatrix.slots {
      s.a += hist[base + slot * stride]
      s.b += hist[base + slot * stride + 1]
      if stride == 3 { s.w += hist[base + slot * stride + 2] }
    }
    if stride == 2 { s.w = s.a + s.b }
    return s
  }

  /// Histograms of several row ranges at once: (range, fixed block) tasks run in parallel and
  /// are summed per range in task order.
  func buildHistograms(ranges: [Range<Int>], a: [Float], b: [Float], w: [Float], features: [Int]) -> [[Double]] {
    var tasks: [(node: Int, rows: Range<Int>)] = []
    for (k, r) in ranges.enumerated() {
      for blk in ParallelBlocks.blockRanges(count: r.count, blockSize: Self.blockSize) {
        tasks.append((k, (r.lowerBound + blk.lowerBound)..<(r.lowerBound + blk.upperBound)))
      }
    }
    let stride = self.stride, histSize = self.histSize, n = matrix.rowCount
    let partials: [[Double]] = rowIndex.withUnsafeBufferPointer { idx in
      matrix.bins.withUnsafeBufferPointer { bins in
        a.withUnsafeBufferPointer { ap in
          b.withUnsafeBufferPointer { bp in
            w.withUnsafeBufferPointer { wp in
              ParallelBlocks.map(count: tasks.count, blockSize: 1, threads: settings.threads) { t -> [Double] in
                let rows = tasks[t.lowerBound].rows
                var hist = [Double](repeating: 0, count: histSize)
                let m = rows.count
                var ga = [Float](repeating: 0, count: m), gb = ga, gw = stride == 3 ? ga : []
                for i in 0..<m {
                  let r = Int(idx[rows.lowerBound + i])
                  ga[i] = ap[r]; gb[i] = bp[r]
                  if stride == 3 { gw[i] = wp[r] }
                }
                hist.withUnsafeMutableBufferPointer { h in
                  for f in features {
                    let col = bins.baseAddress! + f * n
                    let hp = h.baseAddress! + f * BinnedMatrix.slots * stride
                    let ip = idx.baseAddress! + rows.lowerBound
                    if stride == 2 {
                      for i in 0..<m {
                        let s = Int(col[Int(ip[i])]) &* 2
                        hp[s] += Double(ga[i])
                        hp[s &+ 1] += Double(gb[i])
                      }
                    } else {
                      for i in 0..<m {
                        let s = Int(col[Int(ip[i])]) &* 3
                        hp[s] += Double(ga[i])
                        hp[s &+ 1] += Double(gb[i])
                        hp[s &+ 2] += Double(gw[i])
                      }
                    }
                  }
                }
                return hist
              }
            }
          }
        }
      }
    }
    var out = [[Double]](repeating: [], count: ranges.count)
    for (t, p) in zip(tasks, partials) {
      if out[t.node].isEmpty { out[t.node] = p; continue }
      out[t.node].withUnsafeMutableBufferPointer { o in
        for i in 0..<o.count { o[i] += p[i] }
      }
    }
    for k in 0..<out.count where out[k].isEmpty { out[k] = [Double](repeating: 0, count: histSize) }
    return out
  }

  @inline(__always)
  func score(_ s: NodeSums) -> Double {
    switch settings.criterion {
    case .newton(let lambda):
      let d = s.b + lambda
      return d > 1e-12 ? s.a * s.a / d : 0
    case .gini:
      // Weighted Gini impurity W·2p(1−p) = 2·s·b/(s+b); lower is purer.
      let t = s.a + s.b
      return t > 0 ? -2 * s.a * s.b / t : 0
    }
  }

  @inline(__always)
  func allowed(_ s: NodeSums) -> Bool {
    switch settings.criterion {
    case .newton(let lambda):
      if !(s.b >= settings.minChildB) || !(s.b + lambda > 1e-12) { return false }
    case .gini:
      if !(s.a + s.b > 0) { return false }
    }
    return settings.minNodeWeight <= 0 || s.w >= settings.minNodeWeight
  }

  /// The best split of a node from its histogram, or nil if no split gains enough.
  func bestSplit(_ hist: [Double], sums: NodeSums, features: [Int]) -> SplitCandidate? {
    let parentScore = score(sums)
    var best: SplitCandidate? = nil
    let st = stride
    let gini: Bool = { if case .gini = settings.criterion { return true } else { return false } }()
    for f in features {
      let nb = binCounts[f]
      if nb < 2 { continue }
      let base = f * BinnedMatrix.slots * st
      func at(_ slot: Int) -> NodeSums {
        let o = base + slot * st
        let a = hist[o], b = hist[o + 1]
        return NodeSums(a: a, b: b, w: st == 3 ? hist[o + 2] : a + b)
      }
      let miss = at(BinnedMatrix.missingBin)
      let missEmpty = miss.a == 0 && miss.b == 0 && miss.w == 0
      var acc = NodeSums()
      for bin in 0..<(nb - 1) {
        let h = at(bin)
        acc.a += h.a; acc.b += h.b; acc.w += h.w
        for option in 0..<(missEmpty ? 1 : 2) {
          let missLeft = option == 1
          let l = missLeft ? NodeSums(a: acc.a + miss.a, b: acc.b + miss.b, w: acc.w + miss.w) : acc
          let r = sums - l
          guard allowed(l), allowed(r) else { continue }
          let gain = (gini ? 1.0 : 0.5) * (score(l) + score(r) - parentScore)
          if best == nil || gain > best!.gain {
            // With no missing rows in this node, unseen NaN follows the heavier child.
            let dl = missEmpty ? (gini ? l.w >= r.w : l.b >= r.b) : missLeft
            best = SplitCandidate(feature: f, bin: bin, defaultLeft: dl, gain: gain, left: l)
          }
        }
      }
    }
    guard let b = best else { return nil }
    // A relative tolerance keeps rounding noise from creating splits that gain nothing.
    let tol = 1e-10 * Swift.max(1, Swift.abs(parentScore))
    return b.gain > Swift.max(settings.minSplitGain, tol) ? b : nil
  }

  /// Stable partition of a node's rows; returns the number going left.
  func partition(_ range: Range<Int>, split: SplitCandidate) -> Int {
    let n = matrix.rowCount
    let bs = 65_536
    let blocks = ParallelBlocks.blockRanges(count: range.count, blockSize: bs)
    let f = split.feature, cut = split.bin, dl = split.defaultLeft
    @inline(__always) func goesLeft(_ b: UInt8) -> Bool {
      Int(b) == BinnedMatrix.missingBin ? dl : Int(b) <= cut
    }
    return matrix.bins.withUnsafeBufferPointer { bins in
      let col = bins.baseAddress! + f * n
      return rowIndex.withUnsafeMutableBufferPointer { idx in
        scratch.withUnsafeMutableBufferPointer { scr in
          let lefts = ParallelBlocks.map(count: range.count, blockSize: bs, threads: settings.threads) { r -> Int in
            var c = 0
            for i in r where goesLeft(col[Int(idx[range.lowerBound + i])]) { c += 1 }
            return c
          }
          let totalLeft = lefts.reduce(0, +)
          var leftOff = [Int](repeating: 0, count: blocks.count), rightOff = leftOff
          var lo = 0, ro = 0
          for k in 0..<blocks.count {
            leftOff[k] = lo; rightOff[k] = ro
            lo += lefts[k]; ro += blocks[k].count - lefts[k]
          }
          let idxP = idx, scrP = scr
          ParallelBlocks.forEach(count: range.count, blockSize: bs, threads: settings.threads) { r in
            let k = r.lowerBound / bs
            var l = range.lowerBound + leftOff[k]
            var rr = range.lowerBound + totalLeft + rightOff[k]
            for i in r {
              let row = idxP[range.lowerBound + i]
              if goesLeft(col[Int(row)]) { scrP[l] = row; l += 1 } else { scrP[rr] = row; rr += 1 }
            }
          }
          for i in range { idx[i] = scr[i] }
          return totalLeft
        }
      }
    }
  }
}

extension GrownTree {
  @discardableResult
  mutating func append(sums: NodeSums, range: Range<Int>) -> Int {
    feature.append(-1); bin.append(0); defaultLeft.append(false); left.append(-1); right.append(-1)
    gain.append(0); self.sums.append(sums); rowRange.append(range)
    return feature.count - 1
  }
}
