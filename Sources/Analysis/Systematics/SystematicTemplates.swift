import Cascade
import CascadeSupport
import EventData
import Foundation
import YieldFit

/// Σw and Σw² of the fit observable per (region, sample, variation), filled from apply's
/// outputs: weight and shift variations from `systematics/events/` next to `scores/`, file
/// variations from their own `systematics/files/<variation>/regions/`. Events outside the edges
/// or with a NaN observable are not in the fit, as for the nominal templates.
public struct VariationTemplates: Sendable, Equatable {
  /// variation key (`jes__up`) → region → sample → template.
  public var templates: [String: [String: [String: TemplateHistogram]]] = [:]

  /// The template of `sample` in `region` under `v` (nil: not filled).
  public func template(_ v: Variation, region: String, sample: String) -> TemplateHistogram? {
    templates[v.key]?[region]?[sample]
  }

  /// Fills every variation of every MC sample of `config` in the regions `regions`.
  public static func fill(_ config: CascadeConfig, fit: FitBlock, runDirectory: String) throws -> VariationTemplates {
    var out = VariationTemplates()
    let regionNames = config.regions
    let binning = Binning(edges: fit.edges)
    for sample in config.mcSamples {
      let eventVariations = VariationPlan(config: config, sample: sample)
      if !eventVariations.isEmpty {
        let filled = try fillEventVariations(config, sample: sample, plan: eventVariations, observable: fit.observable, binning: binning, run: runDirectory)
        for (key, byRegion) in filled {
          for (ri, h) in byRegion.enumerated() { out.templates[key, default: [:]][regionNames[ri], default: [:]][sample.name] = h }
        }
      }
      for s in config.systematics where s.appliesTo(sample: sample) {
        guard case .files = s.kind else { continue }
        for side in s.sides {
          let v = Variation(systematic: s.name, side: side)
          let root = runDirectory + "/" + OutputLayout.variationFilesRoot(v)
          for region in regionNames {
            let path = OutputLayout.regionPath(root: root, region: region, sample: sample.name)
            out.templates[v.key, default: [:]][region, default: [:]][sample.name] =
              try fillFile(path, sample: sample, observable: fit.observable, binning: binning)
          }
        }
      }
    }
    return out
  }

  /// Bin lookup of the fit's edges.
  struct Binning {
    var edges: [Double]
    var count: Int { edges.count - 1 }
    func bin(_ x: Double) -> Int? { ObservableBins.bin(x, edges: edges) }
  }

  static func fillFile(_ path: String, sample: SampleConfig, observable: String, binning: Binning) throws -> TemplateHistogram {
    guard FileManager.default.fileExists(atPath: path) else {
      throw UserError("\(path): missing (run `cascade apply` with the config's systematics first)")
    }
    let reader = try openEventFile(path)
    let columns = [observable] + (sample.weight.map { [$0] } ?? [])
    try reader.requireColumns(columns)
    var h = TemplateHistogram(sample: sample.name, sumw: .init(repeating: 0, count: binning.count), sumw2: .init(repeating: 0, count: binning.count))
    for block in reader.blockRanges(of: 1 << 18) {
      let t = try reader.read(columns: columns, rows: block)
      let x = try t.column(named: observable).float64Values()
      let w = try sample.weight.map { try t.column(named: $0).float64Values() }
      for i in 0..<t.rowCount {
        guard let b = binning.bin(x[i]) else { continue }
        let wi = (w?[i] ?? 1) * sample.scale
        h.sumw[b] += wi
        h.sumw2[b] += wi * wi
      }
    }
    return h
  }

  /// One pass over each input's score file and its row-aligned variation file.
  static func fillEventVariations(
    _ config: CascadeConfig, sample: SampleConfig, plan: VariationPlan, observable: String, binning: Binning, run: String
  ) throws -> [String: [TemplateHistogram]] {
    let nr = config.regions.count, nb = binning.count
    let empty = TemplateHistogram(sample: sample.name, sumw: .init(repeating: 0, count: nb), sumw2: .init(repeating: 0, count: nb))
    var out: [String: [TemplateHistogram]] = [:]
    for v in plan.weights.map(\.variation) + plan.shifts.map(\.variation) { out[v.key] = .init(repeating: empty, count: nr) }
    for file in sample.files {
      let scoresPath = OutputLayout.scoresPath(root: run, sample: sample.name, file: file)
      let variationPath = run + "/" + OutputLayout.variationEventsFile(sample: sample.name, file: file)
      for p in [scoresPath, variationPath] where !FileManager.default.fileExists(atPath: p) {
        throw UserError("\(p): missing (run `cascade apply` with the config's systematics first)")
      }
      let scores = try openEventFile(scoresPath), varied = try openEventFile(variationPath)
      guard scores.rowCount == varied.rowCount else {
        throw UserError("\(variationPath): \(varied.rowCount) rows, \(scoresPath) has \(scores.rowCount) (re-run apply)")
      }
      let scoreColumns = [observable, "region"] + (sample.weight.map { [$0] } ?? [])
      try scores.requireColumns(scoreColumns)
      try varied.requireColumns(plan.schema.map(\.name))
      for block in scores.blockRanges(of: 1 << 18) {
        let t = try scores.read(columns: scoreColumns, rows: block)
        let u = try varied.read(columns: plan.schema.map(\.name), rows: block)
        let x = try t.column(named: observable).float64Values()
        let region = try t.column(named: "region").float64Values().map { Int($0) }
        let w = try sample.weight.map { try t.column(named: $0).float64Values() } ?? .init(repeating: 1, count: t.rowCount)
        func fill(_ key: String, regions: [Int], values: [Double], weights: [Double]) {
          out[key]!.withUnsafeMutableBufferPointer { hs in
            for i in 0..<values.count {
              guard let b = binning.bin(values[i]), regions[i] >= 0, regions[i] < nr else { continue }
              let wi = weights[i] * sample.scale
              hs[regions[i]].sumw[b] += wi
              hs[regions[i]].sumw2[b] += wi * wi
            }
          }
        }
        for wv in plan.weights {
          fill(wv.variation.key, regions: region, values: x, weights: try u.column(named: OutputLayout.variationWeightColumn(wv.variation)).float64Values())
        }
        for sv in plan.shifts {
          let r = try u.column(named: OutputLayout.variationRegionColumn(sv.variation)).float64Values().map { Int($0) }
          let xv = sv.observable == nil ? x : try u.column(named: OutputLayout.variationObservableColumn(sv.variation)).float64Values()
          fill(sv.variation.key, regions: r, values: xv, weights: w)
        }
      }
    }
    return out
  }
}
