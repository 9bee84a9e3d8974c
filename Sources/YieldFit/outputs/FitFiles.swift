import CascadeSupport

/// `fit/result.json` (and `cascade fit --json`): the fit's parameters, correlations and the
/// optional inference results. Written by `writeFitOutputs`, read back by the report.
///
/// `poi` and each parameter's `minos` are always present (`null` when there is none);
/// `hypotest`, `limit` and `significance` only when computed.
public struct FitResultFile: Codable, Sendable, Equatable {
  /// One fitted parameter.
  public struct Parameter: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double
    public var error: Double
    /// MINOS errors `[lower, upper]`, signed (lower ≤ 0 ≤ upper), or nil.
    public var minos: [Double]?
    public var fixed: Bool

    /// Parameter `name` at `value` ± `error` (HESSE), its signed MINOS `[lower, upper]` or nil, and
    /// whether it was held fixed.
    public init(name: String, value: Double, error: Double, minos: [Double]?, fixed: Bool) {
      self.name = name
      self.value = value
      self.error = error
      self.minos = minos
      self.fixed = fixed
    }

    enum CodingKeys: String, CodingKey { case name, value, error, minos, fixed }

    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(name, forKey: .name)
      try c.encode(value, forKey: .value)
      try c.encode(error, forKey: .error)
      try c.encodeNullable(minos, forKey: .minos)
      try c.encode(fixed, forKey: .fixed)
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      value = try c.decode(Double.self, forKey: .value)
      error = try c.decode(Double.self, forKey: .error)
      minos = try c.decodeNullable([Double].self, forKey: .minos)
      if let m = minos, m.count != 2 {
        throw DecodingError.dataCorruptedError(forKey: .minos, in: c, debugDescription: "expected [lower, upper], found \(m.count) numbers")
      }
      fixed = try c.decode(Bool.self, forKey: .fixed)
    }
  }

  /// An asymptotic hypothesis test at `mu`.
  public struct Hypotest: Codable, Sendable, Equatable {
    public var mu: Double
    public var testStat: String
    public var clsObs: Double
    /// Expected CLs at +2σ, +1σ, 0, −1σ, −2σ.
    public var clsExp: [Double]
    /// The test at `mu` with statistic `testStat` (`TestStatistic.rawValue`), observed and expected CLs.
    public init(mu: Double, testStat: String, clsObs: Double, clsExp: [Double]) {
      self.mu = mu
      self.testStat = testStat
      self.clsObs = clsObs
      self.clsExp = clsExp
    }
    enum CodingKeys: String, CodingKey {
      case mu
      case testStat = "test_stat", clsObs = "cls_obs", clsExp = "cls_exp"
    }
  }

  /// The 95 % CL upper limit on the POI.
  public struct Limit: Codable, Sendable, Equatable {
    public var observed: Double
    /// Expected at +2σ, +1σ, 0, −1σ, −2σ.
    public var expected: [Double]
    /// The observed limit and the expected ones at +2σ, +1σ, 0, −1σ, −2σ.
    public init(observed: Double, expected: [Double]) {
      self.observed = observed
      self.expected = expected
    }
  }

  /// Discovery significance Z₀.
  public struct Significance: Codable, Sendable, Equatable {
    public var observed: Double
    public var expected: Double
    /// Observed and expected Z₀, in standard deviations.
    public init(observed: Double, expected: Double) {
      self.observed = observed
      self.expected = expected
    }
  }

  public var converged: Bool
  public var twiceNLL: Double
  public var edm: Double
  public var poi: String?
  public var parameters: [Parameter]
  /// All parameters × all parameters, in `parameters` order.
  public var correlation: [[Double]]
  public var hypotest: Hypotest?
  public var limit: Limit?
  public var significance: Significance?

  /// The fit's convergence, 2·NLL at the minimum, EDM, POI name (nil: none), parameters and their
  /// correlation matrix; the inference results are nil (key absent) unless computed.
  public init(
    converged: Bool, twiceNLL: Double, edm: Double, poi: String?, parameters: [Parameter], correlation: [[Double]],
    hypotest: Hypotest? = nil, limit: Limit? = nil, significance: Significance? = nil
  ) {
    self.converged = converged
    self.twiceNLL = twiceNLL
    self.edm = edm
    self.poi = poi
    self.parameters = parameters
    self.correlation = correlation
    self.hypotest = hypotest
    self.limit = limit
    self.significance = significance
  }

  enum CodingKeys: String, CodingKey {
    case converged, edm, poi, parameters, correlation, hypotest, limit, significance
    case twiceNLL = "twice_nll"
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(converged, forKey: .converged)
    try c.encode(twiceNLL, forKey: .twiceNLL)
    try c.encode(edm, forKey: .edm)
    try c.encodeNullable(poi, forKey: .poi)
    try c.encode(parameters, forKey: .parameters)
    try c.encode(correlation, forKey: .correlation)
    try c.encodeIfPresent(hypotest, forKey: .hypotest)
    try c.encodeIfPresent(limit, forKey: .limit)
    try c.encodeIfPresent(significance, forKey: .significance)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    converged = try c.decode(Bool.self, forKey: .converged)
    twiceNLL = try c.decode(Double.self, forKey: .twiceNLL)
    edm = try c.decode(Double.self, forKey: .edm)
    poi = try c.decodeNullable(String.self, forKey: .poi)
    parameters = try c.decode([Parameter].self, forKey: .parameters)
    correlation = try c.decode([[Double]].self, forKey: .correlation)
    let n = parameters.count
    guard correlation.count == n, correlation.allSatisfy({ $0.count == n }) else {
      throw DecodingError.dataCorruptedError(
        forKey: .correlation, in: c, debugDescription: "expected a \(n) × \(n) matrix (one row and column per parameter)")
    }
    hypotest = try c.decodeIfPresent(Hypotest.self, forKey: .hypotest)
    limit = try c.decodeIfPresent(Limit.self, forKey: .limit)
    significance = try c.decodeIfPresent(Significance.self, forKey: .significance)
  }
}

/// `fit/prepost.json`: per region, pre- and post-fit yields per sample and bin, data, and the
/// per-bin totals with their uncertainties (pre-fit from the constraint widths, post-fit from
/// the fit covariance). Written by `writeFitOutputs`, read back by the report.
public struct PrePostFile: Codable, Sendable, Equatable {
  /// One sample's per-bin yields.
  public struct Sample: Codable, Sendable, Equatable {
    public var name: String
    public var prefit: [Double]
    public var postfit: [Double]
    /// Sample `name`'s pre- and post-fit yields, one per bin of the region.
    public init(name: String, prefit: [Double], postfit: [Double]) {
      self.name = name
      self.prefit = prefit
      self.postfit = postfit
    }
  }
  /// One region (fit channel).
  public struct Region: Codable, Sendable, Equatable {
    public var name: String
    /// Bin edges (n + 1 for n bins).
    public var edges: [Double]
    public var samples: [Sample]
    public var data: [Double]
    public var prefitTotal: [Double]
    public var prefitError: [Double]
    public var postfitTotal: [Double]
    public var postfitError: [Double]
    enum CodingKeys: String, CodingKey {
      case name, edges, samples, data
      case prefitTotal = "prefit_total", prefitError = "prefit_error"
      case postfitTotal = "postfit_total", postfitError = "postfit_error"
    }

    /// Region `name` with `edges` (n + 1), its samples, and per bin (n values each) the data and the
    /// pre-/post-fit totals with their uncertainties; decoding checks these counts.
    public init(
      name: String, edges: [Double], samples: [Sample], data: [Double], prefitTotal: [Double], prefitError: [Double],
      postfitTotal: [Double], postfitError: [Double]
    ) {
      self.name = name
      self.edges = edges
      self.samples = samples
      self.data = data
      self.prefitTotal = prefitTotal
      self.prefitError = prefitError
      self.postfitTotal = postfitTotal
      self.postfitError = postfitError
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      edges = try c.decode([Double].self, forKey: .edges)
      guard edges.count >= 2 else {
        throw DecodingError.dataCorruptedError(forKey: .edges, in: c, debugDescription: "need at least two bin edges")
      }
      let bins = edges.count - 1
      func perBin(_ key: CodingKeys) throws -> [Double] {
        let v = try c.decode([Double].self, forKey: key)
        guard v.count == bins else {
          throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "expected \(bins) values (one per bin), found \(v.count)")
        }
        return v
      }
      samples = try c.decode([Sample].self, forKey: .samples)
      for (i, s) in samples.enumerated() where s.prefit.count != bins || s.postfit.count != bins {
        throw DecodingError.dataCorrupted(.init(
          codingPath: c.codingPath + [CodingKeys.samples, IndexKey(i)],
          debugDescription: "sample \"\(s.name)\": expected \(bins) prefit and postfit yields"))
      }
      data = try perBin(.data)
      prefitTotal = try perBin(.prefitTotal)
      prefitError = try perBin(.prefitError)
      postfitTotal = try perBin(.postfitTotal)
      postfitError = try perBin(.postfitError)
    }
  }

  public var regions: [Region]

  /// The file of `regions`, in fit-channel order.
  public init(regions: [Region]) { self.regions = regions }
}
