import CascadeSupport
import Foundation

/// Binary-logistic gradient boosting with Newton leaves (XGBoost's `binary:logistic`).
struct GradientBooster {
  var data: PreparedTraining
  var progress: (@Sendable (Int, Int) -> Void)?
  init(_ data: PreparedTraining) { self.data = data }

  mutating func run() -> Forest {
    let p = data.parameters
    let n = data.matrix.rowCount
    // Base score: the weighted signal fraction of the fit rows.
    var sw = 0.0, sy = 0.0
    for r in data.fitRows { sw += data.weight[Int(r)]; sy += data.weight[Int(r)] * Double(data.label[Int(r)]) }
    let p0 = Swift.min(Swift.max(sy / sw, 1e-6), 1 - 1e-6)
    let base = Foundation.log(p0 / (1 - p0))
    var forest = Forest(featureNames: data.featureNames, boost: .gradient, baseMargin: base)
    var margin = [Double](repeating: base, count: n)
    var g = [Float](repeating: 0, count: n), h = g
    let w: [Float] = p.minNodeSize > 0 ? data.weight.map { Float($0) } : []
    let grower = TreeGrower(matrix: data.matrix, settings: data.growSettings)
    var stopper = EarlyStopper(patience: p.earlyStopping)
    for t in 0..<p.trees {
      computeGradients(margin: margin, g: &g, h: &h)
      data.flatness?.addGradients(margin: margin, g: &g)
      let (rows, all) = data.sampleRows()
      let features = data.sampleFeatures()
      if w.isEmpty { grower.quantized = QuantizedStats(a: g, b: h, rows: rows, threads: p.threads) }
      let tree = grower.grow(rows: rows, a: g, b: h, w: w, features: features)
      let leaves = (0..<tree.feature.count).filter { tree.feature[$0] < 0 }
      var leafValue = [Double](repeating: 0, count: tree.feature.count)
      grower.rowIndex.withUnsafeBufferPointer { idx in
        g.withUnsafeBufferPointer { gp in
          h.withUnsafeBufferPointer { hp in
            // Leaf values from the exact gradient sums of each leaf's rows (splits may have been
            // chosen on quantised histograms); leaves in parallel, each summed in row order.
            let values = ParallelBlocks.map(count: leaves.count, blockSize: 1, threads: p.threads) { r -> Double in
              var sg = 0.0, sh = 0.0
              for i in tree.rowRange[leaves[r.lowerBound]] { sg += Double(gp[Int(idx[i])]); sh += Double(hp[Int(idx[i])]) }
              let d = sh + p.lambda
              // Guard for signed weights: a non-positive hessian sum gives no step rather than ±∞.
              return d > 1e-12 ? Double(Float(-sg / d * p.learningRate)) : 0
            }
            for (k, v) in zip(leaves, values) { leafValue[k] = v }
          }
        }
        margin.withUnsafeMutableBufferPointer { mp in
          let m = mp
          // Leaves own disjoint rows: updating them in parallel is race-free.
          ParallelBlocks.forEach(count: leaves.count, blockSize: 1, threads: p.threads) { r in
            let k = leaves[r.lowerBound]
            let v = leafValue[k]
            for i in tree.rowRange[k] { m[Int(idx[i])] += v }
          }
        }
      }
      if !all {
        let rest = data.complement(of: rows)
        for (r, leaf) in zip(rest, data.leaves(of: tree, rows: rest)) { margin[Int(r)] += leafValue[leaf] }
      }
      data.append(tree, to: &forest, weight: 1, leafValue: leafValue, cover: { $0.b })
      progress?(t + 1, p.trees)
      if !data.validationRows.isEmpty {
        let vr = data.validationRows
        for (r, leaf) in zip(vr, data.leaves(of: tree, rows: vr)) { margin[Int(r)] += leafValue[leaf] }
        let loss = validationLoss(margin: margin)
        forest.validationLoss.append(loss)
        if stopper.record(loss, trees: t + 1) { break }
      }
    }
    if p.earlyStopping > 0 && stopper.bestTrees > 0 {
      forest.truncate(toTrees: stopper.bestTrees)
      forest.validationLoss = Array(forest.validationLoss.prefix(stopper.bestTrees))
    }
    return forest
  }

  /// g = w·(p − y), h = w·p·(1 − p), per row in fixed blocks.
  func computeGradients(margin: [Double], g: inout [Float], h: inout [Float]) {
    let n = margin.count
    data.label.withUnsafeBufferPointer { y in
      data.weight.withUnsafeBufferPointer { w in
        margin.withUnsafeBufferPointer { m in
          g.withUnsafeMutableBufferPointer { gp in
            h.withUnsafeMutableBufferPointer { hp in
              let gg = gp, hh = hp
              ParallelBlocks.forEach(count: n, blockSize: 65_536, threads: data.parameters.threads) { r in
                for i in r {
                  let pr = 1 / (1 + Foundation.exp(-m[i]))
                  gg[i] = Float(w[i] * (pr - Double(y[i])))
                  hh[i] = Float(w[i] * Swift.max(pr * (1 - pr), 1e-16))
                }
              }
            }
          }
        }
      }
    }
  }

  /// Weighted binary log-loss of the validation rows, summed in fixed blocks.
  func validationLoss(margin: [Double]) -> Double {
    let vr = data.validationRows
    let parts = ParallelBlocks.map(count: vr.count, blockSize: 65_536, threads: data.parameters.threads) { r -> (Double, Double) in
      var l = 0.0, sw = 0.0
      for k in r {
        let i = Int(vr[k])
        let m = margin[i]
        // log(1 + e^{−m}) for signal, log(1 + e^{m}) for background, computed stably.
        let z = data.label[i] == 1 ? -m : m
        let loss = z > 0 ? z + Foundation.log1p(Foundation.exp(-z)) : Foundation.log1p(Foundation.exp(z))
        l += data.weight[i] * loss
        sw += data.weight[i]
      }
      return (l, sw)
    }
    let l = parts.reduce(0) { $0 + $1.0 }, sw = parts.reduce(0) { $0 + $1.1 }
    return sw != 0 ? l / sw : 0
  }
}
