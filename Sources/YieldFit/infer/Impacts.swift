import CascadeSupport

/// The pre- and post-fit impact of one nuisance parameter on the fit's targets (the POI and any
/// normfactors asked for), with its pull and constraint.
public struct ParameterImpact: Sendable, Equatable {
  /// pyhf component name.
  public var name: String
  /// Component index in the model.
  public var index: Int
  /// Whether the parameter has a constraint term (normal or Poisson); free parameters
  /// (normfactors, shapefactors) have no pre-fit width and hence no pre-fit impact.
  public var constrained: Bool
  /// (θ̂ − θ₀) / σ₀ for constrained parameters, θ̂ − θ₀ otherwise.
  public var pull: Double
  /// σ̂ / σ₀ for constrained parameters, σ̂ otherwise.
  public var constraint: Double
  /// Per target: the target's shift [down, up] with the parameter fixed at θ₀ ∓ σ₀ and the rest
  /// refitted (nil for unconstrained parameters).
  public var prefit: [[Double]]?
  /// Per target: the shift [down, up] with the parameter fixed at θ̂ ∓ σ̂.
  public var postfit: [[Double]]
}

/// Impacts of every free parameter except the POI, ranked by their post-fit impact on the first
/// target (|down| + |up|, largest first, ties in parameter order).
public struct ImpactRanking: Sendable, Equatable {
  /// The model's POI (nil for a background-only fit).
  public var poi: String?
  /// Names of the parameters the shifts are measured on (the POI first, then `--impacts-on`).
  public var targets: [String]
  public var impacts: [ParameterImpact]
  /// Parameters with at least one refit that did not converge (their impacts are still given).
  public var failedRefits: [String]
}

/// The pre-fit width σ₀ of each parameter component (constraint σ for Gaussian terms, 1/√τ for
/// Poisson terms, nil for unconstrained or fixed components).
func prefitWidths(_ model: Model) -> [Double?] {
  var w = [Double?](repeating: nil, count: model.parameterCount)
  for s in model.parameterSets {
    for k in 0..<s.count where !s.fixed[k] {
      switch s.constraint {
      case .unconstrained: break
      case .normal: w[s.offset + k] = s.sigmas[k]
      case .poisson: w[s.offset + k] = 1 / s.factors[k].squareRoot()
      }
    }
  }
  return w
}

extension Fitter {
  /// Names of `names` as component indices; an error naming the option and the nearest name.
  public func parameterIndices(_ names: [String], option: String) throws -> [Int] {
    try names.map { name in
      guard let i = model.parameterIndex(name) else {
        var msg = "\(option): no parameter \"\(name)\""
        if let near = nearestName(to: name, in: model.parameterNames) { msg += " (did you mean \"\(near)\"?)" }
        throw UserError(msg)
      }
      return i
    }
  }

  /// The impact ranking around `best` (a fit of `data` with covariance): for every free
  /// parameter but the POI, refits with it fixed at θ̂ ± σ̂ (post-fit) and θ₀ ± σ₀ (pre-fit,
  /// constrained parameters only), started from the best fit. Values are clamped to the
  /// parameter's bounds. The refits run on `threads` threads in fixed blocks: the result does not
  /// depend on the thread count.
  public func impacts(_ data: FitData, best: FitResult, on extraTargets: [Int] = [], threads: Int = 0) throws -> ImpactRanking {
    var targets: [Int] = model.poiIndex.map { [$0] } ?? []
    for t in extraTargets where !targets.contains(t) { targets.append(t) }
    guard !targets.isEmpty else {
      throw UserError("--impacts: the model has no parameter of interest; name the parameters to measure the impacts on with --impacts-on")
    }
    for t in targets where best.fixed[t] { throw UserError("--impacts-on: \"\(model.parameterNames[t])\" is fixed") }
    let widths = prefitWidths(model)
    let nps = (0..<model.parameterCount).filter { !best.fixed[$0] && $0 != model.poiIndex }
    // Jobs: (parameter, fixed value); per parameter post-down, post-up, then pre-down, pre-up.
    var jobs: [(param: Int, value: Double)] = []
    var firstJob: [Int] = []
    for i in nps {
      firstJob.append(jobs.count)
      let lo = model.lowerBounds[i], hi = model.upperBounds[i]
      func clamp(_ x: Double) -> Double { min(hi, max(lo, x)) }
      let v = best.values[i], e = best.errors[i].isFinite ? best.errors[i] : 0
      jobs.append((i, clamp(v - e)))
      jobs.append((i, clamp(v + e)))
      if let w = widths[i] {
        jobs.append((i, clamp(model.inits[i] - w)))
        jobs.append((i, clamp(model.inits[i] + w)))
      }
    }
    let fits = ParallelBlocks.map(count: jobs.count, blockSize: 1, threads: threads) { range in
      range.map { j in fit(data, fixedValues: [jobs[j].param: jobs[j].value], start: best.values, covariance: false) }
    }.flatMap { $0 }
    var impacts: [ParameterImpact] = []
    var failed: [String] = []
    for (k, i) in nps.enumerated() {
      let j0 = firstJob[k]
      func shifts(_ a: Int) -> [[Double]] {
        targets.map { t in [fits[a].values[t] - best.values[t], fits[a + 1].values[t] - best.values[t]] }
      }
      let w = widths[i]
      let count = w == nil ? 2 : 4
      if (j0..<(j0 + count)).contains(where: { !fits[$0].converged }) { failed.append(model.parameterNames[i]) }
      let delta = best.values[i] - model.inits[i]
      impacts.append(
        ParameterImpact(
          name: model.parameterNames[i], index: i, constrained: w != nil, pull: w.map { delta / $0 } ?? delta,
          constraint: w.map { best.errors[i] / $0 } ?? best.errors[i], prefit: w == nil ? nil : shifts(j0 + 2),
          postfit: shifts(j0)))
    }
    func size(_ p: ParameterImpact) -> Double {
      let s = abs(p.postfit[0][0]) + abs(p.postfit[0][1])
      return s.isNaN ? -1 : s
    }
    impacts.sort { a, b in
      let sa = size(a), sb = size(b)
      return sa != sb ? sa > sb : a.index < b.index
    }
    return ImpactRanking(
      poi: model.poiName, targets: targets.map { model.parameterNames[$0] }, impacts: impacts, failedRefits: failed)
  }
}
