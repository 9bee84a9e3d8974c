import Boosting
import CascadeSupport
import Foundation

/// Applies a stage's `decorrelate` option to its training data. Training weights only: the
/// true weights of the events are untouched everywhere else.
public enum StageDecorrelation {
  /// `data` with the option applied; `observable` has one value per training row, `folds` the
  /// rows' folds (reweighting factors are computed within each fold, so no fold model's
  /// weights depend on the events it scores).
  public static func apply(
    _ d: Decorrelation, to data: TrainingData, observable: [Float], folds: [Int], k: Int,
    negativeWeights: NegativeWeightPolicy
  ) -> TrainingData {
    var out = data
    switch d.method {
    case .reweight:
      out.weights = planingWeights(
        observable: observable, isSignal: data.isSignal, weights: data.weights, folds: folds, k: k,
        policy: negativeWeights, bins: d.bins, strength: d.strength)
    case .flatness:
      out.flatness = FlatnessPenalty(observable: observable, strength: d.strength, bins: d.bins)
    }
    return out
  }

  /// Planing: within each fold, `bins` bins of the observable holding equal shares of the
  /// signal's training weight (outer bins open-ended), and every background weight multiplied by
  /// ((S_b/S)/(B_b/B))^strength, so the background's observable distribution becomes the
  /// signal's. Histograms use the weights as training sees them (the negative-weight policy);
  /// a bin without background, and rows with a NaN observable, keep factor 1; a bin without
  /// signal gets factor 0 (that background cannot be told apart by the observable any more).
  public static func planingWeights(
    observable: [Float], isSignal: [Bool], weights: [Double], folds: [Int], k: Int,
    policy: NegativeWeightPolicy, bins: Int, strength: Double
  ) -> [Double] {
    func trainingWeight(_ w: Double) -> Double {
      switch policy {
      case .ignore: w > 0 ? w : 0
      case .abs: Swift.abs(w)
      case .keep: w
      }
    }
    var out = weights
    for f in 0..<Swift.max(1, k) {
      let rows = weights.indices.filter { k <= 1 || folds[$0] == f }
      let sig = rows.filter { isSignal[$0] }
      var edges = ObservableBinning.quantileEdges(
        sig.map { Double(observable[$0]) }, weights: sig.map { trainingWeight(weights[$0]) }, count: bins)
      guard edges.count >= 2 else { continue }
      edges[0] = -.infinity
      edges[edges.count - 1] = .infinity
      let nb = edges.count - 1
      var s = [Double](repeating: 0, count: nb), b = s
      for r in rows {
        guard let bin = ObservableBinning.bin(of: Double(observable[r]), edges: edges) else { continue }
        if isSignal[r] { s[bin] += trainingWeight(weights[r]) } else { b[bin] += trainingWeight(weights[r]) }
      }
      let st = s.reduce(0, +), bt = b.reduce(0, +)
      guard st > 0, bt > 0 else { continue }
      let factor = (0..<nb).map { i -> Double in
        guard b[i] > 0 else { return 1 }
        return Foundation.pow((s[i] / st) / (b[i] / bt), strength)
      }
      for r in rows where !isSignal[r] {
        if let bin = ObservableBinning.bin(of: Double(observable[r]), edges: edges) { out[r] *= factor[bin] }
      }
    }
    return out
  }
}
