import CascadeSupport
import Foundation

/// One sample's histogram of the fit observable in one region: Σw and Σw² per bin.
public struct TemplateHistogram: Sendable, Equatable {
  public var sample: String
  public var sumw: [Double]
  public var sumw2: [Double]
  /// `sample`'s Σw and Σw² per bin.
  public init(sample: String, sumw: [Double], sumw2: [Double]) {
    self.sample = sample
    self.sumw = sumw
    self.sumw2 = sumw2
  }
}

/// A region's MC templates and (if any) its data histogram.
public struct RegionHistograms: Sendable, Equatable {
  public var region: String
  public var templates: [TemplateHistogram]
  /// The data sample's counts per bin (nil: no data sample).
  public var data: [Double]?
  /// `region`'s MC `templates` and its `data` histogram.
  public init(region: String, templates: [TemplateHistogram], data: [Double]?) {
    self.region = region
    self.templates = templates
    self.data = data
  }
}

/// Builds a pyhf workspace from histogram templates: one channel per fitted region, one sample
/// per MC template (nominal Σw, bins with Σw ≤ 0 clipped to `clippedTemplateYield`) with its
/// normfactor, a per-region `staterror_<region>` from √Σw², the spec's systematics, and
/// observations from the data histograms or, with `asimov`, the summed templates. Error
/// messages name the config's `fit` keys the spec comes from. Returns the clipped bins of every
/// template, in (region, sample) order.
public func buildWorkspace(regions: [RegionHistograms], fit: TemplateWorkspaceSpec, signalSamples: [String], asimov: Bool) throws
  -> (workspace: Workspace, clipped: [ClippedTemplate])
{
  let known = regions.map(\.region)
  let fitted: [RegionHistograms]
  if let wanted = fit.regions {
    fitted = try wanted.map { name in
      guard let r = regions.first(where: { $0.region == name }) else {
        var msg = "fit.regions: unknown region \"\(name)\""
        if let near = nearestName(to: name, in: known) { msg += " (did you mean \"\(near)\"?)" }
        throw UserError(msg + " (regions: \(known.joined(separator: ", ")))")
      }
      return r
    }
  } else {
    fitted = regions
  }
  guard !fitted.isEmpty else { throw UserError("fit: no regions to fit") }
  var mcSamples: [String] = []
  for r in fitted { for t in r.templates where !mcSamples.contains(t.sample) { mcSamples.append(t.sample) } }
  guard !mcSamples.isEmpty else { throw UserError("fit: no MC templates in the fitted regions") }
  for key in fit.normfactors.keys.sorted() where !mcSamples.contains(key) {
    throw UserError("fit.normfactors: unknown sample \"\(key)\" (MC samples: \(mcSamples.joined(separator: ", ")))")
  }
  guard let poiSample = fit.poi ?? signalSamples.first(where: { mcSamples.contains($0) }) else {
    throw UserError("fit: no signal sample among the templates; set fit.poi to a sample")
  }
  guard mcSamples.contains(poiSample) else {
    throw UserError("fit.poi: \"\(poiSample)\" is not an MC sample of the fitted regions (\(mcSamples.joined(separator: ", ")))")
  }
  func normfactor(_ s: String) -> String { fit.normfactors[s] ?? "mu_\(s)" }
  let regionNames = fitted.map(\.region)
  for (i, s) in fit.systematics.enumerated() {
    for name in s.samples ?? [] where !mcSamples.contains(name) {
      throw UserError("fit.systematics[\(i)].samples: unknown sample \"\(name)\"")
    }
    for name in s.regions ?? [] where !regionNames.contains(name) {
      throw UserError("fit.systematics[\(i)].regions: unknown region \"\(name)\"")
    }
  }

  let nb = fit.binCount
  var clippedTemplates: [ClippedTemplate] = []
  var channels: [Channel] = []
  var observations: [Observation] = []
  for r in fitted {
    var samples: [Sample] = []
    var expected = [Double](repeating: 0, count: nb)
    for t in r.templates {
      guard t.sumw.count == nb, t.sumw2.count == nb else {
        throw UserError("fit: region \"\(r.region)\", sample \"\(t.sample)\": template has \(t.sumw.count) bins, the fit binning has \(nb)")
      }
      var nominal = t.sumw
      if let clipped = ClippedTemplate.clipped(region: r.region, sample: t.sample, sumw: t.sumw, sumw2: t.sumw2) {
        for c in clipped.bins { nominal[c.bin] = clippedTemplateYield }
        clippedTemplates.append(clipped)
      }
      for b in 0..<nb { expected[b] += nominal[b] }
      var modifiers = [Modifier(name: normfactor(t.sample), kind: .normfactor)]
      if fit.staterror {
        modifiers.append(Modifier(name: "staterror_\(r.region)", kind: .staterror(t.sumw2.map { max(0, $0).squareRoot() })))
      }
      for s in fit.systematics {
        guard (s.samples ?? mcSamples).contains(t.sample), (s.regions ?? regionNames).contains(r.region) else { continue }
        modifiers.append(Modifier(name: s.name, kind: s.kind))
      }
      samples.append(Sample(name: t.sample, data: nominal, modifiers: modifiers))
    }
    guard !samples.isEmpty else { throw UserError("fit: region \"\(r.region)\" has no MC templates") }
    channels.append(Channel(name: r.region, samples: samples))
    if asimov {
      observations.append(Observation(name: r.region, data: expected))
    } else {
      guard let d = r.data else {
        throw UserError("fit: region \"\(r.region)\" has no data histogram (no data sample); use --asimov")
      }
      guard d.count == nb else { throw UserError("fit: region \"\(r.region)\": data histogram has \(d.count) bins, the fit binning has \(nb)") }
      observations.append(Observation(name: r.region, data: d))
    }
  }
  var parameters: [ParameterConfig] = []
  for s in fit.systematics {
    if let sigma = s.lumiSigma, !parameters.contains(where: { $0.name == s.name }) {
      parameters.append(ParameterConfig(name: s.name, inits: [1], bounds: [[max(0, 1 - 10 * sigma), 1 + 10 * sigma]], auxdata: [1], sigmas: [sigma]))
    }
  }
  let ws = Workspace(
    channels: channels, observations: observations,
    measurements: [Measurement(name: "cascade", poi: normfactor(poiSample), parameters: parameters)])
  // Build the model once so configuration mistakes surface here, with the block's context.
  do {
    _ = try Model(workspace: ws)
  } catch let e as UserError {
    throw UserError("fit: \(e.message)")
  }
  return (ws, clippedTemplates)
}
