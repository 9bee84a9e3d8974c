import CascadeSupport
import Foundation

/// Reading and writing XGBoost's JSON model format (`Booster.save_model("m.json")`) for
/// `gbtree` boosters with the `binary:logistic` objective.
///
/// XGBoost semantics kept exactly: a row goes left when `x < split_condition` (Float32 compare),
/// NaN follows `default_left`, a leaf's value is its `split_conditions` entry, and `base_score`
/// (a number, or a string such as "[5.451631E-1]") is a probability: the margin starts at its logit.
public enum XGBoostJSON {
  /// Imports an XGBoost model as a one-fold gradient model.
  public static func importModel(_ root: JSONCursor) throws -> FoldedModel {
    let learner = try root.object().required("learner").object()
    let objective = try learner.required("objective").object()
    let objName = try objective.required("name")
    guard try objName.string() == "binary:logistic" else {
      throw objName.error("objective \"\(try objName.string())\" is not supported (only binary:logistic)")
    }
    let booster = try learner.required("gradient_booster").object()
    let bname = try booster.required("name")
    guard try bname.string() == "gbtree" else { throw bname.error("booster \"\(try bname.string())\" is not supported (only gbtree)") }
    let params = try learner.required("learner_model_param").object()
    let numFeature = try intString(try params.required("num_feature"))
    if let nc = params.optional("num_class"), try intString(nc) > 1 {
      throw nc.error("multi-class models are not supported")
    }
    var names = try learner.optional("feature_names")?.strings() ?? []
    if names.isEmpty { names = (0..<numFeature).map { "f\($0)" } }
    guard names.count == numFeature else {
      throw try learner.required("feature_names").error("\(names.count) feature names for num_feature \(numFeature)")
    }
    let bs = try params.required("base_score")
    let base = try baseScore(bs)
    guard base > 0 && base < 1 else { throw bs.error("base_score \(base) is not a probability in (0, 1)") }
    // XGBoost converts the probability to a margin in Float32 (RegLossObj::ProbToMargin).
    let baseMargin = Double(-Foundation.log(1 / base - 1 as Float))
    var forest = Forest(featureNames: names, boost: .gradient, baseMargin: baseMargin)
    forest.float32Sum = true
    let model = try booster.required("model").object()
    for tc in try model.required("trees").array() {
      let t = try tc.object()
      let left = try t.required("left_children").array().map { try $0.int() }
      let m = left.count
      func arr<T>(_ key: String, _ get: (JSONCursor) throws -> T) throws -> [T] {
        let c = try t.required(key)
        let a = try c.array()
        guard a.count == m else { throw c.error("expected \(m) entries, found \(a.count)") }
        return try a.map(get)
      }
      let right = try arr("right_children") { try $0.int() }
      let feature = try arr("split_indices") { try $0.int() }
      let cond = try arr("split_conditions") { try $0.finiteDouble() }
      let dl = try arr("default_left") { c -> Bool in
        if case .bool(let b) = c.value { return b }
        return try c.int() != 0
      }
      let gain = (try? arr("loss_changes") { try $0.finiteDouble() }) ?? Array(repeating: 0, count: m)
      let cover = (try? arr("sum_hessian") { try $0.finiteDouble() }) ?? Array(repeating: 0, count: m)
      if let st = t.optional("split_type"), try st.array().contains(where: { try $0.int() != 0 }) {
        throw st.error("categorical splits are not supported")
      }
      guard m > 0 else { throw tc.error("empty tree") }
      for k in 0..<m where left[k] != -1 {
        let node = tc.child("left_children", .null).element(k, .null)
        guard left[k] > 0, left[k] < m, right[k] > 0, right[k] < m else { throw node.error("child index out of range") }
        guard feature[k] >= 0, feature[k] < numFeature else {
          throw tc.child("split_indices", .null).element(k, .null).error("feature index \(feature[k]) out of range")
        }
      }
      forest.appendTree(
        count: m, weight: 1,
        children: { left[$0] == -1 ? nil : (left[$0], right[$0]) },
        split: { (feature[$0], Float(cond[$0]), dl[$0]) },
        value: { Double(Float(cond[$0])) }, gain: { gain[$0] }, cover: { cover[$0] })
    }
    var p = BoostParameters()
    p.trees = forest.treeCount
    p.depth = Swift.max(1, forest.maxDepth)
    return FoldedModel(k: 1, forests: [forest], parameters: p)
  }

  /// Reads the XGBoost JSON model file at `path` (`Booster.save_model("model.json")`) as a one-fold
  /// gradient model; read and format errors name the file and the JSON path.
  public static func importModel(path: String) throws -> FoldedModel {
    try importModel(JSONCursor(try JSONValue.load(path: path), source: path))
  }

  /// XGBoost writes many integers as strings ("8").
  static func intString(_ c: JSONCursor) throws -> Int {
    if case .string(let s) = c.value {
      guard let v = Int(s) else { throw c.error("expected an integer, found \"\(s)\"") }
      return v
    }
    return try c.int()
  }

  /// `base_score` as a number, "0.5", "5E-1" or the vector form "[5.451631E-1]".
  static func baseScore(_ c: JSONCursor) throws -> Float {
    switch c.value {
    case .number(let d): return Float(d)
    case .string(var s):
      s = s.trimmingCharacters(in: .whitespaces)
      if s.hasPrefix("[") && s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
      guard let v = Float(s.trimmingCharacters(in: .whitespaces)), !s.contains(",") else { throw c.error("cannot read base_score \"\(s)\"") }
      return v
    default: throw c.error("expected a number or string, found \(c.value.typeName)")
    }
  }

  /// Keys whose numbers XGBoost's JSON reader requires to be floating point ("0.0", not "0").
  static let floatKeys: Set<String> = ["base_weights", "loss_changes", "split_conditions", "sum_hessian"]

  /// XGBoost JSON text: like `JSONValue.serialized(pretty: false)`, but numbers under
  /// `floatKeys` are written as Float32 literals with a fraction or exponent.
  public static func text(_ v: JSONValue) -> String {
    var out = ""
    func write(_ v: JSONValue, float: Bool) {
      switch v {
      case .number(let d) where float: out += "\(Float(d))"
      case .array(let a):
        out += "["
        for (i, x) in a.enumerated() {
          if i > 0 { out += "," }
          write(x, float: float)
        }
        out += "]"
      case .object(let o):
        out += "{"
        var first = true
        for (k, x) in o {
          if !first { out += "," }
          first = false
          out += JSONValue.string(k).serialized(pretty: false) + ":"
          write(x, float: floatKeys.contains(k))
        }
        out += "}"
      default: out += v.serialized(pretty: false)
      }
    }
    write(v, float: false)
    return out
  }

  /// The XGBoost JSON of a gradient forest (`xgboost.Booster(model_file=…)` loads `text(_:)` of it).
  public static func export(_ forest: Forest) throws -> JSONValue {
    guard forest.boost == .gradient else {
      throw UserError("only gradient models can be exported to XGBoost (this one is \(forest.boost.rawValue))")
    }
    func s(_ i: Int) -> JSONValue { .string(String(i)) }
    let nf = forest.featureNames.count
    var trees: [JSONValue] = []
    for t in 0..<forest.treeCount {
      let r = forest.nodeRange(ofTree: t)
      let start = r.lowerBound
      let m = r.count
      var parents = [Int](repeating: 2_147_483_647, count: m)
      var left = [Int](repeating: -1, count: m), right = left, feature = [Int](repeating: 0, count: m)
      var cond = [Double](repeating: 0, count: m), dl = [Int](repeating: 0, count: m)
      for k in 0..<m {
        let node = forest.nodes[start + k]
        if node.feature >= 0 {
          let l = Int(node.left) - start
          left[k] = l; right[k] = l + 1
          parents[l] = k; parents[l + 1] = k
          feature[k] = Int(node.feature)
          cond[k] = Double(node.threshold)
          dl[k] = node.defaultLeft ? 1 : 0
        } else {
          cond[k] = Double(Float(forest.values[start + k]))
        }
      }
      let baseWeights = (0..<m).map { forest.nodes[start + $0].feature < 0 ? cond[$0] : 0 }
      trees.append(.object(JSONObject([
        ("base_weights", JSONValue(baseWeights)),
        ("categories", []), ("categories_nodes", []), ("categories_segments", []), ("categories_sizes", []),
        ("default_left", .array(dl.map { JSONValue($0) })),
        ("id", JSONValue(t)),
        ("left_children", .array(left.map { JSONValue($0) })),
        ("loss_changes", JSONValue(Array(forest.gains[r]).map { Double(Float($0)) })),
        ("parents", .array(parents.map { JSONValue($0) })),
        ("right_children", .array(right.map { JSONValue($0) })),
        ("split_conditions", JSONValue(cond)),
        ("split_indices", .array(feature.map { JSONValue($0) })),
        ("split_type", .array((0..<m).map { _ in JSONValue(0) })),
        ("sum_hessian", JSONValue(Array(forest.covers[r]).map { Double(Float($0)) })),
        ("tree_param", .object(JSONObject([
          ("num_deleted", "0"), ("num_feature", s(nf)), ("num_nodes", s(m)), ("size_leaf_vector", "1"),
        ]))),
      ])))
    }
    let base = 1 / (1 + Foundation.exp(-forest.baseMargin))
    let n = forest.treeCount
    return .object(JSONObject([
      ("learner", .object(JSONObject([
        ("attributes", .object(JSONObject())),
        ("feature_names", JSONValue(forest.featureNames)),
        ("feature_types", .array(forest.featureNames.map { _ in "float" })),
        ("gradient_booster", .object(JSONObject([
          ("model", .object(JSONObject([
            ("gbtree_model_param", .object(JSONObject([("num_parallel_tree", "1"), ("num_trees", s(n))]))),
            ("iteration_indptr", .array((0...n).map { JSONValue($0) })),
            ("tree_info", .array((0..<n).map { _ in JSONValue(0) })),
            ("trees", .array(trees)),
          ]))),
          ("name", "gbtree"),
        ]))),
        ("learner_model_param", .object(JSONObject([
          ("base_score", .string("[\(Float(base))]")), ("boost_from_average", "1"), ("num_class", "0"),
          ("num_feature", s(nf)), ("num_target", "1"),
        ]))),
        ("objective", .object(JSONObject([
          ("name", "binary:logistic"), ("reg_loss_param", .object(JSONObject([("scale_pos_weight", "1")]))),
        ]))),
      ]))),
      ("version", [3, 2, 0]),
    ]))
  }
}
