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
  public init() {}
}

/// A fit with the model and data it was made on.
public struct FitRun: Sendable {
  public var workspace: Workspace
  public var model: Model
  public var data: FitData
  public var summary: FitSummary
}

/// Builds the model, fits it and runs the requested inference (`cascade fit`).
public func performFit(workspace: Workspace, request: FitRequest) throws -> FitRun {
  let model = try Model(workspace: workspace, measurement: request.measurement, poi: request.poi, interpolation: request.interpolation)
  let data = request.asimov ? model.expectedData(model.inits) : try model.observedData(workspace)
  let fitter = Fitter(model: model)
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
  if let mu = request.hypotestMu {
    let calc = try AsymptoticCalculator(fitter: fitter, data: data, statistic: request.testStatistic)
    summary.hypotest = try calc.hypotest(mu: mu)
  }
  if request.limit {
    let stat: TestStatistic = request.testStatistic == .q0 ? .qtilde : request.testStatistic
    let calc = try AsymptoticCalculator(fitter: fitter, data: data, statistic: stat)
    summary.limit = try calc.upperLimit()
  }
  if request.significance {
    summary.significance = try fitter.significance(data)
  }
  return FitRun(workspace: workspace, model: model, data: data, summary: summary)
}
