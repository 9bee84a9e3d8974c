import Boosting

/// One feature's place in a model's importance ranking.
public struct RankedFeature: Sendable, Equatable {
  /// The feature's name.
  public var feature: String
  /// Total split gain over every tree of every fold model.
  public var gain: Double
  /// `gain` as a share of all features' gain (0 when no tree splits).
  public var share: Double
  /// Number of splits on the feature.
  public var splits: Int

  /// A ranked feature with these totals.
  public init(feature: String, gain: Double, share: Double, splits: Int) {
    self.feature = feature
    self.gain = gain
    self.share = share
    self.splits = splits
  }
}

/// TMVA-style importance of a k-fold model: the split gains of all fold models summed.
public enum FeatureImportance {
  /// Every feature of `model`, by total gain (descending, then name); unused features rank last with 0.
  public static func ranking(_ model: FoldedModel) -> [RankedFeature] {
    var gain = [String: Double](), splits = [String: Int]()
    for name in model.featureNames { gain[name] = 0; splits[name] = 0 }
    for forest in model.forests {
      for i in forest.importance {
        gain[i.feature, default: 0] += i.gain
        splits[i.feature, default: 0] += i.splits
      }
    }
    // Summed in feature order, not dictionary order: the same bits in every process.
    let total = model.featureNames.reduce(0) { $0 + gain[$1]! }
    let ranked = model.featureNames.sorted { gain[$0]! != gain[$1]! ? gain[$0]! > gain[$1]! : $0 < $1 }
    return ranked.map { name in
      RankedFeature(feature: name, gain: gain[name]!, share: total > 0 ? gain[name]! / total : 0, splits: splits[name]!)
    }
  }
}
