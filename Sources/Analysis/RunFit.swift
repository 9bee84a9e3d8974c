import Cascade
import CascadeSupport
import EventData
import Foundation
import YieldFit

/// The yield fit of a cascade run: histograms of the fit observable in every region (from
/// `regions/<region>/<sample>.h5`), a HistFactory workspace from them, the fit, and `fit/`.
public enum RunFit {
  /// Σw and Σw² per bin for each MC sample, and data counts, in each fitted region.
  /// Events outside the edges or with a NaN observable are not in the fit.
  public static func histograms(_ config: CascadeConfig, fit: FitBlock, runDirectory: String) throws -> [RegionHistograms] {
    let edges = fit.edges
    let nb = edges.count - 1
    func bin(_ x: Double) -> Int? { ObservableBins.bin(x, edges: edges) }
    var out: [RegionHistograms] = []
    var inside = 0, total = 0
    for region in fit.regions ?? config.regions {
      guard config.regions.contains(region) else {
        throw UserError("\(config.path): fit.regions: \"\(region)\" is not a region of this cascade (\(config.regions.joined(separator: ", ")))")
      }
      var templates: [TemplateHistogram] = []
      var data: [Double]?
      for sample in config.samples {
        let path = OutputLayout.regionPath(root: runDirectory, region: region, sample: sample.name)
        guard FileManager.default.fileExists(atPath: path) else {
          throw UserError("\(path): missing (run `cascade apply` or `cascade merge` first)")
        }
        let reader = try openEventFile(path)
        var columns = [fit.observable]
        if let w = sample.weight { columns.append(w) }
        try reader.requireColumns(columns)
        var sumw = [Double](repeating: 0, count: nb), sumw2 = [Double](repeating: 0, count: nb)
        for block in reader.blockRanges(of: 1 << 18) {
          let t = try reader.read(columns: columns, rows: block)
          let x = try t.column(named: fit.observable).float64Values()
          if let wc = sample.weight { try requireFiniteWeights(t, column: wc, file: path, firstRow: block.lowerBound) }
          let w = try sample.weight.map { try t.column(named: $0).float64Values() }
          total += t.rowCount
          for i in 0..<t.rowCount {
            guard let b = bin(x[i]) else { continue }
            inside += 1
            let wi = (w?[i] ?? 1) * sample.scale
            sumw[b] += wi
            sumw2[b] += wi * wi
          }
        }
        if sample.role == .data {
          data = zip(data ?? [Double](repeating: 0, count: nb), sumw).map { $0 + $1 }
        } else {
          templates.append(TemplateHistogram(sample: sample.name, sumw: sumw, sumw2: sumw2))
        }
      }
      out.append(RegionHistograms(region: region, templates: templates, data: data))
    }
    // A fit of empty templates would "converge" to nothing meaningful: most likely the range
    // or the observable's units are wrong.
    if inside == 0 {
      let range = "[\(JSONValue.format(edges[0])), \(JSONValue.format(edges[nb]))]"
      throw UserError("\(config.path): fit: none of the \(total) events has \"\(fit.observable)\" inside the fit range \(range)")
    }
    return out
  }
}

extension RunFit {
  /// Fits the run's regions with the config's `fit` block and writes `fit/` (see `fitRegions`);
  /// `warn` receives at most one line, about bins with a negative sum of weights.
  /// Returns nil when the config has no `fit` block.
  @discardableResult
  public static func fit(_ config: CascadeConfig, runDirectory: String? = nil, asimov: Bool, request: FitRequest = FitRequest(),
                         warn: (String) -> Void = { _ in }) throws -> FitRun? {
    guard let block = config.fit else { return nil }
    let fit = try FitBlock.parse(block)
    if let first = problems(config, fit: fit).first { throw UserError("\(config.path): \(first)") }
    let run = runDirectory ?? config.output
    let regions = try histograms(config, fit: fit, runDirectory: run)
    let signals = config.samples.filter { $0.role == .signal }.map(\.name)
    let hasData = config.samples.contains { $0.role == .data }
    var request = request
    if request.publish.groups.isEmpty { request.publish.groupsSource = "\(config.path): fit.groups" }
    let fitted = try fitRegions(
      regions: regions, fit: fit, signalSamples: signals, asimov: asimov || !hasData, directory: run + "/fit", request: request)
    for w in fitted.warnings { warn(w) }
    return fitted.run
  }
}

extension RunFit {
  /// Problems of the `fit` block against the cascade it belongs to (regions, samples), one line
  /// each with its JSON path.
  public static func problems(_ config: CascadeConfig, fit: FitBlock) -> [String] {
    var out: [String] = []
    let mc = config.samples.filter(\.isMC).map(\.name)
    for (i, r) in (fit.regions ?? []).enumerated() where !config.regions.contains(r) {
      out.append("fit.regions[\(i)]: \"\(r)\" is not a region of this cascade (\(config.regions.joined(separator: ", ")))")
    }
    if let p = fit.poi, !mc.contains(p) {
      out.append("fit.poi: \"\(p)\" is not an MC sample")
    }
    for key in fit.normfactors.keys.sorted() where !mc.contains(key) {
      var msg = "fit.normfactors.\(key): \"\(key)\" is not an MC sample"
      if let near = nearestName(to: key, in: mc) { msg += " (did you mean \"\(near)\"?)" }
      out.append(msg)
    }
    for s in fit.systematics {
      for x in s.samples ?? [] where !mc.contains(x) { out.append("fit.systematics (\(s.name)): \"\(x)\" is not an MC sample") }
      for x in s.regions ?? [] where !config.regions.contains(x) { out.append("fit.systematics (\(s.name)): \"\(x)\" is not a region") }
    }
    // The parameter an optimised working point's expected_error is about must be in the model.
    let parameters = Set(mc.map { fit.normfactors[$0] ?? "mu_\($0)" } + fit.systematics.map(\.name) + config.systematics.map(\.name))
    for (i, stage) in config.stages.enumerated() {
      guard case .expectedError(let p)? = stage.workingPoint.objective, !parameters.contains(p) else { continue }
      var msg = "stages[\(i)].working_point.of: \"\(p)\" is not a normfactor or systematic of the fit"
      if let near = nearestName(to: p, in: parameters.sorted()) { msg += " (did you mean \"\(near)\"?)" }
      out.append(msg)
    }
    return out
  }
}

extension RunFit {
  /// Builds the workspace from a run's regions, fits it and writes `directory`/{workspace.json,
  /// result.json, yields.md, yields.csv, prepost.json, clipped-bins.json}, swapped in whole.
  /// Returns the fit, every clipped template bin, and the warnings for the terminal: one line
  /// when some template has bins with a negative sum of weights, none for bins that are merely
  /// empty (the detail of both is in clipped-bins.json).
  public static func fitRegions(
    regions: [RegionHistograms], fit: FitBlock, signalSamples: [String], asimov: Bool, directory: String,
    request: FitRequest = FitRequest()
  ) throws -> (run: FitRun, clipped: [ClippedTemplate], warnings: [String]) {
    let (ws, clipped) = try buildWorkspace(regions: regions, fit: fit.workspace, signalSamples: signalSamples, asimov: asimov)
    // The block's breakdown groups unless the command line gave its own (`--groups`).
    var request = request
    if request.publish.groups.isEmpty {
      request.publish.groups = fit.groups
      if request.publish.groupsSource == PublishRequest().groupsSource { request.publish.groupsSource = "fit.groups" }
    }
    let run = try performFit(workspace: ws, request: request)
    let edges = Dictionary(uniqueKeysWithValues: ws.channels.map { ($0.name, fit.edges) })
    // The fit directory is swapped in whole: an interrupt or error leaves the previous fit/ intact
    // rather than a mix of old and new files.
    let parent = (directory as NSString).deletingLastPathComponent
    let name = (directory as NSString).lastPathComponent
    try AtomicFile.replaceDirectories(in: parent.isEmpty ? "." : parent, names: [name]) { staging in
      try writeFitOutputs(run: run, directory: staging + "/" + name, edges: edges)
      try ClippedBinsFile(templates: clipped).write(to: staging + "/" + name + "/" + ClippedBinsFile.fileName)
    }
    let warning = ClippedBinsFile.warning(clipped, path: directory + "/" + ClippedBinsFile.fileName)
    return (run, clipped, warning.map { [$0] } ?? [])
  }
}
