@testable import Boosting

/// Weighted area under the ROC curve (ties count half), for checking separation.
func auc(_ scores: [Double], _ isSignal: [Bool], _ weights: [Double]? = nil) -> Double {
  let w = weights ?? [Double](repeating: 1, count: scores.count)
  let order = scores.indices.sorted { scores[$0] < scores[$1] }
  var bkgBelow = 0.0, area = 0.0, totalS = 0.0, totalB = 0.0
  var i = 0
  while i < order.count {
    var j = i
    var s = 0.0, b = 0.0
    while j < order.count && scores[order[j]] == scores[order[i]] {
      if isSignal[order[j]] { s += w[order[j]] } else { b += w[order[j]] }
      j += 1
    }
    area += s * (bkgBelow + b / 2)
    bkgBelow += b
    totalS += s; totalB += b
    i = j
  }
  return area / (totalS * totalB)
}

/// A reproducible toy: signal shifted by `shift` in every feature.
func toyData(rows: Int, features: Int = 3, shift: Float = 1, seed: UInt64 = 7) -> TrainingData {
  var rng = SeededRandom(seed: seed)
  var cols = [[Float]](repeating: [], count: features)
  var sig: [Bool] = [], w: [Double] = []
  for _ in 0..<rows {
    let s = rng.uniform() < 0.5
    sig.append(s)
    w.append(0.5 + rng.uniform())
    for f in 0..<features {
      // Sum of uniforms: roughly Gaussian, cheap and platform-independent.
      let g = Float((0..<4).reduce(0.0) { a, _ in a + rng.uniform() } - 2)
      cols[f].append(g + (s ? shift / Float(f + 1) : 0))
    }
  }
  return TrainingData(featureNames: (0..<features).map { "x\($0)" }, columns: cols, isSignal: sig, weights: w)
}

func small(_ trees: Int = 10, depth: Int = 3) -> BoostParameters {
  var p = BoostParameters()
  p.trees = trees
  p.depth = depth
  p.threads = 1
  return p
}
