import CascadeSupport
import YieldFit

/// The config's `"fit"` block: how a run's regions become a HistFactory workspace.
///
/// ```json
/// "fit": {"observable": "m_lg", "bins": 28, "range": [60, 200], "poi": "signal",
///         "normfactors": {"ttbar": "mu_top", "singletop": "mu_top"}, "staterror": true,
///         "systematics": [{"name": "lumi", "type": "lumi", "data": {"sigma": 0.017}},
///                         {"name": "jes", "type": "normsys", "data": {"lo": 0.97, "hi": 1.03}, "samples": ["ttbar"]}]}
/// ```
///
/// The block is the fit observable plus a `TemplateWorkspaceSpec` (YieldFit's plain description
/// of how templates become a workspace); the spec's fields read through (`block.edges`, …).
@dynamicMemberLookup
public struct FitBlock: Sendable, Equatable {
  /// Column histogrammed in every region.
  public var observable: String
  /// Binning, regions, POI, normfactors, staterror and systematics of the workspace.
  public var workspace: TemplateWorkspaceSpec

  /// A modifier added to some samples in some regions.
  public typealias Systematic = TemplateSystematic

  /// A block for `observable` with the given binning and defaults for everything else.
  public init(
    observable: String, edges: [Double], regions: [String]? = nil, poi: String? = nil, normfactors: [String: String] = [:],
    staterror: Bool = true, systematics: [Systematic] = []
  ) {
    self.observable = observable
    workspace = TemplateWorkspaceSpec(
      edges: edges, regions: regions, poi: poi, normfactors: normfactors, staterror: staterror, systematics: systematics)
  }

  /// The workspace spec's fields (`edges`, `regions`, `poi`, `normfactors`, `staterror`, `systematics`, `binCount`).
  public subscript<T>(dynamicMember keyPath: WritableKeyPath<TemplateWorkspaceSpec, T>) -> T {
    get { workspace[keyPath: keyPath] }
    set { workspace[keyPath: keyPath] = newValue }
  }

  /// Read-only spec fields (`binCount`).
  public subscript<T>(dynamicMember keyPath: KeyPath<TemplateWorkspaceSpec, T>) -> T { workspace[keyPath: keyPath] }

  /// Parses the block strictly (unknown keys, wrong types and bad binning name the JSON path).
  public static func parse(_ c: JSONCursor) throws -> FitBlock {
    let o = try c.object(allowed: ["observable", "edges", "bins", "range", "regions", "poi", "normfactors", "staterror", "systematics", "prune"])
    let observable = try o.required("observable").string()
    guard !observable.isEmpty else { throw try o.required("observable").error("must not be empty") }
    var edges: [Double]
    if let e = o.optional("edges") {
      if o.optional("bins") != nil || o.optional("range") != nil { throw e.error("give either \"edges\" or \"bins\" + \"range\", not both") }
      edges = try e.array().map { try $0.finiteDouble() }
      guard edges.count >= 2 else { throw e.error("needs at least two edges") }
      for i in 1..<edges.count where !(edges[i] > edges[i - 1]) {
        throw e.element(i, .number(edges[i])).error("edges must increase")
      }
    } else if let b = o.optional("bins") {
      let n = try b.int()
      guard n >= 1 else { throw b.error("must be at least 1") }
      guard let r = o.optional("range") else { throw o.error("\"bins\" needs \"range\": [low, high]") }
      let lr = try r.array().map { try $0.finiteDouble() }
      guard lr.count == 2, lr[0] < lr[1] else { throw r.error("expected [low, high] with low < high") }
      edges = (0...n).map { lr[0] + (lr[1] - lr[0]) * Double($0) / Double(n) }
      edges[n] = lr[1]
    } else {
      if o.optional("range") != nil { throw o.error("\"range\" needs \"bins\"") }
      throw o.error("needs \"edges\" or \"bins\" + \"range\"")
    }
    let nbins = edges.count - 1
    var block = FitBlock(observable: observable, edges: edges)
    if let r = o.optional("regions") {
      let names = try r.strings()
      guard !names.isEmpty else { throw r.error("needs at least one region") }
      block.regions = names
    }
    if let p = o.optional("poi") { block.poi = try p.string() }
    if let n = o.optional("normfactors") {
      let obj = try n.object()
      for key in obj.keys { block.normfactors[key] = try n.child(key, obj.object[key]!).string() }
    }
    if let s = o.optional("staterror") { block.staterror = try s.bool() }
    // `prune` (thresholds for the config's systematic variations) is parsed with them, by Cascade.
    if let s = o.optional("systematics") {
      for item in try s.array() { block.systematics.append(try parseSystematic(item, bins: nbins)) }
    }
    return block
  }

  /// Parses one `systematics` entry: a pyhf modifier (read by YieldFit's workspace reader, so
  /// the same rules and paths) plus `samples` / `regions`; `lumi` takes `{"sigma": σ}` as data.
  static func parseSystematic(_ c: JSONCursor, bins: Int) throws -> Systematic {
    let o = try c.object(allowed: ["name", "type", "data", "samples", "regions"])
    // Reuse the workspace reader for the modifier itself (same rules, same paths).
    var modifierObject = JSONObject()
    for key in ["name", "type", "data"] { if let v = o.object[key] { modifierObject[key] = v } }
    let typeName = try o.required("type").string()
    var lumiSigma: Double?
    if typeName == "lumi" {
      let d = try o.required("data")
      let dataObj = try d.object(allowed: ["sigma"])
      let sc = try dataObj.required("sigma")
      let sigma = try sc.finiteDouble()
      guard sigma > 0 else { throw sc.error("sigma must be positive") }
      lumiSigma = sigma
      modifierObject["data"] = .null
    } else if o.object["data"] == nil, ["normfactor", "shapefactor"].contains(typeName) {
      modifierObject["data"] = .null
    }
    let modifier = try WorkspaceReader.readModifier(JSONCursor(.object(modifierObject), source: c.source, path: c.path), bins: bins)
    var s = Systematic(name: modifier.name, kind: modifier.kind, lumiSigma: lumiSigma)
    if let v = o.optional("samples") { s.samples = try v.strings() }
    if let v = o.optional("regions") { s.regions = try v.strings() }
    return s
  }
}
