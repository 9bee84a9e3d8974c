import CascadeSupport
import Foundation

/// `fit/impacts.json`: the impact ranking (see `ImpactRanking`), keys in this order:
///
/// ```json
/// {"poi": "mu", "targets": ["mu"], "impacts": [{"name": "jes", "pull": 0.12, "constraint": 0.93,
///   "prefit": [0.046, -0.045], "postfit": [0.043, -0.041]}], "failed_refits": []}
/// ```
///
/// `prefit` / `postfit` are the POI's shifts [down, up] with the parameter fixed at θ₀ − σ₀ /
/// θ₀ + σ₀ (pre-fit) and θ̂ − σ̂ / θ̂ + σ̂ (post-fit), the rest refitted; `prefit` is null for
/// unconstrained parameters, whose `pull` is θ̂ − θ₀ and `constraint` σ̂ (otherwise (θ̂ − θ₀)/σ₀
/// and σ̂/σ₀). Entries are sorted by |postfit down| + |postfit up|, largest first. With
/// `--impacts-on`, each entry has `"on": {"<target>": {"prefit", "postfit"}}` for the further
/// targets; a background-only fit has `"poi": null` and the shifts on the first target.
public struct ImpactsFile: Codable, Sendable, Equatable {
  public static let fileName = "impacts.json"

  /// A target's shifts.
  public struct Shift: Codable, Sendable, Equatable {
    public var prefit: [Double]?
    public var postfit: [Double]
    enum CodingKeys: String, CodingKey { case prefit, postfit }
    /// The target's [down, up] shifts: pre-fit (nil for an unconstrained parameter) and post-fit.
    public init(prefit: [Double]?, postfit: [Double]) {
      self.prefit = prefit
      self.postfit = postfit
    }
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encodeNullable(prefit, forKey: .prefit)
      try c.encode(postfit, forKey: .postfit)
    }
    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      prefit = try c.decodeNullable([Double].self, forKey: .prefit)
      postfit = try c.decode([Double].self, forKey: .postfit)
    }
  }

  /// One parameter of `impacts`: its pull, constraint and the shifts [down, up] of the first target.
  public struct Entry: Codable, Sendable, Equatable {
    public var name: String
    public var pull: Double
    public var constraint: Double
    public var prefit: [Double]?
    public var postfit: [Double]
    /// Shifts of the further targets (`--impacts-on`), nil without.
    public var on: OrderedMap<Shift>?
    enum CodingKeys: String, CodingKey { case name, pull, constraint, prefit, postfit, on }
    /// Entry of parameter `name`; `prefit` nil for an unconstrained parameter, `on` nil (key absent)
    /// without further targets.
    public init(name: String, pull: Double, constraint: Double, prefit: [Double]?, postfit: [Double], on: OrderedMap<Shift>?) {
      self.name = name
      self.pull = pull
      self.constraint = constraint
      self.prefit = prefit
      self.postfit = postfit
      self.on = on
    }
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(pull, forKey: .pull)
      try c.encode(constraint, forKey: .constraint)
      try c.encodeNullable(prefit, forKey: .prefit)
      try c.encode(postfit, forKey: .postfit)
      try c.encodeIfPresent(on, forKey: .on)
    }
    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      pull = try c.decode(Double.self, forKey: .pull)
      constraint = try c.decode(Double.self, forKey: .constraint)
      prefit = try c.decodeNullable([Double].self, forKey: .prefit)
      postfit = try c.decode([Double].self, forKey: .postfit)
      on = try c.decodeIfPresent(OrderedMap<Shift>.self, forKey: .on)
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
    try c.encodeNullable(poi, forKey: .poi)
    try c.encode(targets, forKey: .targets)
    try c.encode(impacts, forKey: .impacts)
    try c.encode(failedRefits, forKey: .failedRefits)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    poi = try c.decodeNullable(String.self, forKey: .poi)
    targets = try c.decode([String].self, forKey: .targets)
    impacts = try c.decode([Entry].self, forKey: .impacts)
    failedRefits = try c.decode([String].self, forKey: .failedRefits)
  }

  /// The file of ranking `r`: the first target's shifts in each entry, the other targets under `on`
  /// (omitting a target's impact on itself).
  public init(_ r: ImpactRanking) {
    poi = r.poi
    targets = r.targets
    failedRefits = r.failedRefits
    impacts = r.impacts.map { p in
      var on: OrderedMap<Shift>?
      if r.targets.count > 1 {
        on = OrderedMap((1..<r.targets.count).filter { r.targets[$0] != p.name }.map { t in
          (r.targets[t], Shift(prefit: p.prefit?[t], postfit: p.postfit[t]))
        })
      }
      return Entry(name: p.name, pull: p.pull, constraint: p.constraint, prefit: p.prefit?[0], postfit: p.postfit[0], on: on)
    }
  }
}

/// `fit/breakdown.json`: the uncertainty breakdown (see `UncertaintyBreakdown`):
///
/// ```json
/// {"poi": "mu", "groups": ["jes", "theory"], "parameters": [{"name": "mu", "value": 1.11,
///   "total": 0.112, "stat": 0.10, "syst": 0.05, "groups": {"jes": 0.03, "theory": 0.01}}],
///   "failed_refits": []}
/// ```
public struct BreakdownFile: Codable, Sendable, Equatable {
  public static let fileName = "breakdown.json"

  /// One entry of `parameters`: value, total / stat / syst uncertainty and each group's part, by group name.
  public struct Entry: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double
    public var total: Double
    public var stat: Double
    public var syst: Double
    /// Each group's part, in the groups' order.
    public var groups: OrderedMap<Double>
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
    try c.encodeNullable(poi, forKey: .poi)
    try c.encode(groups, forKey: .groups)
    try c.encode(parameters, forKey: .parameters)
    try c.encode(failedRefits, forKey: .failedRefits)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    poi = try c.decodeNullable(String.self, forKey: .poi)
    groups = try c.decode([String].self, forKey: .groups)
    parameters = try c.decode([Entry].self, forKey: .parameters)
    failedRefits = try c.decode([String].self, forKey: .failedRefits)
  }

  /// The file of breakdown `b`, its per-group parts keyed by group name.
  public init(_ b: UncertaintyBreakdown) {
    poi = b.poi
    groups = b.groupNames
    failedRefits = b.failedRefits
    parameters = b.entries.map { e in
      Entry(
        name: e.name, value: e.value, total: e.total, stat: e.stat, syst: e.syst,
        groups: OrderedMap(Array(zip(b.groupNames, e.groups)).map { (key: $0.0, value: $0.1) }))
    }
  }
}

/// `fit/toys.json`: the toy-based results:
///
/// ```json
/// {"calculator": "toys", "seed": 1, "toys": 1000, "failure_limit": 0.1,
///  "hypotest": {"mu": 1, "test_stat": "qtilde", "q_obs": 0.8, "cls_obs": 0.21, "cls_obs_error": 0.012,
///    "clsb": 0.13, "clsb_error": 0.011, "clb": 0.6, "clb_error": 0.015, "cls_exp": [5 values],
///    "failed_toys": {"signal_plus_background": 1, "background_only": 0}},
///  "significance": {"observed": 2.1, "expected": 2.9, "p_obs": 0.018, "p_obs_error": 0.004,
///    "p_exp": 0.002, "q_obs": 4.4, "failed_toys": {…}}}
/// ```
///
/// `hypotest` / `significance` appear when asked; a Z for a p-value of 0 is null.
public struct ToysFile: Codable, Sendable, Equatable {
  public static let fileName = "toys.json"

  /// `failed_toys`: how many toys of each hypothesis were left out because their fits did not converge.
  public struct FailedToys: Codable, Sendable, Equatable {
    public var signalPlusBackground: Int
    public var backgroundOnly: Int
    enum CodingKeys: String, CodingKey {
      case signalPlusBackground = "signal_plus_background"
      case backgroundOnly = "background_only"
    }
  }

  /// The `hypotest` object: the toy-based test at `mu`, p-values with their binomial errors.
  public struct Hypotest: Codable, Sendable, Equatable {
    public var mu: Double
    public var testStat: String
    public var qObs: Double
    public var clsObs: Double
    public var clsObsError: Double
    public var clsb: Double
    public var clsbError: Double
    public var clb: Double
    public var clbError: Double
    public var clsExp: [Double]
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
  }

  /// The `significance` object: observed / expected Z₀ (from p₀ and the median expected p₀) and p₀.
  public struct SignificanceEntry: Codable, Sendable, Equatable {
    public var observed: Double
    public var expected: Double
    public var pObs: Double
    public var pObsError: Double
    public var pExp: Double
    public var qObs: Double
    public var failedToys: FailedToys
    enum CodingKeys: String, CodingKey {
      case observed, expected
      case pObs = "p_obs"
      case pObsError = "p_obs_error"
      case pExp = "p_exp"
      case qObs = "q_obs"
      case failedToys = "failed_toys"
    }
  }

  public var calculator = "toys"
  public var seed: UInt64
  public var toys: Int
  public var failureLimit: Double
  public var hypotest: Hypotest?
  public var significance: SignificanceEntry?

  enum CodingKeys: String, CodingKey {
    case calculator, seed, toys
    case failureLimit = "failure_limit"
    case hypotest, significance
  }

  /// The file of toys run with `settings`; `hypotest` / `significance` nil leave their keys out.
  public init(settings: ToySettings, hypotest h: ToyHypotest?, significance s: ToyHypotest?) {
    seed = settings.seed
    toys = settings.toys
    failureLimit = settings.failureLimit
    func failed(_ t: ToyHypotest) -> FailedToys {
      FailedToys(signalPlusBackground: t.failedSignalPlusBackground, backgroundOnly: t.failedBackgroundOnly)
    }
    hypotest = h.map { t in
      Hypotest(
        mu: t.result.mu, testStat: t.result.testStatistic.rawValue, qObs: t.result.q, clsObs: t.result.clsObserved,
        clsObsError: t.clsError, clsb: t.result.clsb, clsbError: t.clsbError, clb: t.result.clb, clbError: t.clbError,
        clsExp: t.result.clsExpected, failedToys: failed(t))
    }
    significance = s.map { t in
      let p = t.result.clsObserved, pe = t.result.clsExpected[2]
      return SignificanceEntry(
        observed: StandardNormal.quantile(1 - p), expected: StandardNormal.quantile(1 - pe), pObs: p, pObsError: t.clsError,
        pExp: pe, qObs: t.result.q, failedToys: failed(t))
    }
  }
}

extension PublishResults {
  /// The files for the results present, by name, as JSON (through `JSONValueEncoder`).
  public func files() throws -> [(name: String, json: JSONValue)] {
    let encoder = JSONValueEncoder()
    var out: [(String, JSONValue)] = []
    if let i = impacts { out.append((ImpactsFile.fileName, try encoder.encode(ImpactsFile(i)))) }
    if let b = breakdown { out.append((BreakdownFile.fileName, try encoder.encode(BreakdownFile(b)))) }
    if let toySettings, toyHypotest != nil || toySignificance != nil {
      out.append((ToysFile.fileName, try encoder.encode(ToysFile(settings: toySettings, hypotest: toyHypotest, significance: toySignificance))))
    }
    return out
  }
}
