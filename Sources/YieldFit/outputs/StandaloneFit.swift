import CascadeSupport

/// What to compute on top of the maximum-likelihood fit.
public struct FitRequest: Sendable {
  /// Overrides the measurement's POI.
  public var poi: String?
  /// Fit the Asimov dataset at the initial parameter values instead of the observations.
  public var asimov = false
  public var interpolation = InterpolationSettings()
  public var measurement: String?
  /// Run a hypothesis test at this μ.
  public var hypotestMu: Double?
  public var testStatistic: TestStatistic = .qtilde
  public var limit = false
  public var significance = false
  /// Parameter names for MINOS intervals (the POI always gets one).
  public var minos: [String] = []
  /// Impacts, breakdown, toys, strategy, background-only fits (see `PublishRequest`).
  public var publish = PublishRequest()
  /// A plain fit of the observed data with the measurement's POI and default interpolation; no
  /// hypotest, limit, significance, MINOS or publication extras (q̃ when a test is asked).
  public init() {}
}

/// A fit with the model and data it was made on.
public struct FitRun: Sendable {
  public var workspace: Workspace
  public var model: Model
  public var data: FitData
  public var summary: FitSummary
  /// Impacts, breakdown, toy results and fit diagnostics, when asked for.
  public var publish = PublishResults()
}

/// Builds the model, fits it and runs the requested inference (`cascade fit`).
public func performFit(workspace: Workspace, request: FitRequest) throws -> FitRun {
  if request.publish.calculator == .toys && request.limit {
    throw UserError("--limit uses the asymptotic calculator; drop --calculator toys (toys serve --hypotest and --significance)")
  }
  let model = try Model(
    workspace: workspace, measurement: request.measurement, poi: request.publish.backgroundOnly ? "" : request.poi,
    interpolation: request.interpolation, backgroundOnlyIfPOIAbsent: true)
  let data = request.asimov ? model.expectedData(model.inits) : try model.observedData(workspace)
  let fitter = Fitter(model: model, options: request.publish.minimizer)
  let result = fitter.fit(data)
  var minosIndices: [Int] = []
  if let p = model.poiIndex { minosIndices.append(p) }
  for name in request.minos {
    guard let i = model.parameterIndex(name) else {
      var msg = "--minos: no parameter \"\(name)\""
      if let near = nearestName(to: name, in: model.parameterNames) { msg += " (did you mean \"\(near)\"?)" }
      throw UserError(msg)
    }
    if !minosIndices.contains(i) { minosIndices.append(i) }
  }
  var minos: [Int: (lower: Double, upper: Double)] = [:]
  for i in minosIndices where !result.fixed[i] { minos[i] = fitter.minos(data, best: result, index: i) }
  var summary = FitSummary(result: result, poi: model.poiName, minos: minos)
  var publish = try publishInference(fitter, data: data, best: result, request: request)
  if request.poi == nil, !request.publish.backgroundOnly, model.poiIndex == nil,
    let absent = workspace.measurements.first(where: { $0.name == model.measurementName })?.poi, !absent.isEmpty
  {
    publish.notes.insert("the measurement's POI \"\(absent)\" is not a parameter of the model: background-only fit", at: 0)
  }
  let toys = request.publish.calculator == .toys
  if toys && (request.hypotestMu != nil || request.significance) { publish.toySettings = request.publish.toys }
  if toys, let mu = request.hypotestMu {
    let calc = try ToyCalculator(fitter: fitter, data: data, statistic: request.testStatistic, settings: request.publish.toys)
    let t = try calc.hypotest(mu: mu)
    publish.toyHypotest = t
    summary.hypotest = t.result
  } else if let mu = request.hypotestMu {
    let calc = try AsymptoticCalculator(fitter: fitter, data: data, statistic: request.testStatistic)
    summary.hypotest = try calc.hypotest(mu: mu)
  }
  if request.limit {
    let stat: TestStatistic = request.testStatistic == .q0 ? .qtilde : request.testStatistic
    let calc = try AsymptoticCalculator(fitter: fitter, data: data, statistic: stat)
    summary.limit = try calc.upperLimit()
  }
  if toys && request.significance {
    let calc = try ToyCalculator(fitter: fitter, data: data, statistic: .q0, settings: request.publish.toys)
    let (s, t) = try calc.significance()
    publish.toySignificance = t
    summary.significance = s
  } else if request.significance {
    summary.significance = try fitter.significance(data)
  }
  return FitRun(workspace: workspace, model: model, data: data, summary: summary, publish: publish)
}
