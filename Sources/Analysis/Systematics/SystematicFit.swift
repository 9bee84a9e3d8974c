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
  @discardableResult
  public static func fit(
    _ config: CascadeConfig, runDirectory: String? = nil, asimov: Bool, request: FitRequest = FitRequest(),
    warn: (String) -> Void = { _ in }
  ) throws -> FitRun? {
    guard !config.systematics.isEmpty else {
      return try RunFit.fit(config, runDirectory: runDirectory, asimov: asimov, request: request, warn: warn)
    }
    guard let block = config.fit else { return nil }
    let fit = try FitBlock.parse(block)
    if let first = RunFit.problems(config, fit: fit).first { throw UserError("\(config.path): \(first)") }
    let run = runDirectory ?? config.output
    let regions = try RunFit.histograms(config, fit: fit, runDirectory: run)
    let fitted = fit.regions ?? config.regions
    let variations = try VariationTemplates.fill(config, fit: fit, runDirectory: run)
    let mods = SystematicModifiers.build(config, nominal: regions, variations: variations, fittedRegions: fitted)
    try writeTemplates(config, fit: fit, nominal: regions, variations: variations, to: run + "/systematics/templates.json")
    try AtomicFile.write(try encodeJSON(mods.decisions), to: run + "/systematics/pruning.json")
    let signals = config.samples.filter { $0.role == .signal }.map(\.name)
    let hasData = config.samples.contains { $0.role == .data }
    let (result, warnings) = try fitRegions(
      regions: regions, fit: fit, signalSamples: signals, asimov: asimov || !hasData, directory: run + "/fit", request: request,
      additional: mods.additional)
    for w in warnings { warn(w) }
    try SystematicsTable.write(config, runDirectory: run, pruning: mods.decisions.map(\.row))
    return result
  }

  /// `systematics/templates.json`.
  public struct TemplatesFile: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
      public var region: String
      public var sample: String
      /// `nominal` or `<systematic>__<up|down>` (before symmetrisation and smoothing).
      public var variation: String
      public var sumw: [Double]
      public var sumw2: [Double]
    }
    public var observable: String
    public var edges: [Double]
    public var templates: [Entry]
  }

  static func writeTemplates(
    _ config: CascadeConfig, fit: FitBlock, nominal: [RegionHistograms], variations: VariationTemplates, to path: String
  ) throws {
    var entries: [TemplatesFile.Entry] = []
    for r in nominal {
      for t in r.templates {
        entries.append(.init(region: r.region, sample: t.sample, variation: "nominal", sumw: t.sumw, sumw2: t.sumw2))
        for s in config.systematics where s.hasTemplates {
          for side in s.sides {
            let v = Variation(systematic: s.name, side: side)
            guard let h = variations.template(v, region: r.region, sample: t.sample) else { continue }
            entries.append(.init(region: r.region, sample: t.sample, variation: v.key, sumw: h.sumw, sumw2: h.sumw2))
          }
        }
      }
    }
    try AtomicFile.write(try encodeJSON(TemplatesFile(observable: fit.observable, edges: fit.edges, templates: entries)), to: path)
  }
}

extension PruningDecision {
  var row: SystematicsTable.PruningRow {
    .init(systematic: systematic, region: region, sample: sample, modifier: modifier, effect: effect, threshold: threshold, kept: kept, reason: reason)
  }
}
