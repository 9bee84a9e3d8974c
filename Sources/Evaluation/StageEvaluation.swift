import CascadeSupport

/// One named ROC curve of a stage: signal against a set of background samples.
public struct ROCSeries: Sendable {
  /// "target" (the stage's own background), "sample" (one other background) or "all".
  public var kind: String
  /// The background samples in the curve.
  public var backgrounds: [String]
  public var test: ROCCurve
  public var train: ROCCurve
}

/// Everything the efficiency table and the stage's plots need.
public struct StageEvaluation: Sendable {
  /// Background efficiencies at which TMVA reports the signal efficiency.
  public static let backgroundEfficiencyPoints: [Double] = [0.01, 0.10, 0.30]
  /// Bins of the separation histograms and of the overtraining plot (TMVA uses 40 for its plot).
  public static let separationBins = 100
  public static let overtrainingBins = 40

  public var stage: String
  public var region: String
  public var targets: [String]
  public var threshold: Double
  public var scoreRange: ClosedRange<Double>
  /// The target curve first, then one per other background that reached the stage, then "all".
  public var roc: [ROCSeries]
  public var sigEffTest: [Double]
  public var sigEffTrain: [Double]
  public var separation: Double
  public var significance: Double
  public var ksSignal: (statistic: Double, pValue: Double)
  public var ksBackground: (statistic: Double, pValue: Double)
  /// Sorted by descending importance (stable).
  public var ranking: [(feature: String, importance: Double)]
  /// Overtraining-plot histograms: signal and target background, test and train scores.
  public var signalTest: Histogram
  public var signalTrain: Histogram
  public var backgroundTest: Histogram
  public var backgroundTrain: Histogram

  public var target: ROCSeries { roc[0] }

  /// Computes the stage's curves and figures of merit. Signal is every signal sample; the
  /// background of the efficiency table, separation, significance, KS tests and overtraining
  /// plot is the stage's target background(s).
  public init(_ input: StageEvaluationInput) throws {
    let n = input.sampleIndex.count
    guard input.weight.count == n, input.testScore.count == n, input.trainScore.count == n else {
      throw UserError(
        "stage \(input.stage): evaluation input arrays differ in length (sampleIndex \(n), weight \(input.weight.count), testScore \(input.testScore.count), trainScore \(input.trainScore.count))")
    }
    let nSamples = input.sampleNames.count
    guard input.sampleIsSignal.count == nSamples else {
      throw UserError("stage \(input.stage): sampleIsSignal has \(input.sampleIsSignal.count) entries for \(nSamples) samples")
    }
    for t in input.targetSamples where !(0..<nSamples).contains(t) || input.sampleIsSignal[t] {
      throw UserError("stage \(input.stage): target sample index \(t) is not a background sample")
    }
    guard !input.targetSamples.isEmpty else { throw UserError("stage \(input.stage): no target background") }
    for (e, s) in input.sampleIndex.enumerated() where !(0..<Int32(nSamples)).contains(s) {
      throw UserError("stage \(input.stage): event \(e) has sample index \(s) outside 0..<\(nSamples)")
    }

    stage = input.stage
    region = input.region
    targets = input.targetSamples.map { input.sampleNames[$0] }
    threshold = input.threshold
    scoreRange = input.scoreRange

    let isSignal = input.sampleIsSignal
    let isTarget = (0..<nSamples).map { input.targetSamples.contains($0) }
    var present = [Bool](repeating: false, count: nSamples)
    for s in input.sampleIndex { present[Int(s)] = true }

    // Background sets of the curves; "all" only when it differs from the target set.
    var sets: [(kind: String, members: [Bool])] = [("target", isTarget)]
    for b in 0..<nSamples where !isSignal[b] && !isTarget[b] && present[b] {
      sets.append(("sample", (0..<nSamples).map { $0 == b }))
    }
    let allBkg = isSignal.map { !$0 }
    if (0..<nSamples).contains(where: { allBkg[$0] && !isTarget[$0] && present[$0] }) { sets.append(("all", allBkg)) }

    let testOrder = ROC.descendingOrder(input.testScore)
    let trainOrder = ROC.descendingOrder(input.trainScore)
    roc = sets.map { set in
      let label = input.sampleIndex.map { s -> Int8 in isSignal[Int(s)] ? 1 : (set.members[Int(s)] ? 0 : -1) }
      let names = (0..<nSamples).filter { set.members[$0] }.map { input.sampleNames[$0] }
      return ROCSeries(
        kind: set.kind, backgrounds: names,
        test: ROC.curve(scores: input.testScore, weights: input.weight, label: label, order: testOrder),
        train: ROC.curve(scores: input.trainScore, weights: input.weight, label: label, order: trainOrder))
    }
    let t = roc[0]
    sigEffTest = Self.backgroundEfficiencyPoints.map { t.test.signalEfficiency(atBackgroundEfficiency: $0) }
    sigEffTrain = Self.backgroundEfficiencyPoints.map { t.train.signalEfficiency(atBackgroundEfficiency: $0) }

    // Split the signal and the target background into test/train score arrays.
    var sTest = [Double](), sTrain = [Double](), sW = [Double]()
    var bTest = [Double](), bTrain = [Double](), bW = [Double]()
    for e in 0..<n {
      let s = Int(input.sampleIndex[e])
      if isSignal[s] {
        sTest.append(input.testScore[e]); sTrain.append(input.trainScore[e]); sW.append(input.weight[e])
      } else if isTarget[s] {
        bTest.append(input.testScore[e]); bTrain.append(input.trainScore[e]); bW.append(input.weight[e])
      }
    }
    let range = input.scoreRange
    separation = Statistics.separation(
      signal: Histogram(values: sTest, weights: sW, bins: Self.separationBins, range: range),
      background: Histogram(values: bTest, weights: bW, bins: Self.separationBins, range: range))
    significance = Statistics.significance(signal: sTest, signalWeights: sW, background: bTest, backgroundWeights: bW)
    // KS train vs test from the orders already sorted for the ROC curves: O(n), no new sort.
    func descending(_ order: [Int32], _ scores: [Double], _ keep: [Bool]) -> (x: [Double], w: [Double]) {
      var x = [Double](), w = [Double]()
      for e in order where keep[Int(input.sampleIndex[Int(e)])] {
        x.append(scores[Int(e)])
        w.append(input.weight[Int(e)])
      }
      return (x, w)
    }
    let sTr = descending(trainOrder, input.trainScore, isSignal), sTe = descending(testOrder, input.testScore, isSignal)
    let bTr = descending(trainOrder, input.trainScore, isTarget), bTe = descending(testOrder, input.testScore, isTarget)
    ksSignal = Statistics.kolmogorovSmirnov(descending: sTr.x, weights: sTr.w, descending: sTe.x, weights: sTe.w)
    ksBackground = Statistics.kolmogorovSmirnov(descending: bTr.x, weights: bTr.w, descending: bTe.x, weights: bTe.w)
    ranking = input.ranking.enumerated()
      .sorted { $0.element.importance != $1.element.importance ? $0.element.importance > $1.element.importance : $0.offset < $1.offset }
      .map { $0.element }
    let nb = Self.overtrainingBins
    signalTest = Histogram(values: sTest, weights: sW, bins: nb, range: range)
    signalTrain = Histogram(values: sTrain, weights: sW, bins: nb, range: range)
    backgroundTest = Histogram(values: bTest, weights: bW, bins: nb, range: range)
    backgroundTrain = Histogram(values: bTrain, weights: bW, bins: nb, range: range)
  }
}
