import CascadeSupport
import Foundation

/// The fit outputs the report shows, read tolerantly from `fit/result.json` and `fit/prepost.json`.
///
/// result.json: `{"converged", "twice_nll", "parameters": [{"name","value","error","minos","fixed"}],
/// "correlation": [[…]]}` — the matrix covers all parameters, or only the free ones, in order.
///
/// prepost.json: `{"regions": [{"name", "edges": [...], "data": [...],
/// "samples": [{"name", "prefit": [...], "postfit": [...]}], "prefit_error": [...], "postfit_error": [...]}]}`;
/// also accepted: `"channels"` for `"regions"`, `"region"`/`"channel"` for `"name"`, `"sample"` for a
/// sample's name, per-sample maps `"prefit": {"sample": [...]}`, `"postfit": {...}`, `"observed"` for
/// `"data"`, and `"postfit_total_uncertainty"` (what `cascade fit` writes), `"postfit_uncertainty"`,
/// `"postfit_total_error"`, `"total_error"` for `"postfit_error"` (likewise for pre-fit).
struct FitResult {
  struct Parameter {
    var name: String
    var value: Double
    var error: Double
    var minos: (Double, Double)?
    var fixed: Bool
  }
  var converged: Bool?
  var twiceNLL: Double
  /// Summary lines for the optional inference results (POI, hypothesis test, limit, significance).
  var inference: [String] = []
  var parameters: [Parameter]
  /// Names and matrix of the correlation, aligned.
  var correlationNames: [String]
  var correlation: [[Double]]

  init(path: String) throws {
    let j = try JSONValue.load(path: path)
    guard j.objectValue != nil else { throw UserError("\(path): expected a JSON object") }
    converged = j["converged"]?.boolValue
    twiceNLL = j["twice_nll"].num
    if let poi = j["poi"]?.stringValue { inference.append("parameter of interest: \(poi)") }
    if let h = j["hypotest"] {
      inference.append(
        "hypothesis test μ = \(fmt(h["mu"].num, 3)) (\(h["test_stat"].str)): CLs observed \(fmt(h["cls_obs"].num, 4)), "
          + "expected [+2σ…−2σ] \(h["cls_exp"].doubles.map { fmt($0, 4) }.joined(separator: ", "))")
    }
    if let l = j["limit"] {
      inference.append(
        "95% CL upper limit on μ: observed \(fmt(l["observed"].num, 4)), expected [+2σ…−2σ] "
          + l["expected"].doubles.map { fmt($0, 4) }.joined(separator: ", "))
    }
    if let z = j["significance"] {
      inference.append("discovery significance Z0: observed \(fmt(z["observed"].num, 3)), expected \(fmt(z["expected"].num, 3))")
    }
    parameters = []
    for (i, p) in j["parameters"].arr.enumerated() {
      guard let name = p["name"]?.stringValue else { throw UserError("\(path): parameters[\(i)].name: missing") }
      let m = p["minos"]?.arrayValue?.compactMap { $0.doubleValue }
      parameters.append(
        Parameter(
          name: name, value: p["value"].num, error: p["error"].num, minos: m?.count == 2 ? (m![0], m![1]) : nil,
          fixed: p["fixed"]?.boolValue ?? false))
    }
    let rows = j["correlation"].arr.map { $0.doubles }
    let free = parameters.filter { !$0.fixed }.map { $0.name }
    if rows.count == parameters.count {
      correlationNames = parameters.map { $0.name }
    } else if rows.count == free.count {
      correlationNames = free
    } else {
      correlationNames = []
    }
    correlation = correlationNames.isEmpty ? [] : rows
    if rows.contains(where: { $0.count != rows.count }) { correlation = []; correlationNames = [] }
  }

  /// The parameters a plot shows: the free ones; when there are more than `limit`, per-bin
  /// parameters (`name[i]`: staterror, shapesys, …) are left out, then the list is cut at `limit`.
  /// Returns the kept names and how many were left out.
  static func plotted(_ names: [String], limit: Int) -> (names: [String], omitted: Int) {
    var kept = names
    if kept.count > limit { kept = kept.filter { !$0.contains("[") } }
    if kept.count > limit { kept = Array(kept.prefix(limit)) }
    return (kept, names.count - kept.count)
  }

  /// The correlation sub-matrix of `names` (a subset of `correlationNames`).
  func correlation(of names: [String]) -> [[Double]] {
    let idx = names.compactMap { correlationNames.firstIndex(of: $0) }
    return idx.map { i in idx.map { correlation[i][$0] } }
  }
}

struct PrePost {
  struct Region {
    var name: String
    var edges: [Double]
    var data: [Double]?
    var samples: [(name: String, prefit: [Double], postfit: [Double])]
    var prefitError: [Double]?
    var postfitError: [Double]?
  }
  var regions: [Region]

  init(path: String) throws {
    let j = try JSONValue.load(path: path)
    let list = j["regions"]?.arrayValue ?? j["channels"]?.arrayValue ?? j.arrayValue
    guard let list else { throw UserError("\(path): expected \"regions\": [...]") }
    regions = []
    for (i, r) in list.enumerated() {
      let name = r["name"]?.stringValue ?? r["region"]?.stringValue ?? r["channel"]?.stringValue ?? "region \(i)"
      let edges = r["edges"].doubles
      var samples: [(String, [Double], [Double])] = []
      if let arr = r["samples"]?.arrayValue {
        for s in arr {
          samples.append((s["name"]?.stringValue ?? s["sample"].str, s["prefit"].doubles, s["postfit"].doubles))
        }
      } else if let pre = r["prefit"]?.objectValue {
        let post = r["postfit"]?.objectValue
        for (k, v) in pre { samples.append((k, v.doubles, post?[k].doubles ?? [])) }
      }
      let nb = edges.count - 1
      guard nb >= 1 else { throw UserError("\(path): regions[\(i)].edges: need at least two bin edges") }
      for s in samples where s.1.count != nb || s.2.count != nb {
        throw UserError("\(path): regions[\(i)] sample \"\(s.0)\": expected \(nb) prefit and postfit yields")
      }
      func perBin(_ keys: [String]) -> [Double]? {
        for k in keys { if let v = r[k]?.arrayValue { return v.map { $0.doubleValue ?? .nan } } }
        return nil
      }
      regions.append(
        Region(
          name: name, edges: edges, data: perBin(["data", "observed"]), samples: samples,
          prefitError: perBin(["prefit_total_uncertainty", "prefit_error", "prefit_uncertainty", "prefit_total_error"]),
          postfitError: perBin([
            "postfit_total_uncertainty", "postfit_error", "postfit_uncertainty", "postfit_total_error", "total_error",
            "uncertainty",
          ])))
    }
  }
}
