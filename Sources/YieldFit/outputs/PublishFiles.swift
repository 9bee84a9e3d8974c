import CascadeSupport
import Foundation

/// `fit/impacts.json`: the impact ranking (see `ImpactRanking`), keys sorted:
///
/// ```json
/// {"failed_refits": [], "impacts": [{"constraint": 0.93, "name": "jes", "postfit": [-0.041, 0.043],
///   "prefit": [-0.045, 0.046], "pull": 0.12}], "poi": "mu", "targets": ["mu"]}
/// ```
///
/// `prefit` / `postfit` are the POI's shifts [down, up] with the parameter fixed at θ₀ ∓ σ₀ /
/// θ̂ ∓ σ̂; `prefit` is null for unconstrained parameters, whose `pull` is θ̂ − θ₀ and
/// `constraint` σ̂. With `--impacts-on`, each entry has `"on": {"<target>": {"prefit",
/// "postfit"}}` for the further targets. A background-only fit has `"poi": null` and the shifts on
/// the first `--impacts-on` target.
public struct ImpactsFile: Codable, Sendable, Equatable {
  public static let fileName = "impacts.json"

  public struct Shift: Codable, Sendable, Equatable {
    public var prefit: [Double?]?
    public var postfit: [Double?]
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(prefit, forKey: .prefit)
      try c.encode(postfit, forKey: .postfit)
    }
  }

  public struct Entry: Codable, Sendable, Equatable {
    public var name: String
    public var pull: Double?
    public var constraint: Double?
    public var prefit: [Double?]?
    public var postfit: [Double?]
    public var on: [String: Shift]?
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(pull, forKey: .pull)
      try c.encode(constraint, forKey: .constraint)
      try c.encode(prefit, forKey: .prefit)
      try c.encode(postfit, forKey: .postfit)
      try c.encodeIfPresent(on, forKey: .on)
    }
  }

  public var poi: String?
  public var targets: [String]
  public var impacts: [Entry]
  public var failedRefits: [String]

  enum CodingKeys: String, CodingKey {
    case poi, targets, impacts
    case failedRefits = "failed_refits"
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(poi, forKey: .poi)
    try c.encode(targets, forKey: .targets)
    try c.encode(impacts, forKey: .impacts)
    try c.encode(failedRefits, forKey: .failedRefits)
  }

  public init(_ r: ImpactRanking) {
    poi = r.poi
    targets = r.targets
    failedRefits = r.failedRefits
    impacts = r.impacts.map { p in
      var on: [String: Shift]?
      if r.targets.count > 1 {
        var m: [String: Shift] = [:]
        for t in 1..<r.targets.count where r.targets[t] != p.name {
          m[r.targets[t]] = Shift(prefit: p.prefit.map { finite($0[t]) }, postfit: finite(p.postfit[t]))
        }
        on = m
      }
      return Entry(
        name: p.name, pull: finite(p.pull), constraint: finite(p.constraint), prefit: p.prefit.map { finite($0[0]) },
        postfit: finite(p.postfit[0]), on: on)
    }
  }

  public func json() throws -> JSONValue { try encodeSorted(self, source: Self.fileName) }
}

/// `fit/breakdown.json`: the uncertainty breakdown (see `UncertaintyBreakdown`), keys sorted:
///
/// ```json
/// {"failed_refits": [], "groups": ["jes", "theory"], "parameters": [{"groups": {"jes": 0.03,
///   "theory": 0.01}, "name": "mu", "stat": 0.10, "syst": 0.05, "total": 0.112, "value": 1.11}],
///   "poi": "mu"}
/// ```
public struct BreakdownFile: Codable, Sendable, Equatable {
  public static let fileName = "breakdown.json"

  public struct Entry: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double?
    public var total: Double?
    public var stat: Double?
    public var syst: Double?
    public var groups: [String: Double?]
  }

  public var poi: String?
  public var groups: [String]
  public var parameters: [Entry]
  public var failedRefits: [String]

  enum CodingKeys: String, CodingKey {
    case poi, groups, parameters
    case failedRefits = "failed_refits"
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(poi, forKey: .poi)
    try c.encode(groups, forKey: .groups)
    try c.encode(parameters, forKey: .parameters)
    try c.encode(failedRefits, forKey: .failedRefits)
  }

  public init(_ b: UncertaintyBreakdown) {
    poi = b.poi
    groups = b.groupNames
    failedRefits = b.failedRefits
    parameters = b.entries.map { e in
      var g: [String: Double?] = [:]
      for (k, name) in b.groupNames.enumerated() { g[name] = finite(e.groups[k]) }
      return Entry(name: e.name, value: finite(e.value), total: finite(e.total), stat: finite(e.stat), syst: finite(e.syst), groups: g)
    }
  }

  public func json() throws -> JSONValue { try encodeSorted(self, source: Self.fileName) }
}

/// `fit/toys.json`: the toy-based results, keys sorted:
///
/// ```json
/// {"calculator": "toys", "failure_limit": 0.1, "hypotest": {"cls_exp": [5 values], "cls_obs": 0.21,
///   "cls_obs_error": 0.012, "clb": 0.6, "clb_error": 0.015, "clsb": 0.13, "clsb_error": 0.011,
///   "failed_toys": {"background_only": 0, "signal_plus_background": 1}, "mu": 1, "q_obs": 0.8,
///   "test_stat": "qtilde"}, "seed": 1, "significance": {…}, "toys": 1000}
/// ```
///
/// `significance` (with `--significance`) holds the q₀ test: `observed`, `expected` (Z),
/// `p_obs`, `p_obs_error`, `p_exp`, `q_obs` and `failed_toys`; Z is null for a p-value of 0.
public struct ToysFile: Codable, Sendable, Equatable {
  public static let fileName = "toys.json"

  public struct FailedToys: Codable, Sendable, Equatable {
    public var signalPlusBackground: Int
    public var backgroundOnly: Int
    enum CodingKeys: String, CodingKey {
      case signalPlusBackground = "signal_plus_background"
      case backgroundOnly = "background_only"
    }
  }

  public struct Hypotest: Codable, Sendable, Equatable {
    public var mu: Double
    public var testStat: String
    public var qObs: Double?
    public var clsObs: Double?
    public var clsObsError: Double?
    public var clsb: Double?
    public var clsbError: Double?
    public var clb: Double?
    public var clbError: Double?
    public var clsExp: [Double?]
    public var failedToys: FailedToys
    enum CodingKeys: String, CodingKey {
      case mu
      case testStat = "test_stat"
      case qObs = "q_obs"
      case clsObs = "cls_obs"
      case clsObsError = "cls_obs_error"
      case clsb
      case clsbError = "clsb_error"
      case clb
      case clbError = "clb_error"
      case clsExp = "cls_exp"
      case failedToys = "failed_toys"
    }
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(mu, forKey: .mu)
      try c.encode(testStat, forKey: .testStat)
      try c.encode(qObs, forKey: .qObs)
      try c.encode(clsObs, forKey: .clsObs)
      try c.encode(clsObsError, forKey: .clsObsError)
      try c.encode(clsb, forKey: .clsb)
      try c.encode(clsbError, forKey: .clsbError)
      try c.encode(clb, forKey: .clb)
      try c.encode(clbError, forKey: .clbError)
      try c.encode(clsExp, forKey: .clsExp)
      try c.encode(failedToys, forKey: .failedToys)
    }
  }

  public struct SignificanceEntry: Codable, Sendable, Equatable {
    public var observed: Double?
    public var expected: Double?
    public var pObs: Double?
    public var pObsError: Double?
    public var pExp: Double?
    public var qObs: Double?
    public var failedToys: FailedToys
    enum CodingKeys: String, CodingKey {
      case observed, expected
      case pObs = "p_obs"
      case pObsError = "p_obs_error"
      case pExp = "p_exp"
      case qObs = "q_obs"
      case failedToys = "failed_toys"
    }
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(observed, forKey: .observed)
      try c.encode(expected, forKey: .expected)
      try c.encode(pObs, forKey: .pObs)
      try c.encode(pObsError, forKey: .pObsError)
      try c.encode(pExp, forKey: .pExp)
      try c.encode(qObs, forKey: .qObs)
      try c.encode(failedToys, forKey: .failedToys)
    }
  }

  public var calculator = "toys"
  public var seed: Double
  public var toys: Int
  public var failureLimit: Double
  public var hypotest: Hypotest?
  public var significance: SignificanceEntry?

  enum CodingKeys: String, CodingKey {
    case calculator, seed, toys, hypotest, significance
    case failureLimit = "failure_limit"
  }

  public init(settings: ToySettings, hypotest h: ToyHypotest?, significance s: ToyHypotest?) {
    seed = Double(settings.seed)
    toys = settings.toys
    failureLimit = settings.failureLimit
    hypotest = h.map { t in
      Hypotest(
        mu: t.result.mu, testStat: t.result.testStatistic.rawValue, qObs: finite(t.result.q), clsObs: finite(t.result.clsObserved),
        clsObsError: finite(t.clsError), clsb: finite(t.result.clsb), clsbError: finite(t.clsbError), clb: finite(t.result.clb),
        clbError: finite(t.clbError), clsExp: finite(t.result.clsExpected),
        failedToys: FailedToys(signalPlusBackground: t.failedSignalPlusBackground, backgroundOnly: t.failedBackgroundOnly))
    }
    significance = s.map { t in
      let p = t.result.clsObserved, pe = t.result.clsExpected[2]
      return SignificanceEntry(
        observed: finite(StandardNormal.quantile(1 - p)), expected: finite(StandardNormal.quantile(1 - pe)), pObs: finite(p),
        pObsError: finite(t.clsError), pExp: finite(pe), qObs: finite(t.result.q),
        failedToys: FailedToys(signalPlusBackground: t.failedSignalPlusBackground, backgroundOnly: t.failedBackgroundOnly))
    }
  }

  public func json() throws -> JSONValue { try encodeSorted(self, source: Self.fileName) }
}

/// nil for NaN and ±∞ (JSON null).
func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
func finite(_ xs: [Double]) -> [Double?] { xs.map { finite($0) } }

/// Encodes with sorted keys and re-parses, so the file is written by JSONWriter like every other output.
func encodeSorted<T: Encodable>(_ value: T, source: String) throws -> JSONValue {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return try JSONValue.parse(Array(encoder.encode(value)), source: source)
}

extension PublishResults {
  /// The files for the results present, by name.
  public func files() throws -> [(name: String, json: JSONValue)] {
    var out: [(String, JSONValue)] = []
    if let i = impacts { out.append((ImpactsFile.fileName, try ImpactsFile(i).json())) }
    if let b = breakdown { out.append((BreakdownFile.fileName, try BreakdownFile(b).json())) }
    if let toySettings, toyHypotest != nil || toySignificance != nil {
      out.append((ToysFile.fileName, try ToysFile(settings: toySettings, hypotest: toyHypotest, significance: toySignificance).json()))
    }
    return out
  }
}
