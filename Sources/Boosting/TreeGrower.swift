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
  static let blockSize = 16_384
  let matrix: BinnedMatrix
  let settings: GrowSettings
  /// Histogram slots per bin: (a, b) or (a, b, w) when a node-size limit needs weights.
  let stride: Int
  let histSize: Int
  let binCounts: [Int]
  /// Row indices (into the binned matrix), partitioned so each node owns a contiguous range.
  var rowIndex: [UInt32]
  var scratch: [UInt32]
  var scratchRight: [UInt32] = []

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
  /// Quantised statistics for the fast histogram path: per row `(qa << 32) + qb` with
  /// |qa|, |qb| ≤ `QuantizedStats.maxLevel`, and the scales back to (a, b).
  var quantized: QuantizedStats? = nil

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
                let m = rows.count
                let ip = idx.baseAddress! + rows.lowerBound
                if let q = quantized, stride == 2 {
                  return matrix.rowMajor.withUnsafeBufferPointer { rm in
                    q.histogram(rows: ip, count: m, rowMajor: rm.baseAddress!, featureCount: matrix.featureCount, rowStride: matrix.rowStride, features: features, size: histSize)
                  }
                }
                // Gather the rows' statistics once (as Double), then sweep feature by feature:
                // each feature's 256-bin histogram stays in L1 while its column is read.
                let gh = UnsafeMutablePointer<Double>.allocate(capacity: stride * m)
                defer { gh.deallocate() }
                for i in 0..<m {
                  let r = Int(ip[i])
                  gh[stride &* i] = Double(ap[r])
                  gh[stride &* i &+ 1] = Double(bp[r])
                  if stride == 3 { gh[3 &* i &+ 2] = Double(wp[r]) }
                }
                var hist = [Double](repeating: 0, count: histSize)
                let local: UnsafeMutablePointer<Double>? = stride == 2 && m >= 512 ? .allocate(capacity: 2048) : nil
                defer { local?.deallocate() }
                hist.withUnsafeMutableBufferPointer { h in
                  for f in features {
                    let col = bins.baseAddress! + f &* n
                    let hp = h.baseAddress! + f &* BinnedMatrix.slots &* stride
                    if stride == 2 && m >= 512 {
                      // Four interleaved copies of the histogram: consecutive rows that hit the
                      // same bin no longer wait on each other's store (a serial add chain).
                      let loc = local!
                      loc.update(repeating: 0, count: 2048)
                      var i = 0
                      while i &+ 4 <= m {
                        let s0 = Int(col[Int(ip[i])]) &<< 1
                        let s1 = (Int(col[Int(ip[i &+ 1])]) &<< 1) &+ 512
                        let s2 = (Int(col[Int(ip[i &+ 2])]) &<< 1) &+ 1024
                        let s3 = (Int(col[Int(ip[i &+ 3])]) &<< 1) &+ 1536
                        let g = gh + (i &<< 1)
                        loc[s0] += g[0]; loc[s0 &+ 1] += g[1]
                        loc[s1] += g[2]; loc[s1 &+ 1] += g[3]
                        loc[s2] += g[4]; loc[s2 &+ 1] += g[5]
                        loc[s3] += g[6]; loc[s3 &+ 1] += g[7]
                        i &+= 4
                      }
                      while i < m {
                        let s = Int(col[Int(ip[i])]) &<< 1
                        loc[s] += gh[i &<< 1]
                        loc[s &+ 1] += gh[(i &<< 1) &+ 1]
                        i &+= 1
                      }
                      for k in 0..<512 { hp[k] = (loc[k] + loc[k &+ 512]) + (loc[k &+ 1024] + loc[k &+ 1536]) }
                    } else if stride == 2 {
                      var i = 0
                      while i < m {
                        let s = Int(col[Int(ip[i])]) &<< 1
                        hp[s] += gh[i &<< 1]
                        hp[s &+ 1] += gh[(i &<< 1) &+ 1]
                        i &+= 1
                      }
                    } else {
                      for i in 0..<m {
                        let s = Int(col[Int(ip[i])]) &* 3
                        hp[s] += gh[3 &* i]
                        hp[s &+ 1] += gh[3 &* i &+ 1]
                        hp[s &+ 2] += gh[3 &* i &+ 2]
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
    if case .newton(let lambda) = settings.criterion, stride == 2 {
      return bestNewtonSplit(hist, sums: sums, features: features, lambda: lambda)
    }
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

  /// `bestSplit` for Newton statistics without a node-weight limit (the usual gradient case):
  /// the same candidates in the same order with the same arithmetic, minus what that case never
  /// reads (the weight sums, the criterion switch).
  func bestNewtonSplit(_ hist: [Double], sums: NodeSums, features: [Int], lambda: Double) -> SplitCandidate? {
    let parentScore = score(sums)
    let minChildB = settings.minChildB
    var found = false
    var best = SplitCandidate(feature: 0, bin: 0, defaultLeft: false, gain: 0, left: NodeSums())
    hist.withUnsafeBufferPointer { hb in
      for f in features {
        let nb = binCounts[f]
        if nb < 2 { continue }
        let h = hb.baseAddress! + f * BinnedMatrix.slots * 2
        let missA = h[2 * BinnedMatrix.missingBin], missB = h[2 * BinnedMatrix.missingBin + 1]
        let missW = missA + missB
        let missEmpty = missA == 0 && missB == 0 && missW == 0
        var accA = 0.0, accB = 0.0
        for bin in 0..<(nb - 1) {
          accA += h[2 &* bin]; accB += h[2 &* bin &+ 1]
          for option in 0..<(missEmpty ? 1 : 2) {
            let missLeft = option == 1
            let la = missLeft ? accA + missA : accA, lb = missLeft ? accB + missB : accB
            let ra = sums.a - la, rb = sums.b - lb
            let ld = lb + lambda, rd = rb + lambda
            guard lb >= minChildB, ld > 1e-12, rb >= minChildB, rd > 1e-12 else { continue }
            let gain = 0.5 * (la * la / ld + ra * ra / rd - parentScore)
            if !found || gain > best.gain {
              found = true
              let dl = missEmpty ? lb >= rb : missLeft
              best = SplitCandidate(feature: f, bin: bin, defaultLeft: dl, gain: gain, left: NodeSums(a: la, b: lb, w: 0))
            }
          }
        }
      }
    }
    guard found else { return nil }
    // The weight sum of the chosen left side, accumulated bin by bin as `bestSplit` does.
    let h = hist, base = best.feature * BinnedMatrix.slots * 2
    var accW = 0.0
    for bin in 0...best.bin { accW += h[base + 2 * bin] + h[base + 2 * bin + 1] }
    let missW = h[base + 2 * BinnedMatrix.missingBin] + h[base + 2 * BinnedMatrix.missingBin + 1]
    let missEmpty = h[base + 2 * BinnedMatrix.missingBin] == 0 && h[base + 2 * BinnedMatrix.missingBin + 1] == 0 && missW == 0
    best.left.w = !missEmpty && best.defaultLeft ? accW + missW : accW
    let tol = 1e-10 * Swift.max(1, Swift.abs(parentScore))
    return best.gain > Swift.max(settings.minSplitGain, tol) ? best : nil
  }

  /// Stable partition of a node's rows; returns the number going left. Each fixed block splits
  /// its rows branch-free into two scratch areas, then the pieces are copied into place in
  /// block order.
  func partition(_ range: Range<Int>, split: SplitCandidate) -> Int {
    let n = matrix.rowCount
    let bs = 65_536
    let blocks = ParallelBlocks.blockRanges(count: range.count, blockSize: bs)
    let f = split.feature
    let cut = UInt8(split.bin), dl: UInt8 = split.defaultLeft ? 1 : 0
    if scratchRight.count < scratch.count { scratchRight = scratch }
    return matrix.bins.withUnsafeBufferPointer { bins in
      let col = bins.baseAddress! + f * n
      return rowIndex.withUnsafeMutableBufferPointer { idx in
        scratch.withUnsafeMutableBufferPointer { scl in
          scratchRight.withUnsafeMutableBufferPointer { scr in
            let idxP = idx.baseAddress! + range.lowerBound
            let lp = scl.baseAddress! + range.lowerBound, rp = scr.baseAddress! + range.lowerBound
            let lefts = ParallelBlocks.map(count: range.count, blockSize: bs, threads: settings.threads) { r -> Int in
              var l = r.lowerBound, rr = r.lowerBound
              for i in r {
                let row = idxP[i]
                let b = col[Int(row)]
                // Missing (bin 255) is never ≤ cut: it goes left only by default direction.
                let goLeft = (b <= cut ? 1 : 0) | ((b == 255 ? 1 : 0) & Int(dl))
                lp[l] = row
                rp[rr] = row
                l &+= goLeft
                rr &+= 1 &- goLeft
              }
              return l - r.lowerBound
            }
            let totalLeft = lefts.reduce(0, +)
            var lo = 0, ro = totalLeft
            for (k, blk) in blocks.enumerated() {
              let nl = lefts[k], nr = blk.count - lefts[k]
              (idxP + lo).update(from: lp + blk.lowerBound, count: nl)
              (idxP + ro).update(from: rp + blk.lowerBound, count: nr)
              lo += nl; ro += nr
            }
            return totalLeft
          }
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

/// Gradient statistics quantised to integers for histogram building (as LightGBM's quantised
/// training): both values of a row packed in one Int64, so a bin update is one integer add, and
/// integer sums do not depend on the order of addition. Within one block of ≤ 16 384 rows the
/// packed halves cannot overflow; blocks are decoded to Double and summed in block order.
struct QuantizedStats {
  /// 2^31 / 16 384 − 1: the largest level whose block sums fit in 31 bits.
  static let maxLevel = 131_071.0
  let packed: [Int64]
  let scaleA: Double
  let scaleB: Double

  init(a: [Float], b: [Float], rows: [UInt32], threads: Int) {
    // Maxima do not depend on the order of evaluation: blocks in parallel are deterministic.
    let maxima = ParallelBlocks.map(count: rows.count, blockSize: 65_536, threads: threads) { r -> (Float, Float) in
      var ma: Float = 0, mb: Float = 0
      for k in r {
        let i = Int(rows[k])
        ma = Swift.max(ma, Swift.abs(a[i])); mb = Swift.max(mb, Swift.abs(b[i]))
      }
      return (ma, mb)
    }
    let maxA = maxima.map(\.0).max() ?? 0, maxB = maxima.map(\.1).max() ?? 0
    let sa = maxA > 0 ? Double(maxA) / Self.maxLevel : 1
    let sb = maxB > 0 ? Double(maxB) / Self.maxLevel : 1
    var p = [Int64](repeating: 0, count: a.count)
    p.withUnsafeMutableBufferPointer { pb in
      let pp = pb
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          ParallelBlocks.forEach(count: rows.count, blockSize: 65_536, threads: threads) { r in
            for k in r {
              let i = Int(rows[k])
              // Round half away from zero by hand (a libm call per row is measurable here).
              let va = Double(ap[i]) / sa, vb = Double(bp[i]) / sb
              let qa = Int64(va + (va >= 0 ? 0.5 : -0.5)), qb = Int64(vb + (vb >= 0 ? 0.5 : -0.5))
              pp[i] = (qa << 32) &+ qb
            }
          }
        }
      }
    }
    packed = p
    scaleA = sa
    scaleB = sb
  }

  /// Adds `q` to the bins of eight consecutive features (one byte each of `word`, lowest
  /// first) in their 256-entry histograms at `h`.
  @inline(__always)
  static func add8(_ word: UInt64, _ q: Int64, _ h: UnsafeMutablePointer<Int64>) {
    h[Int(word & 255)] &+= q
    h[256 | Int((word &>> 8) & 255)] &+= q
    h[512 | Int((word &>> 16) & 255)] &+= q
    h[768 | Int((word &>> 24) & 255)] &+= q
    h[1024 | Int((word &>> 32) & 255)] &+= q
    h[1280 | Int((word &>> 40) & 255)] &+= q
    h[1536 | Int((word &>> 48) & 255)] &+= q
    h[1792 | Int(word &>> 56)] &+= q
  }

  /// Histogram (a, b as Double, stride 2) of `count` rows of one block.
  func histogram(
    rows ip: UnsafePointer<UInt32>, count m: Int, rowMajor: UnsafePointer<UInt8>, featureCount nf: Int,
    rowStride rs: Int, features: [Int], size: Int
  ) -> [Double] {
    precondition(m <= TreeGrower.blockSize)
    var hist = [Double](repeating: 0, count: size)
    // One 256-bin Int64 histogram per feature (all features: 22 KB for 11, L1-resident).
    let loc = UnsafeMutablePointer<Int64>.allocate(capacity: 256 * nf)
    loc.initialize(repeating: 0, count: 256 * nf)
    defer { loc.deallocate() }
    // Pass 1 gathers the block's rows (statistics and bins) into contiguous buffers: a short
    // loop, so the CPU keeps many cache misses in flight. Pass 2 then reads sequentially.
    let q = UnsafeMutablePointer<Int64>.allocate(capacity: m)
    let words = rs >> 3
    let rbw = UnsafeMutablePointer<UInt64>.allocate(capacity: m &* words)
    defer { q.deallocate(); rbw.deallocate() }
    let srcw = UnsafeRawPointer(rowMajor).assumingMemoryBound(to: UInt64.self)
    packed.withUnsafeBufferPointer { pp in
      for i in 0..<m {
        let r = Int(ip[i])
        q[i] = pp[r]
        for k in 0..<words { rbw[i &* words &+ k] = srcw[r &* words &+ k] }
      }
    }
    let rb = UnsafeRawPointer(rbw).assumingMemoryBound(to: UInt8.self)
    features.withUnsafeBufferPointer { fs in
      let nfs = fs.count
      if nfs == nf {
        // Every feature: the per-feature adds of one row are independent, so repeated bins
        // do not serialise. A row's bins are read as 8-byte words and split by shifts; the
        // eight adds of a full word are unrolled with constant histogram offsets.
        let fullWords = nf >> 3, tail = nf & 7
        for i in 0..<m {
          let qv = q[i]
          let row = rbw + i &* words
          var wd = 0
          while wd < fullWords {
            Self.add8(row[wd], qv, loc + (wd &<< 11))
            wd &+= 1
          }
          if tail > 0 {
            var v = row[fullWords]
            let lp = loc + (fullWords &<< 11)
            for k in 0..<tail {
              lp[(k &<< 8) | Int(v & 255)] &+= qv
              v &>>= 8
            }
          }
        }
      } else {
        for i in 0..<m {
          let qv = q[i]
          let row = rb + i &* rs
          for k in 0..<nfs {
            let f = fs[k]
            loc[(f &<< 8) | Int(row[f])] &+= qv
          }
        }
      }
    }
    hist.withUnsafeMutableBufferPointer { h in
      for f in features {
        let hp = h.baseAddress! + f &* BinnedMatrix.slots &* 2
        for k in 0..<256 {
          let t = loc[(f &<< 8) | k]
          let qb = Int64(Int32(truncatingIfNeeded: t))
          let qa = (t &- qb) >> 32
          hp[2 &* k] = Double(qa) * scaleA
          hp[2 &* k &+ 1] = Double(qb) * scaleB
        }
      }
    }
    return hist
  }
}
