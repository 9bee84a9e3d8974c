import CascadeSupport
import Foundation

/// Discrete AdaBoost as in TMVA's default BDT: Gini-split trees with ±1 leaves, misclassified
/// events boosted by ((1 − err)/err)^β, tree weight α = β·ln((1 − err)/err), score Σα·h/Σα.
struct AdaBooster {
  var data: PreparedTraining
  var progress: (@Sendable (Int, Int) -> Void)?
  init(_ data: PreparedTraining) { self.data = data }

  mutating func run() -> Forest {
    let p = data.parameters
    let n = data.matrix.rowCount
    var forest = Forest(featureNames: data.featureNames, boost: .adaboost, baseMargin: 0)
    var boosted = data.weight
    let target = Double(data.fitRows.count)
    var sig = [Float](repeating: 0, count: n), bkg = sig
    var validationMargin = [Double](repeating: 0, count: n)
    let grower = TreeGrower(matrix: data.matrix, settings: data.growSettings)
    var stopper = EarlyStopper(patience: p.earlyStopping)
    for t in 0..<p.trees {
      for r in data.fitRows {
        let i = Int(r)
        if data.label[i] == 1 { sig[i] = Float(boosted[i]); bkg[i] = 0 } else { sig[i] = 0; bkg[i] = Float(boosted[i]) }
      }
      let (rows, all) = data.sampleRows()
      let tree = grower.grow(rows: rows, a: sig, b: bkg, w: [], features: data.sampleFeatures())
      var leafValue = [Double](repeating: 0, count: tree.feature.count)
      for k in 0..<tree.feature.count where tree.feature[k] < 0 {
        let s = tree.sums[k]
        leafValue[k] = s.a + s.b > 0 && s.a / (s.a + s.b) >= 0.5 ? 1 : -1
      }
      // Prediction of every fit row: from the leaf ranges, plus traversal for unsampled rows.
      var h = [Double](repeating: 0, count: n)
      grower.rowIndex.withUnsafeBufferPointer { idx in
        for k in 0..<tree.feature.count where tree.feature[k] < 0 {
          for i in tree.rowRange[k] { h[Int(idx[i])] = leafValue[k] }
        }
      }
      if !all {
        let rest = data.complement(of: rows)
        for (r, leaf) in zip(rest, data.leaves(of: tree, rows: rest)) { h[Int(r)] = leafValue[leaf] }
      }
      var wrong = 0.0, total = 0.0
      for r in data.fitRows {
        let i = Int(r)
        total += boosted[i]
        if (h[i] > 0) != (data.label[i] == 1) { wrong += boosted[i] }
      }
      let err = total != 0 ? wrong / total : 0.5
      var alpha: Double
      var stop = false
      if !(err < 0.5) {
        // No better than chance: keep a first tree so the model is usable, otherwise stop.
        if t > 0 { break }
        alpha = 1
        stop = true
      } else if err <= 1e-10 {
        // A perfect tree: further boosting cannot change the weights meaningfully.
        alpha = p.beta * Foundation.log((1 - 1e-10) / 1e-10)
        stop = true
      } else {
        alpha = p.beta * Foundation.log((1 - err) / err)
      }
      data.append(tree, to: &forest, weight: alpha, leafValue: leafValue, cover: { $0.a + $0.b })
      progress?(t + 1, p.trees)
      if !stop {
        let boost = Foundation.exp(alpha)
        var newTotal = 0.0
        for r in data.fitRows {
          let i = Int(r)
          if (h[i] > 0) != (data.label[i] == 1) { boosted[i] *= boost }
          newTotal += boosted[i]
        }
        if newTotal > 0 { for r in data.fitRows { boosted[Int(r)] *= target / newTotal } }
      }
      if !data.validationRows.isEmpty {
        let vr = data.validationRows
        var wrongV = 0.0, totalV = 0.0
        for (r, leaf) in zip(vr, data.leaves(of: tree, rows: vr)) {
          let i = Int(r)
          validationMargin[i] += alpha * leafValue[leaf]
          let m = validationMargin[i]
          let miss = m == 0 ? 0.5 : ((m > 0) != (data.label[i] == 1) ? 1 : 0)
          wrongV += data.weight[i] * miss
          totalV += data.weight[i]
        }
        let loss = totalV != 0 ? wrongV / totalV : 0
        forest.validationLoss.append(loss)
        if stopper.record(loss, trees: t + 1) { break }
      }
      if stop { break }
    }
    if p.earlyStopping > 0 && stopper.bestTrees > 0 {
      forest.truncate(toTrees: stopper.bestTrees)
      forest.validationLoss = Array(forest.validationLoss.prefix(stopper.bestTrees))
    }
    return forest
  }
}
