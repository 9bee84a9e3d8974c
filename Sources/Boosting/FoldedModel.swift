import CascadeSupport
import Foundation

/// k fold models trained together: `forests[i]` never saw the events of fold i.
public struct FoldedModel: Sendable {
  public static let format = "cascade-bdt"
  public static let version = 1

  public var k: Int
  /// `forests[i]` trained on events with fold ≠ i (k == 1: one model trained on all events).
  public var forests: [Forest]
  /// Parameters the forests were trained with (recorded in the model file).
  public var parameters: BoostParameters

  /// A model of `k` folds; `forests.count` must equal `k` (one forest for `k == 1`), and
  /// `forests[i]` must not have seen the events of fold i, or its out-of-fold scores are biased.
  public init(k: Int, forests: [Forest], parameters: BoostParameters = BoostParameters()) {
    self.k = k
    self.forests = forests
    self.parameters = parameters
  }

  public var featureNames: [String] { forests.first?.featureNames ?? [] }
  public var boost: BoostType { forests.first?.boost ?? parameters.boost }

  /// Trains k forests; fold model i sees every event whose fold is not i. Seeds differ per
  /// fold (seed + i) so the fold models are independent draws.
  public static func train(_ data: TrainingData, folds: [Int], k: Int, parameters: BoostParameters) throws -> FoldedModel {
    try train(data, folds: folds, k: k, parameters: parameters, progress: nil)
  }

  /// Trains with `progress(fold, treesDone, treesMax)` after every tree.
  public static func train(
    _ data: TrainingData, folds: [Int], k: Int, parameters: BoostParameters,
    progress: (@Sendable (Int, Int, Int) -> Void)?
  ) throws -> FoldedModel {
    guard k >= 1 else { throw UserError("folds: k must be ≥ 1 (got \(k))") }
    guard folds.count == data.rowCount else { throw UserError("folds: \(folds.count) fold numbers for \(data.rowCount) events") }
    if let bad = folds.first(where: { $0 < 0 || $0 >= k }) { throw UserError("folds: fold \(bad) outside 0..<\(k)") }
    if k == 1 {
      let forest = try Trainer.train(data, parameters: parameters, progress: progress.map { pr in { pr(0, $0, $1) } })
      return FoldedModel(k: 1, forests: [forest], parameters: parameters)
    }
    // The folds train side by side, the threads shared among them: a fold's tree is small
    // work for many threads (a synchronisation per node), and a model never depends on the
    // thread count, so this only changes the time.
    let threads = ParallelBlocks.threadCount(parameters.threads)
    let concurrent = min(k, threads)
    let trained = ParallelBlocks.map(count: k, blockSize: 1, threads: concurrent) { r -> Result<Forest, any Error> in
      let i = r.lowerBound
      let rows = (0..<data.rowCount).filter { folds[$0] != i }
      var p = parameters
      p.seed = parameters.seed &+ UInt64(i)
      p.threads = max(1, threads / concurrent)
      do {
        return .success(try Trainer.train(data.subset(rows), parameters: p, progress: progress.map { pr in { pr(i, $0, $1) } }))
      } catch let e as UserError {
        return .failure(UserError("fold \(i) of \(k): \(e.message)"))
      } catch {
        return .failure(error)
      }
    }
    let forests = try trained.map { try $0.get() }
    return FoldedModel(k: k, forests: forests, parameters: parameters)
  }

  /// Out-of-fold scores: an event with fold f is scored by `forests[f]` (k == 1: forests[0]).
  public func scores(columns: [[Float]], folds: [Int], outputMargin: Bool = false, threads: Int = 0) -> [Double] {
    scores(columns: columns, model: { k == 1 ? 0 : $0 }, folds: folds, outputMargin: outputMargin, threads: threads)
  }

  /// Scores by a model that did see the event (`forests[(f + 1) % k]`): TMVA's "train" sample
  /// for overtraining checks (k ≥ 2; with k == 1 the only model).
  public func inFoldScores(columns: [[Float]], folds: [Int], threads: Int = 0) -> [Double] {
    scores(columns: columns, model: { k == 1 ? 0 : ($0 + 1) % k }, folds: folds, outputMargin: false, threads: threads)
  }

  private func scores(columns: [[Float]], model: (Int) -> Int, folds: [Int], outputMargin: Bool, threads: Int) -> [Double] {
    let n = columns.first?.count ?? 0
    precondition(folds.count == n, "FoldedModel.scores: \(folds.count) folds for \(n) events")
    if k == 1 { return forests[0].scores(columns: columns, outputMargin: outputMargin, threads: threads) }
    var out = [Double](repeating: 0, count: n)
    var rowsOf = [[Int]](repeating: [], count: k)
    for (i, f) in folds.enumerated() {
      precondition(f >= 0 && f < k, "FoldedModel.scores: fold \(f) outside 0..<\(k)")
      rowsOf[model(f)].append(i)
    }
    for m in 0..<k where !rowsOf[m].isEmpty {
      let rows = rowsOf[m]
      let sub = columns.map { c in rows.map { c[$0] } }
      let s = forests[m].scores(columns: sub, outputMargin: outputMargin, threads: threads)
      for (j, i) in rows.enumerated() { out[i] = s[j] }
    }
    return out
  }

  // MARK: model file

  /// Writes the model atomically; `extra` keys (threshold, working point, …) follow the model's.
  public func write(to path: String, extra: JSONObject = JSONObject()) throws {
    guard case .object(var o) = try JSONValueEncoder().encode(self) else { fatalError("a model encodes as an object") }
    for (key, value) in extra {
      guard CodingKeys(rawValue: key) == nil else { throw UserError("\(path): extra key \"\(key)\" is reserved by the model format") }
      o[key] = value
    }
    try AtomicFile.write(JSONValue.object(o).serialized(), to: path)
  }

  /// Reads a model file and returns the caller's extra keys (those outside the format) alongside.
  public static func load(path: String) throws -> (model: FoldedModel, extra: JSONObject) {
    let v = try JSONValue.load(path: path)
    guard case .object(let o) = v else { throw UserError("\(path): (root): expected an object, found \(v.typeName)") }
    var own = JSONObject(), extra = JSONObject()
    for (key, value) in o {
      if CodingKeys(rawValue: key) != nil { own[key] = value } else { extra[key] = value }
    }
    return (try JSONValueDecoder(source: path).decode(FoldedModel.self, from: .object(own)), extra)
  }
}

/// The versioned model file (format "cascade-bdt", version 1): `format`, `version`,
/// `cascade_version`, `boost`, `features`, `k`, `parameters`, `training`, `forests`.
extension FoldedModel: Codable {
  enum CodingKeys: String, CodingKey {
    case format, version
    case cascadeVersion = "cascade_version"
    case boost, features, k, parameters, training, forests
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(Self.format, forKey: .format)
    try c.encode(Self.version, forKey: .version)
    try c.encode(CascadeVersion.string, forKey: .cascadeVersion)
    try c.encode(boost, forKey: .boost)
    try c.encode(featureNames, forKey: .features)
    try c.encode(k, forKey: .k)
    try c.encode(parameters, forKey: .parameters)
    try c.encode(parameters.training, forKey: .training)
    try c.encode(forests, forKey: .forests)
  }

  /// Decodes a model; errors name the JSON path. A container that also holds other keys (a
  /// stage's threshold, …) decodes those itself.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let format = try c.decode(String.self, forKey: .format)
    guard format == Self.format else {
      throw DecodingError.dataCorruptedError(
        forKey: .format, in: c,
        debugDescription: "not a cascade BDT model (format \"\(format)\"; XGBoost files need `cascade bdt import-xgboost`)")
    }
    let version = try c.decode(Int.self, forKey: .version)
    guard version == Self.version else {
      throw DecodingError.dataCorruptedError(
        forKey: .version, in: c, debugDescription: "unsupported model version \(version) (this cascade reads version \(Self.version))")
    }
    _ = try c.decodeIfPresent(String.self, forKey: .cascadeVersion)
    _ = try c.decodeIfPresent(BoostType.self, forKey: .boost)
    k = try c.decode(Int.self, forKey: .k)
    guard k >= 1 else { throw DecodingError.dataCorruptedError(forKey: .k, in: c, debugDescription: "k must be ≥ 1") }
    // The parameters go through the same range checks as a config's "bdt" block.
    let source = decoder.userInfo[JSONValueDecoder.sourceKey] as? String ?? "model"
    let block = try c.decode(JSONValue.self, forKey: .parameters)
    var p = try BoostParameters().overriding(
      with: JSONCursor(block, source: source, path: jsonPath(c.codingPath + [CodingKeys.parameters])))
    if let t = try c.decodeIfPresent(TrainingSettings.self, forKey: .training) {
      try p.apply(t, at: c.codingPath + [CodingKeys.training])
    }
    parameters = p
    forests = try c.decode([Forest].self, forKey: .forests)
    guard forests.count == k else {
      throw DecodingError.dataCorruptedError(forKey: .forests, in: c, debugDescription: "expected \(k) forests, found \(forests.count)")
    }
    let names = try c.decode([String].self, forKey: .features)
    for (i, f) in forests.enumerated() where f.featureNames != names {
      throw DecodingError.dataCorrupted(
        .init(codingPath: c.codingPath + [CodingKeys.forests, IndexKey(i)], debugDescription: "features differ from the model's \"features\""))
    }
  }
}
