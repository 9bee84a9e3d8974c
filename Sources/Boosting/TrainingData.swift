import CascadeSupport

/// Training events as plain columns: independent of any file format.
public struct TrainingData: Sendable {
  public var featureNames: [String]
  /// Column-major feature values, `columns[f][row]`; NaN = missing.
  public var columns: [[Float]]
  public var isSignal: [Bool]
  /// Signed event weights (the negative-weight policy is applied by the trainer).
  public var weights: [Double]
  /// Optional flatness penalty on the background's score in bins of an observable
  /// (gradient boosting only; see `FlatnessPenalty`).
  public var flatness: FlatnessPenalty?

  /// Training events given as columns. Nothing is checked here; ``validate()`` (called by the
  /// trainer) checks that every array has one entry per event.
  public init(featureNames: [String], columns: [[Float]], isSignal: [Bool], weights: [Double], flatness: FlatnessPenalty? = nil) {
    self.featureNames = featureNames
    self.columns = columns
    self.isSignal = isSignal
    self.weights = weights
    self.flatness = flatness
  }

  public var rowCount: Int { isSignal.count }

  /// Checks that every array has one entry per event and every feature is named once.
  public func validate() throws {
    guard !featureNames.isEmpty else { throw UserError("training data: no features") }
    guard columns.count == featureNames.count else {
      throw UserError("training data: \(featureNames.count) feature names but \(columns.count) columns")
    }
    var seen = Set<String>()
    for n in featureNames where !seen.insert(n).inserted { throw UserError("training data: feature \"\(n)\" listed twice") }
    let n = isSignal.count
    guard weights.count == n else { throw UserError("training data: \(n) labels but \(weights.count) weights") }
    for (f, c) in columns.enumerated() where c.count != n {
      throw UserError("training data: feature \"\(featureNames[f])\" has \(c.count) values for \(n) events")
    }
    for (i, w) in weights.enumerated() where !w.isFinite {
      throw UserError("training data: weight of event \(i) is not finite (\(w))")
    }
    if let f = flatness, f.observable.count != n {
      throw UserError("training data: the flatness observable has \(f.observable.count) values for \(n) events")
    }
  }

  /// The rows `rows` only (k-fold training).
  public func subset(_ rows: [Int]) -> TrainingData {
    TrainingData(
      featureNames: featureNames,
      columns: columns.map { c in rows.map { c[$0] } },
      isSignal: rows.map { isSignal[$0] },
      weights: rows.map { weights[$0] }, flatness: flatness?.subset(rows))
  }
}

/// Columns ordered as `features`, taken from named columns; a missing one is a clear error.
public func orderedColumns(_ features: [String], from available: [String: [Float]], source: String) throws -> [[Float]] {
  try features.map { name in
    guard let c = available[name] else {
      var msg = "\(source): feature \"\(name)\" not found"
      if let near = nearestName(to: name, in: Array(available.keys).sorted()) { msg += " (did you mean \"\(near)\"?)" }
      throw UserError(msg)
    }
    return c
  }
}

/// The booster's sampling generator: SplitMix64 started one step past `seed` (the sequence the
/// model files of earlier versions were trained with), plus the two draws sampling needs.
struct SeededRandom {
  var generator: SplitMix64
  init(seed: UInt64) { generator = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }
  mutating func next() -> UInt64 { generator.next() }
  /// Uniform in [0, 1).
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
