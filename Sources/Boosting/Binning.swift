import CascadeSupport

/// Per-feature cut points and the column-major `UInt8` bin matrix computed once per training.
///
/// A value `x` falls in bin `#{cuts ≤ x}`, so "bin ≤ b" is exactly `x < cuts[b]`: the binned
/// split used in training and the Float32 comparison used in scoring agree on every value.
/// NaN goes to bin `BinnedMatrix.missingBin`, separate from the ≤ 255 value bins.
struct BinnedMatrix {
  static let missingBin = 255
  static let slots = 256
  /// Rows sampled to find cut points (LightGBM's bin_construct_sample_cnt): quantiles of a
  /// large deterministic sample are as good as exact ones and much cheaper.
  static let cutSampleSize = 200_000

  let rowCount: Int
  let featureCount: Int
  /// Strictly increasing finite cut values per feature (≤ bins − 1 of them).
  let cuts: [[Float]]
  /// `bins[f * rowCount + row]`.
  let bins: [UInt8]
  /// The same bins row by row, `rowMajor[row * rowStride + f]`: histogram building reads
  /// one cache line per row instead of one per feature when a node's rows are scattered.
  let rowMajor: [UInt8]
  /// Bytes per row in `rowMajor`: the feature count rounded up to whole 8-byte words.
  let rowStride: Int

  /// Bins `rows` of `columns` (nil = all rows, in order), cut points from weighted quantiles of
  /// the rows flagged in `cutRows` (with |weight|).
  init(columns: [[Float]], rows: [Int]?, cutRows: [Int], weights: [Double], maxBins: Int, threads: Int) {
    let n = rows?.count ?? (columns.first?.count ?? 0)
    rowCount = n
    featureCount = columns.count
    // Deterministic sample for the quantiles: evenly strided, independent of thread count.
    let sample: [Int]
    if cutRows.count <= Self.cutSampleSize {
      sample = cutRows
    } else {
      let step = Double(cutRows.count) / Double(Self.cutSampleSize)
      sample = (0..<Self.cutSampleSize).map { cutRows[Int(Double($0) * step)] }
    }
    let perFeature = ParallelBlocks.map(count: columns.count, blockSize: 1, threads: threads) { r -> [Float] in
      Self.quantileCuts(values: columns[r.lowerBound], rows: sample, weights: weights, maxBins: maxBins)
    }
    cuts = perFeature
    var out = [UInt8](repeating: 0, count: n * columns.count)
    out.withUnsafeMutableBufferPointer { outBuf in
      let o = outBuf
      for f in 0..<columns.count {
        let padded = Self.padded(perFeature[f])
        let count = perFeature[f].count
        columns[f].withUnsafeBufferPointer { col in
          ParallelBlocks.forEach(count: n, blockSize: 65_536, threads: threads) { range in
            padded.withUnsafeBufferPointer { cb in
              let base = f * n
              if let rows {
                for i in range { o[base + i] = Self.bin(of: col[rows[i]], padded: cb, count: count) }
              } else {
                for i in range { o[base + i] = Self.bin(of: col[i], padded: cb, count: count) }
              }
            }
          }
        }
      }
    }
    bins = out
    let nf = columns.count
    let rs = (nf + 7) & ~7
    rowStride = rs
    var rm = [UInt8](repeating: 0, count: n * rs)
    rm.withUnsafeMutableBufferPointer { rmb in
      out.withUnsafeBufferPointer { cb in
        let r = rmb
        ParallelBlocks.forEach(count: n, blockSize: 65_536, threads: threads) { range in
          for f in 0..<nf {
            let col = cb.baseAddress! + f * n
            for i in range { r[i * rs + f] = col[i] }
          }
        }
      }
    }
    rowMajor = rm
  }

  /// Cuts padded to 255 entries with +∞, for a branch-free fixed-depth search.
  static func padded(_ cuts: [Float]) -> [Float] {
    cuts + [Float](repeating: .infinity, count: 255 - cuts.count)
  }

  /// The bin of `x`: number of cuts ≤ x, found in 8 fixed steps; NaN → `missingBin`.
  @inline(__always)
  static func bin(of x: Float, padded: UnsafeBufferPointer<Float>, count: Int) -> UInt8 {
    if x.isNaN { return UInt8(missingBin) }
    var lo = 0
    var step = 128
    while step > 0 {
      lo &+= padded[lo &+ step &- 1] <= x ? step : 0
      step >>= 1
    }
    // x = +∞ also passes the +∞ padding: clamp to the real cut count.
    return UInt8(truncatingIfNeeded: Swift.min(lo, count))
  }

  /// `pairs` stably sorted by value (the order `sort { $0.0 < $1.0 }`, a stable sort, gives):
  /// an LSD radix sort on order-preserving keys, four 8-bit passes. −0 and +0 compare equal,
  /// so both get the key of +0 and keep their input order. Values must not be NaN.
  static func stableSortedByValue(_ pairs: [(Float, Double)]) -> [(Float, Double)] {
    let n = pairs.count
    var keys = UnsafeMutablePointer<UInt32>.allocate(capacity: n), keys2 = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
    var order = UnsafeMutablePointer<UInt32>.allocate(capacity: n), order2 = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
    let count = UnsafeMutablePointer<Int>.allocate(capacity: 257)
    defer { keys.deallocate(); keys2.deallocate(); order.deallocate(); order2.deallocate(); count.deallocate() }
    pairs.withUnsafeBufferPointer { pp in
      for i in 0..<n {
        let x = pp[i].0 == 0 ? 0 : pp[i].0
        let b = x.bitPattern
        // Negative: flip all bits (larger magnitude sorts first); positive: set the sign bit.
        keys[i] = b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
        order[i] = UInt32(truncatingIfNeeded: i)
      }
    }
    for pass in 0..<4 {
      let shift = UInt32(pass * 8)
      count.initialize(repeating: 0, count: 257)
      for i in 0..<n { count[Int((keys[i] &>> shift) & 255) &+ 1] &+= 1 }
      // Every key has the same digit: the pass would not move anything.
      if (1...256).contains(where: { count[$0] == n }) { continue }
      for d in 0..<256 { count[d &+ 1] &+= count[d] }
      for i in 0..<n {
        let k = keys[i]
        let d = Int((k &>> shift) & 255)
        let at = count[d]
        keys2[at] = k; order2[at] = order[i]
        count[d] = at &+ 1
      }
      swap(&keys, &keys2); swap(&order, &order2)
    }
    return pairs.withUnsafeBufferPointer { pp in (0..<n).map { pp[Int(order[$0])] } }
  }

  /// Weighted quantile cut points: at most `maxBins − 1` distinct data values, each the first
  /// value of a bin. Few distinct values → one bin each.
  static func quantileCuts(values: [Float], rows: [Int], weights: [Double], maxBins: Int) -> [Float] {
    var pairs: [(Float, Double)] = []
    pairs.reserveCapacity(rows.count)
    for r in rows {
      let x = values[r]
      if x.isNaN { continue }
      pairs.append((x, Swift.abs(weights[r])))
    }
    if pairs.isEmpty { return [] }
    pairs = stableSortedByValue(pairs)
    // Distinct values with their total weight.
    var distinct: [Float] = []
    var dw: [Double] = []
    for (x, w) in pairs {
      if let last = distinct.last, last == x { dw[dw.count - 1] += w } else { distinct.append(x); dw.append(w) }
    }
    var total = dw.reduce(0, +)
    if !(total > 0) { dw = dw.map { _ in 1 }; total = Double(dw.count) }
    var cuts: [Float] = []
    if distinct.count <= maxBins {
      cuts = Array(distinct.dropFirst())
    } else {
      var cum = dw[0]
      var k = 1
      for j in 1..<distinct.count {
        if cum >= Double(k) * total / Double(maxBins) && cuts.count < maxBins - 1 {
          cuts.append(distinct[j])
          k = Int(cum * Double(maxBins) / total) + 1
        }
        cum += dw[j]
      }
    }
    return cuts.filter { $0.isFinite }
  }
}
