import Cascade
import CascadeSupport
import EventData
import YieldFit

/// The variation templates of the config's weight, shift and files systematics for any
/// thresholds, re-binned from cached scores like the nominal ones (`TemplateCache`): each MC
/// sample a systematic applies to is loaded once more (never data), every stage scores every
/// event out of fold — with the shifted columns where a stage reads one, the alternative
/// ntuples of a `files` variation scored whole — and a candidate set of thresholds re-routes
/// them. Events, weights and sums follow apply's variation pass (same columns, same order), so
/// at the trained thresholds these are the run's own `systematics/templates.json` entries.
public struct VariationCache: Sendable {
  /// One variation of one sample.
  struct Entry: Sendable {
    var variation: Variation
    var sample: String
    var cache: TemplateCache
  }
  var entries: [Entry] = []

  /// The variations cached, as `<systematic>__<side>` keys (sample by sample).
  public var keys: [String] { entries.map { "\($0.variation.key) (\($0.sample))" } }

  /// Loads and scores every variation of every MC sample of `config` with the trained `models`.
  public static func load(_ config: CascadeConfig, models: [StageModel], fit: FitBlock) throws -> VariationCache {
    var out = VariationCache()
    var features: [String] = []
    for m in models { for f in m.features where !features.contains(f) { features.append(f) } }
    let threads = config.training.threads
    func scores(_ ev: LoadedEvents, replacing map: [String: String] = [:], nominal: [[Double]]? = nil) -> [[Double]] {
      models.enumerated().map { k, m in
        if let nominal, !m.features.contains(where: { map[$0] != nil }) { return nominal[k] }
        return m.model.scores(columns: m.features.map { ev.columns[map[$0] ?? $0]! }, folds: ev.folds, threads: threads)
      }
    }
    func entry(_ v: Variation, _ sample: SampleConfig, x: [Double], weights: [Double], scores: [[Double]]) -> Entry {
      let cache = TemplateCache(
        regions: config.regions, samples: [sample.name], sample: [Int32](repeating: 0, count: x.count),
        bin: x.map { Int32(TemplateCache.bin($0, fit.edges) ?? -1) }, weights: weights, scores: scores, binCount: fit.edges.count - 1)
      return Entry(variation: v, sample: sample.name, cache: cache)
    }
    for (si, sample) in config.samples.enumerated() where sample.isMC {
      let plan = VariationPlan(config: config, sample: sample)
      if !plan.isEmpty {
        var columns = features
        var doubles = [fit.observable]
        for w in plan.weights where !doubles.contains(w.column) { doubles.append(w.column) }
        for s in plan.shifts {
          for (nominal, alt) in s.replacements.sorted(by: { $0.key < $1.key }) where features.contains(nominal) && !columns.contains(alt) {
            columns.append(alt)
          }
          if let o = s.observable, !doubles.contains(o) { doubles.append(o) }
        }
        let ev = try EventLoader.load(config, sampleIndices: [si], columns: columns, doubleColumns: doubles)
        let nominal = scores(ev)
        let x = ev.doubles[fit.observable]!
        for w in plan.weights {
          let raw = ev.doubles[w.column]!
          if let bad = raw.firstIndex(where: { !$0.isFinite }) {
            throw UserError("sample \(sample.name): event \(bad), column \"\(w.column)\": weight is not finite (\(raw[bad]))")
          }
          out.entries.append(entry(w.variation, sample, x: x, weights: raw.map { $0 * sample.scale }, scores: nominal))
        }
        for s in plan.shifts {
          out.entries.append(entry(
            s.variation, sample, x: s.observable.map { ev.doubles[$0]! } ?? x, weights: ev.weights,
            scores: scores(ev, replacing: s.replacements, nominal: nominal)))
        }
      }
      for s in config.systematics where s.appliesTo(sample: sample) {
        guard case .files(let up, let down) = s.kind else { continue }
        for (side, files) in [(VariationSide.up, up), (.down, down)] {
          guard let files else { continue }
          var alternative = config
          alternative.samples[si].files = files
          alternative.systematics = []
          let ev = try EventLoader.load(alternative, sampleIndices: [si], columns: features, doubleColumns: [fit.observable])
          out.entries.append(entry(Variation(systematic: s.name, side: side), sample, x: ev.doubles[fit.observable]!, weights: ev.weights, scores: scores(ev)))
        }
      }
    }
    return out
  }

  /// Every cached variation's templates at `thresholds`, in every region.
  public func templates(thresholds: [Double]) -> VariationTemplates {
    var out = VariationTemplates()
    for e in entries {
      for r in e.cache.histograms(thresholds: thresholds) {
        out.templates[e.variation.key, default: [:]][r.region, default: [:]][e.sample] = r.templates[0]
      }
    }
    return out
  }
}
