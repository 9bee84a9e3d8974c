import Cascade
import CascadeSupport
import Evaluation
import YieldFit

/// The modifiers of the config's systematics for the fitted regions, and every decision taken.
public struct SystematicModifiers: Sendable {
  /// Modifiers for the workspace spec, each on one sample in one region (`lumi`: one entry per
  /// (region, sample), sharing the parameter), in (systematic, region, sample) order.
  public var systematics: [TemplateSystematic] = []
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
          var mods: [TemplateSystematic] = []
          switch s.kind {
          case .lumi(let sigma):
            mods.append(TemplateSystematic(name: s.name, kind: .lumi, lumiSigma: sigma))
          case .normalization(let up, let down):
            mods.append(TemplateSystematic(name: s.name, kind: .normsys(lo: down, hi: up)))
          case .weight, .shift, .files:
            mods += out.templateModifiers(s, region: r.region, nominal: t, variations: variations, prune: prune)
          }
          for var m in mods {
            m.samples = [t.sample]
            m.regions = [r.region]
            out.systematics.append(m)
          }
        }
      }
    }
    return out
  }

  mutating func templateModifiers(
    _ s: SystematicConfig, region: String, nominal t: TemplateHistogram, variations: VariationTemplates, prune: PruningThresholds
  ) -> [TemplateSystematic] {
    func decide(_ modifier: String, _ effect: Double, _ threshold: Double, _ reason: String?) {
      decisions.append(PruningDecision(
        systematic: s.name, region: region, sample: t.sample, modifier: modifier, effect: effect, threshold: threshold, reason: reason))
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
    var mods: [TemplateSystematic] = []
    let norm = TemplateOperations.normEffect(split)
    if norm < prune.norm {
      decide("normsys", norm, prune.norm, "below threshold")
    } else {
      decide("normsys", norm, prune.norm, nil)
      mods.append(TemplateSystematic(name: s.name, kind: .normsys(lo: split.lo, hi: split.hi)))
    }
    let shape = TemplateOperations.shapeEffect(split, nominal: n)
    if !s.shape {
      decide("histosys", shape, prune.shape, "shape: false")
    } else if shape < prune.shape {
      decide("histosys", shape, prune.shape, "below threshold")
    } else {
      decide("histosys", shape, prune.shape, nil)
      // The shape is relative to the nominal the workspace carries (its bins clipped at ≥ 1e-6).
      mods.append(TemplateSystematic(name: s.name, kind: .histosys(loData: split.loData, hiData: split.hiData)))
    }
    return mods
  }
}
