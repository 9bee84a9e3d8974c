import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import Analysis
@testable import Cascade
@testable import YieldFit

/// The working-point search on hand-made score caches, against an independent Fisher-matrix
/// oracle: for Poisson counts in single-bin regions with free normalisations, the Asimov HESSE
/// covariance is the inverse of I_ij = Σ_r y_ri y_rj / ν_r.
@Suite struct WorkingPointOptimiserTests {
  /// Two stages: stage 0 separates b1 (signal scores high, b1 low, b2 flat), stage 1 b2. The
  /// scores are stratified quantiles (event (i, j) of a sample scores F⁻¹((i+½)/n) at stage 0
  /// and G⁻¹((j+½)/n) at stage 1), so the objective is smooth and its optimum unique.
  static func cache() -> TemplateCache {
    var sample: [Int32] = [], weights: [Double] = [], s0: [Double] = [], s1: [Double] = []
    let n = 40
    for (s, w) in [(Int32(0), 0.02), (1, 0.2), (2, 0.2)] {
      for i in 0..<n {
        for j in 0..<n {
          let (u, v) = ((Double(i) + 0.5) / Double(n), (Double(j) + 0.5) / Double(n))
          sample.append(s)
          weights.append(w)
          switch s {
          case 0: s0.append(pow(u, 1.0 / 3)); s1.append(pow(v, 1.0 / 3))
          case 1: s0.append(u * u * u); s1.append(v)
          default: s0.append(u); s1.append(v * v * v)
          }
        }
      }
    }
    return TemplateCache(
      regions: ["CR_b1", "CR_b2", "SR"], samples: ["sig", "b1", "b2"], sample: sample,
      bin: [Int32](repeating: 0, count: sample.count), weights: weights, scores: [s0, s1], binCount: 1)
  }

  static let spec = TemplateWorkspaceSpec(edges: [0, 1], poi: "sig", staterror: false)

  func optimiser(_ objective: FitObjective = .expectedPOIError, budget: Int = 200, optimised: [Int] = [0, 1], start: [Double] = [0.3, 0.3])
    -> WorkingPointOptimiser
  {
    WorkingPointOptimiser(
      cache: Self.cache(), objective: AsimovObjective(objective), optimised: optimised, startThresholds: start,
      stageNames: ["vs_b1", "vs_b2"], signalSamples: ["sig"], budget: budget
    ) { _, regions in try buildWorkspace(regions: regions, fit: Self.spec, signalSamples: ["sig"], asimov: true).workspace }
  }

  /// σ(mu_sig) from the Fisher matrix of the three single-bin regions at `thresholds`.
  func fisherSigma(_ cache: TemplateCache, _ thresholds: [Double]) -> Double {
    var y = [[Double]](repeating: [0, 0, 0], count: 3)
    for e in 0..<cache.count {
      var r = 2
      for k in [0, 1] where cache.scores[k][e] < thresholds[k] { r = k; break }
      y[r][Int(cache.sample[e])] += cache.weights[e]
    }
    var info = [Double](repeating: 0, count: 9)
    for r in 0..<3 {
      let yr = y[r].map { $0 > 0 ? $0 : clippedTemplateYield }
      let nu = yr.reduce(0, +)
      for i in 0..<3 { for j in 0..<3 { info[i * 3 + j] += yr[i] * yr[j] / nu } }
    }
    // (I⁻¹)_00 by cofactors.
    let m = info
    let c00 = m[4] * m[8] - m[5] * m[7]
    let det = m[0] * c00 - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    // HESSE's error in MINUIT's convention for the normfactor's bounds [0, 10], as the fit reports it.
    return MinuitErrors.error(value: 1, sigma: (c00 / det).squareRoot(), lower: 0, upper: 10)
  }

  @Test func asimovObjectiveIsTheFisherSigma() throws {
    let o = optimiser()
    for t in [[0.3, 0.3], [0.1, 0.6], [0.5, 0.2]] {
      let v = try #require(try o.objective.value(o.workspace(t, o.cache.histograms(thresholds: t))))
      #expect(abs(v / fisherSigma(o.cache, t) - 1) < 1e-6)
    }
  }

  @Test func findsTheBruteForceOptimumOfTwoStages() throws {
    let o = optimiser()
    let record = try o.run(notes: [])
    let cache = o.cache
    // Every threshold the search can reach is a signal score: brute force over all pairs.
    var best = Double.infinity, bestT = [0.0, 0.0]
    let t0 = Set((0..<cache.count).filter { cache.sample[$0] == 0 }.map { cache.scores[0][$0] }).sorted()
    let t1 = Set((0..<cache.count).filter { cache.sample[$0] == 0 }.map { cache.scores[1][$0] }).sorted()
    #expect(t0.count == 40 && t1.count == 40)
    for a in t0 { for b in t1 { let s = fisherSigma(cache, [a, b]); if s < best { best = s; bestT = [a, b] } } }
    #expect(record.start == fisherSigma(cache, [0.3, 0.3]) || abs(record.start / fisherSigma(cache, [0.3, 0.3]) - 1) < 1e-6)
    #expect(record.end < record.start * 0.9, "the start is far from the optimum: \(record.start) → \(record.end)")
    #expect(abs(record.end / best - 1) < 1e-6, "search \(record.end) at \(record.stages.map(\.threshold)), brute force \(best) at \(bestT)")
    #expect(record.stages.map(\.threshold) == bestT)
    // The path starts at the trained thresholds and its accepted steps only improve.
    #expect(record.path.first?.thresholds == [0.3, 0.3])
    let accepted = record.path.filter(\.accepted).compactMap(\.objective)
    #expect(zip(accepted, accepted.dropFirst()).allSatisfy { $1 < $0 })
    #expect(accepted.last == record.end)
    // The joint search beats (or equals) every one-stage search; the scans peak at the optimum.
    let single = try #require(record.bestSingleStage)
    #expect(record.end <= single.objective)
    for scan in record.scans {
      let values = scan.points.compactMap(\.objective)
      #expect(values.min() == record.end || values.allSatisfy { $0 >= record.end * (1 - 1e-9) })
    }
  }

  @Test func deterministicAndWithinBudget() throws {
    let a = try optimiser().run(notes: ["x"])
    let b = try optimiser().run(notes: ["x"])
    #expect(a == b)
    #expect(try JSONFile.text(a) == JSONFile.text(b))
    let small = try optimiser(budget: 4).run(notes: [])
    #expect(small.evaluations == 4 && small.path.count == 4)
    #expect(small.path.prefix(4).map(\.thresholds) == a.path.prefix(4).map(\.thresholds))
  }

  @Test func significanceIsMaximisedAndErrorOfABackground() throws {
    let z = try optimiser(.expectedSignificance).run(notes: [])
    #expect(z.maximised && z.parameter == "mu_sig")
    #expect(z.end > z.start)
    let b = try optimiser(.expectedError(of: "mu_b1"), optimised: [0]).run(notes: [])
    #expect(b.parameter == "mu_b1" && b.end < b.start)
    #expect(b.stages[1].threshold == 0.3 && !b.stages[1].optimised)
    let err = #expect(throws: UserError.self) { try optimiser(.expectedError(of: "mu_b3")).run(notes: []) }
    #expect(err?.message == "working_point.of: no parameter \"mu_b3\" in the fit model (did you mean \"mu_b1\"?)")
  }
}
