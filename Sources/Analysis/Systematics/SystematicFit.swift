import Cascade
import CascadeSupport
import Evaluation
import Foundation
import YieldFit

/// The fit of a run with the config's systematics. Without any it is exactly `RunFit.fit`
/// (same outputs, byte for byte). With them it also writes `systematics/templates.json` (Σw,
/// Σw² per region, sample and variation), `systematics/pruning.json` (every normsys/histosys
/// kept or dropped) and adds the pruning decisions to `tables/systematics.{md,json}`.
public enum SystematicFit {
  /// Fits the run's regions with the config's `fit` block and its systematics; nil without a
  /// `fit` block.
  @discardableResult
  public static func fit(
    _ config: CascadeConfig, runDirectory: String? = nil, asimov: Bool, request: FitRequest = FitRequest(),
    warn: (String) -> Void = { _ in }
  ) throws -> FitRun? {
    guard !config.systematics.isEmpty else {
      return try RunFit.fit(config, runDirectory: runDirectory, asimov: asimov, request: request, warn: warn)
    }
    guard let block = config.fit else { return nil }
    var fit = try FitBlock.parse(block)
    if let first = RunFit.problems(config, fit: fit).first { throw UserError("\(config.path): \(first)") }
    let run = runDirectory ?? config.output
    let regions = try RunFit.histograms(config, fit: fit, runDirectory: run)
    let fitted = fit.regions ?? config.regions
    let variations = try VariationTemplates.fill(config, fit: fit, runDirectory: run)
    let mods = SystematicModifiers.build(config, nominal: regions, variations: variations, fittedRegions: fitted)
    try AtomicFile.createDirectory(run + "/" + OutputLayout.systematicsDirectory)
    try TemplatesFile(config, fit: fit, nominal: regions, variations: variations).write(to: run + "/" + TemplatesFile.path)
    let thresholds = config.pruning ?? PruningThresholds()
    try JSONFile.write(
      PruningFile(norm: thresholds.norm, shape: thresholds.shape, decisions: mods.decisions), to: run + "/" + PruningFile.path)
    fit.systematics += mods.systematics
    let signals = config.samples.filter { $0.role == .signal }.map(\.name)
    let hasData = config.samples.contains { $0.role == .data }
    let result = try RunFit.fitRegions(
      regions: regions, fit: fit, signalSamples: signals, asimov: asimov || !hasData, directory: run + "/fit", request: request)
    for w in result.warnings { warn(w) }
    try SystematicsTable.write(config, runDirectory: run, pruning: mods.decisions)
    return result.run
  }
}

/// `systematics/pruning.json`: the thresholds (`fit.prune`) and every decision taken.
public struct PruningFile: Codable, Sendable, Equatable {
  /// The file's path inside a run directory.
  public static let path = OutputLayout.systematicsDirectory + "/pruning.json"
  public var norm: Double
  public var shape: Double
  public var decisions: [PruningDecision]
}

/// `systematics/templates.json`: Σw and Σw² of the fit observable per region, sample and
/// variation (before symmetrisation and smoothing), next to the nominal templates.
public struct TemplatesFile: Codable, Sendable, Equatable {
  /// The file's path inside a run directory.
  public static let path = OutputLayout.systematicsDirectory + "/templates.json"

  /// One template.
  public struct Entry: Codable, Sendable, Equatable {
    public var region: String
    public var sample: String
    /// `nominal` or `<systematic>__<up|down>`.
    public var variation: String
    public var sumw: [Double]
    public var sumw2: [Double]
  }
  public var observable: String
  public var edges: [Double]
  public var templates: [Entry]

  /// The template of `sample` in `region` for `variation` (`nominal`, `jes__up`, …).
  public func template(region: String, sample: String, variation: String) -> Entry? {
    templates.first { $0.region == region && $0.sample == sample && $0.variation == variation }
  }

  /// Writes the file atomically.
  public func write(to path: String) throws { try JSONFile.write(self, to: path) }
}

extension TemplatesFile {
  /// The nominal templates of the fitted regions, each followed by its variations.
  init(_ config: CascadeConfig, fit: FitBlock, nominal: [RegionHistograms], variations: VariationTemplates) {
    var entries: [Entry] = []
    for r in nominal {
      for t in r.templates {
        entries.append(Entry(region: r.region, sample: t.sample, variation: "nominal", sumw: t.sumw, sumw2: t.sumw2))
        for s in config.systematics where s.hasTemplates {
          for side in s.sides {
            let v = Variation(systematic: s.name, side: side)
            guard let h = variations.template(v, region: r.region, sample: t.sample) else { continue }
            entries.append(Entry(region: r.region, sample: t.sample, variation: v.key, sumw: h.sumw, sumw2: h.sumw2))
          }
        }
      }
    }
    self.init(observable: fit.observable, edges: fit.edges, templates: entries)
  }
}
