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
    var forests: [Forest] = []
    for i in 0..<k {
        let rows = (0..<data.rowCount).filter { folds[$0] != i }
      var p = parameters
      p.seed = parameters.seed &+ UInt64(i)
      do {
        forests.append(try Trainer.train(data.subset(rows), parameters: p, progress: progress.map { pr in { pr(i, $0, $1) } }))
      } catch let e as UserError {
        throw UserError("fold \(i) of \(k): \(e.message)")
      }
    }
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

  static let ownKeys = ["format", "version", "cascade_version", "boost", "features", "k", "parameters", "training", "forests"]

  /// The versioned model file content (format "cascade-bdt", version 1).
  public var jsonValue: JSONValue {
    .object(JSONObject([
      ("format", .string(Self.format)), ("version", JSONValue(Self.version)),
      ("cascade_version", .string(CascadeVersion.string)),
      ("boost", .string(boost.rawValue)), ("features", JSONValue(featureNames)), ("k", JSONValue(k)),
      ("parameters", parameters.jsonValue), ("training", parameters.trainingJSON),
      ("forests", .array(forests.map(\.jsonValue))),
    ]))
  }

  /// Decodes a model file; errors name the JSON path. Keys outside the format are ignored here
  /// (they are the caller's, see `load`).
  public init(json: JSONCursor) throws {
    let o = try json.object()
    let fc = try o.required("format")
    guard try fc.string() == Self.format else { throw fc.error("not a cascade BDT model (format \"\(try fc.string())\"; XGBoost files need `cascade bdt import-xgboost`)") }
    let vc = try o.required("version")
    guard try vc.int() == Self.version else { throw vc.error("unsupported model version \(try vc.int()) (this cascade reads version \(Self.version))") }
    let kc = try o.required("k")
    k = try kc.int()
    guard k >= 1 else { throw kc.error("k must be ≥ 1") }
    var p = try BoostParameters().overriding(with: try o.required("parameters"))
    if let t = o.optional("training") { try p.applyTraining(t) }
    parameters = p
    let fs = try o.required("forests").array()
    guard fs.count == k else { throw try o.required("forests").error("expected \(k) forests, found \(fs.count)") }
    forests = try fs.map { try Forest(json: $0) }
    let names = try o.required("features").strings()
    for (i, f) in forests.enumerated() where f.featureNames != names {
      throw fs[i].error("features differ from the model's \"features\"")
    }
  }

  /// Writes the model atomically; `extra` keys (threshold, working point, …) follow the model's.
  public func write(to path: String, extra: JSONObject = JSONObject()) throws {
    guard case .object(var o) = jsonValue else { fatalError() }
    for (key, value) in extra {
      guard !Self.ownKeys.contains(key) else { throw UserError("\(path): extra key \"\(key)\" is reserved by the model format") }
      o[key] = value
    }
    try AtomicFile.write(JSONValue.object(o).serialized(), to: path)
  }

  /// Reads a model file and returns the caller's extra keys alongside.
  public static func load(path: String) throws -> (model: FoldedModel, extra: JSONObject) {
    let v = try JSONValue.load(path: path)
    let model = try FoldedModel(json: JSONCursor(v, source: path))
    var extra = JSONObject()
    for (key, value) in v.objectValue ?? JSONObject() where !ownKeys.contains(key) { extra[key] = value }
    return (model, extra)
  }
}
