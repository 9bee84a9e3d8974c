import CascadeSupport
import Foundation

/// One sample's histogram of the fit observable in one region: Σw and Σw² per bin.
public struct TemplateHistogram: Sendable, Equatable {
  public var sample: String
  public var sumw: [Double]
  public var sumw2: [Double]
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
  public var data: [Double]?
  public init(region: String, templates: [TemplateHistogram], data: [Double]?) {
    self.region = region
    self.templates = templates
    self.data = data
  }
}

/// Template bins with Σw ≤ 0 are set to this, so every expected yield stays positive.
public let clippedTemplateYield = 1e-6

/// Modifiers built outside the `fit` block (the config's systematic variations): per region and
/// sample the modifiers to append, and the measurement's parameter settings they need.
public struct AdditionalModifiers: Sendable, Equatable {
  /// region → sample → modifiers.
  public var modifiers: [String: [String: [Modifier]]]
  public var parameters: [ParameterConfig]
  public init(modifiers: [String: [String: [Modifier]]] = [:], parameters: [ParameterConfig] = []) {
    self.modifiers = modifiers
    self.parameters = parameters
  }
}

/// Builds the pyhf workspace of a run: one channel per fitted region, one sample per MC
/// template (nominal Σw) with its normfactor, a per-region `staterror_<region>` from √Σw²,
/// the block's systematics, and observations from the data histograms or, with `asimov`, the
/// summed templates. Returns warnings for clipped bins (naming region, sample and bins).
public func buildWorkspace(
  regions: [RegionHistograms], fit: FitBlock, signalSamples: [String], asimov: Bool, additional: AdditionalModifiers = AdditionalModifiers()
) throws
  -> (workspace: Workspace, warnings: [String])
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
  var warnings: [String] = []
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
      var clipped: [Int] = []
      for b in 0..<nb where !(nominal[b] > 0) {
        nominal[b] = clippedTemplateYield
        clipped.append(b)
      }
      if !clipped.isEmpty {
        warnings.append(
          "fit: region \"\(r.region)\", sample \"\(t.sample)\": bin\(clipped.count > 1 ? "s" : "") \(clipped.map(String.init).joined(separator: ", ")) empty or negative (sum of weights <= 0), clipped to \(clippedTemplateYield)")
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
      modifiers += additional.modifiers[r.region]?[t.sample] ?? []
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
  for p in additional.parameters where !parameters.contains(where: { $0.name == p.name }) { parameters.append(p) }
  let ws = Workspace(
    channels: channels, observations: observations,
    measurements: [Measurement(name: "cascade", poi: normfactor(poiSample), parameters: parameters)])
  // Build the model once so configuration mistakes surface here, with the block's context.
  do {
    _ = try Model(workspace: ws)
  } catch let e as UserError {
    throw UserError("fit: \(e.message)")
  }
  return (ws, warnings)
}

/// Builds the workspace from a run's regions, fits it and writes `directory`/{workspace.json,
/// result.json, yields.md, yields.csv, prepost.json}. Returns the fit and the build warnings.
public func fitRegions(
  regions: [RegionHistograms], fit: FitBlock, signalSamples: [String], asimov: Bool, directory: String,
  request: FitRequest = FitRequest(), additional: AdditionalModifiers = AdditionalModifiers()
) throws -> (run: FitRun, warnings: [String]) {
  let (ws, warnings) = try buildWorkspace(regions: regions, fit: fit, signalSamples: signalSamples, asimov: asimov, additional: additional)
  let run = try performFit(workspace: ws, request: request)
  let edges = Dictionary(uniqueKeysWithValues: ws.channels.map { ($0.name, fit.edges) })
  // The fit directory is swapped in whole: an interrupt or error leaves the previous fit/ intact
  // rather than a mix of old and new files.
  let parent = (directory as NSString).deletingLastPathComponent
  let name = (directory as NSString).lastPathComponent
  try AtomicFile.replaceDirectories(in: parent.isEmpty ? "." : parent, names: [name]) { staging in
    try writeFitOutputs(run: run, directory: staging + "/" + name, edges: edges)
  }
  return (run, warnings)
}
