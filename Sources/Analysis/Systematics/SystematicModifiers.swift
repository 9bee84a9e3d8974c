import Cascade
import CascadeSupport
import YieldFit

/// One pruning decision: a (systematic, region, sample) modifier kept or dropped, and why.
public struct PruningDecision: Codable, Sendable, Equatable {
  public var systematic: String
  public var region: String
  public var sample: String
  /// `normsys` or `histosys`.
  public var modifier: String
  /// |factor − 1| for a normsys, the largest relative bin deviation for a histosys.
  public var effect: Double
  public var threshold: Double
  public var kept: Bool
  /// Why it was dropped (`below threshold`, `shape: false`, `nominal yield <= 0`); nil if kept.
  public var reason: String?
}

/// The modifiers of the config's systematics for the fitted regions, and every decision taken.
public struct SystematicModifiers: Sendable {
  public var additional = AdditionalModifiers()
  public var decisions: [PruningDecision] = []

  /// Builds, per fitted region and varied sample: for a weight/shift/files systematic a normsys
  /// (yield ratio) and a histosys (shape at nominal normalisation) sharing the systematic's
  /// name, after symmetrisation, optional smoothing and pruning; for `normalization` a normsys;
  /// for `lumi` a lumi modifier and its parameter (σ, auxdata 1).
  public static func build(
    _ config: CascadeConfig, nominal: [RegionHistograms], variations: VariationTemplates, fittedRegions: [String]
  ) -> SystematicModifiers {
    var out = SystematicModifiers()
    let prune = config.pruning ?? PruningThresholds()
    for s in config.systematics {
      for r in nominal where fittedRegions.contains(r.region) && (s.regions ?? fittedRegions).contains(r.region) {
        for t in r.templates {
          guard let sample = config.sample(named: t.sample), s.appliesTo(sample: sample) else { continue }
          var mods: [Modifier] = []
          switch s.kind {
          case .lumi(let sigma):
            mods.append(Modifier(name: s.name, kind: .lumi))
            if !out.additional.parameters.contains(where: { $0.name == s.name }) {
              out.additional.parameters.append(ParameterConfig(
                name: s.name, inits: [1], bounds: [[max(0, 1 - 10 * sigma), 1 + 10 * sigma]], auxdata: [1], sigmas: [sigma]))
            }
          case .normalization(let up, let down):
            mods.append(Modifier(name: s.name, kind: .normsys(lo: down, hi: up)))
          case .weight, .shift, .files:
            mods += out.templateModifiers(s, region: r.region, nominal: t, variations: variations, prune: prune)
          }
          out.additional.modifiers[r.region, default: [:]][t.sample, default: []] += mods
        }
      }
    }
    return out
  }

  mutating func templateModifiers(
    _ s: SystematicConfig, region: String, nominal t: TemplateHistogram, variations: VariationTemplates, prune: PruningThresholds
  ) -> [Modifier] {
    func decide(_ modifier: String, _ effect: Double, _ threshold: Double, _ reason: String?) {
      decisions.append(PruningDecision(
        systematic: s.name, region: region, sample: t.sample, modifier: modifier, effect: effect, threshold: threshold,
        kept: reason == nil, reason: reason))
    }
    let n = t.sumw
    guard let upT = variations.template(Variation(systematic: s.name, side: .up), region: region, sample: t.sample) else { return [] }
    let downT = variations.template(Variation(systematic: s.name, side: .down), region: region, sample: t.sample)
    var (up, down) = TemplateOperations.symmetrize(nominal: n, up: upT.sumw, down: downT?.sumw, mode: s.symmetrize)
    if s.smooth {
      up = TemplateOperations.smoothRatio(nominal: n, varied: up)
      down = down.map { TemplateOperations.smoothRatio(nominal: n, varied: $0) }
    }
    guard let split = TemplateOperations.splitNormShape(nominal: n, up: up, down: down ?? n, minimumBin: clippedTemplateYield) else {
      decide("normsys", 0, prune.norm, "nominal yield <= 0")
      decide("histosys", 0, prune.shape, "nominal yield <= 0")
      return []
    }
    var mods: [Modifier] = []
    let norm = TemplateOperations.normEffect(split)
    if norm < prune.norm {
      decide("normsys", norm, prune.norm, "below threshold")
    } else {
      decide("normsys", norm, prune.norm, nil)
      mods.append(Modifier(name: s.name, kind: .normsys(lo: split.lo, hi: split.hi)))
    }
    let shape = TemplateOperations.shapeEffect(split, nominal: n)
    if !s.shape {
      decide("histosys", shape, prune.shape, "shape: false")
    } else if shape < prune.shape {
      decide("histosys", shape, prune.shape, "below threshold")
    } else {
      decide("histosys", shape, prune.shape, nil)
      // The shape is relative to the nominal the workspace carries (its bins clipped at ≥ 1e-6).
      mods.append(Modifier(name: s.name, kind: .histosys(loData: split.loData, hiData: split.hiData)))
    }
    return mods
  }
}
