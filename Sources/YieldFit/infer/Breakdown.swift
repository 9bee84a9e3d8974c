import CascadeSupport

/// A named group of parameters for the uncertainty breakdown: globs (`*`, `?`) matched against
/// parameter names (`jes_*`) and, for per-bin parameters, their set names (`staterror_SR`
/// selects every `staterror_SR[i]`).
public struct ParameterGroup: Sendable, Equatable {
  public var name: String
  public var globs: [String]
  /// Group `name` selecting the parameters matched by any of `globs`.
  public init(name: String, globs: [String]) {
    self.name = name
    self.globs = globs
  }

  /// Parses `{"jes": ["jes_*"], "theory": ["scale", "pdf_*"]}` (group order kept).
  public static func parse(_ c: JSONCursor) throws -> [ParameterGroup] {
    let o = try c.object()
    var out: [ParameterGroup] = []
    for key in o.keys {
      let item = c.child(key, o.object[key]!)
      let globs = try item.strings()
      guard !globs.isEmpty else { throw item.error("needs at least one parameter name or glob") }
      out.append(ParameterGroup(name: key, globs: globs))
    }
    return out
  }

  /// Reads a `--groups` file holding such an object.
  public static func load(path: String) throws -> [ParameterGroup] {
    try parse(JSONCursor(JSONValue.load(path: path), source: path))
  }
}

/// Whether `name` matches `glob` (`*` any run of characters, `?` one character).
func globMatches(_ glob: String, _ name: String) -> Bool {
  let p = Array(glob), s = Array(name)
  var pi = 0, si = 0, star = -1, mark = 0
  while si < s.count {
    if pi < p.count && (p[pi] == "?" || p[pi] == s[si]) {
      pi += 1; si += 1
    } else if pi < p.count && p[pi] == "*" {
      star = pi; mark = si; pi += 1
    } else if star >= 0 {
      pi = star + 1; mark += 1; si = mark
    } else {
      return false
    }
  }
  while pi < p.count && p[pi] == "*" { pi += 1 }
  return pi == p.count
}

/// The total uncertainty of the POI and of every free normfactor, split into a statistical part
/// (all constrained parameters fixed at their best fit: what remains is the data's Poisson
/// fluctuation, including free-floating normalisations) and the part of each group (total² −
/// σ²(group fixed at its best fit), square root; 0 when the refit's uncertainty is larger).
public struct UncertaintyBreakdown: Sendable, Equatable {
  /// One parameter's split: best-fit value, total, stat and syst uncertainties, and each group's part.
  public struct Entry: Sendable, Equatable {
    public var name: String
    public var value: Double
    /// HESSE uncertainty of the full fit.
    public var total: Double
    public var stat: Double
    /// √(total² − stat²).
    public var syst: Double
    /// Per group, in the groups' order.
    public var groups: [Double]
  }
  public var poi: String?
  public var groupNames: [String]
  /// The POI first, then the other free scalar normfactors in parameter order.
  public var entries: [Entry]
  /// Refits (stat-only, or a group's name) that did not converge.
  public var failedRefits: [String]
}

extension Fitter {
  /// The breakdown around `best` (a fit of `data` with covariance); `source` names where the
  /// groups came from in errors (`fit.groups`, a `--groups` file).
  public func breakdown(
    _ data: FitData, best: FitResult, groups: [ParameterGroup], source: String, threads: Int = 0
  ) throws -> UncertaintyBreakdown {
    var targets: [Int] = []
    if let p = model.poiIndex, !best.fixed[p] { targets.append(p) }
    for s in model.parameterSets where s.isScalar && s.constraint == .unconstrained && !best.fixed[s.offset] {
      if !targets.contains(s.offset) { targets.append(s.offset) }
    }
    guard !targets.isEmpty else { throw UserError("--breakdown: the model has no free POI or normfactor to break down") }
    let constrained = model.parameterSets.filter { $0.constraint != .unconstrained }.flatMap { s in (0..<s.count).map { s.offset + $0 } }
    var fixSets: [[Int]] = [constrained.filter { !best.fixed[$0] }]
    for g in groups {
      var members: [Int] = []
      for glob in g.globs {
        var matched = false
        for s in model.parameterSets {
          for k in 0..<s.count {
            let i = s.offset + k
            if globMatches(glob, model.parameterNames[i]) || globMatches(glob, s.name) {
              matched = true
              if !best.fixed[i] && !members.contains(i) { members.append(i) }
            }
          }
        }
        if !matched {
          var msg = "\(source).\(g.name): no parameter matches \"\(glob)\""
          if let near = nearestName(to: glob, in: model.parameterNames) { msg += " (did you mean \"\(near)\"?)" }
          throw UserError(msg)
        }
      }
      fixSets.append(members.sorted())
    }
    let fits = ParallelBlocks.map(count: fixSets.count, blockSize: 1, threads: threads) { range in
      range.map { j -> FitResult in
        let fixed = Dictionary(uniqueKeysWithValues: fixSets[j].map { ($0, best.values[$0]) })
        return fit(data, fixedValues: fixed, start: best.values, covariance: true)
      }
    }.flatMap { $0 }
    var failed: [String] = []
    for (j, f) in fits.enumerated() where !f.converged { failed.append(j == 0 ? "stat" : groups[j - 1].name) }
    func remainder(_ total: Double, _ without: Double) -> Double { max(0, total * total - without * without).squareRoot() }
    let entries = targets.map { t -> UncertaintyBreakdown.Entry in
      let total = best.errors[t]
      let stat = fits[0].errors[t]
      return UncertaintyBreakdown.Entry(
        name: model.parameterNames[t], value: best.values[t], total: total, stat: stat, syst: remainder(total, stat),
        groups: (1..<fits.count).map { remainder(total, fits[$0].errors[t]) })
    }
    return UncertaintyBreakdown(poi: model.poiName, groupNames: groups.map(\.name), entries: entries, failedRefits: failed)
  }
}
