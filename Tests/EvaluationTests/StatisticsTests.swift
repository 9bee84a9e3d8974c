import Foundation
import Testing
@testable import Evaluation

@Suite struct StatisticsTests {
  @Test func kolmogorovSurvivalMatchesScipy() {
    // scipy.stats.kstwobign.sf(z)
    let ref: [(Double, Double)] = [
      (0.03, 1.0), (0.1, 1.0), (0.5, 0.9639452436648751), (0.7302967433402214, 0.6603860200299694),
      (1.0, 0.26999967167735456), (1.36, 0.049485876755377876), (2.0, 0.0006709252557796953),
      (3.0, 3.045995948942526e-08),
    ]
    for (z, p) in ref {
      #expect(abs(Statistics.kolmogorovSurvival(z) - p) <= 1e-14 + 1e-12 * p, "z = \(z)")
    }
  }

  @Test func ksTwoSampleByHand() {
    // scipy.stats.ks_2samp([1,2,3],[2.5,4]).statistic = 2/3
    let r = Statistics.kolmogorovSmirnov([1, 2, 3], weights: [1, 1, 1], [2.5, 4], weights: [1, 1])
    #expect(abs(r.statistic - 2.0 / 3) < 1e-15)
    #expect(abs(r.pValue - 0.6603860200299694) < 1e-12)
    // Ties across the samples step together: identical samples give D = 0, p = 1.
    let same = Statistics.kolmogorovSmirnov([1, 1, 2], weights: [1, 1, 1], [2, 1, 1], weights: [1, 1, 1])
    #expect(same.statistic == 0)
    #expect(same.pValue == 1)
  }

  @Test func ksWeighted() {
    // F_a(1) = 2/3, F_b(1) = 1/3.
    let r = Statistics.kolmogorovSmirnov([1, 2], weights: [2, 1], [1, 2], weights: [1, 2])
    #expect(abs(r.statistic - 1.0 / 3) < 1e-15)
    // Effective sizes (Σw)²/Σw² = 9/5 each.
    let z = 1.0 / 3 * (0.9).squareRoot()
    #expect(abs(r.pValue - Statistics.kolmogorovSurvival(z)) < 1e-15)
  }

  @Test func separationAnalytic() {
    let disjoint = Statistics.separation(
      signal: Histogram(values: [0.1, 0.2], weights: [1, 1], bins: 10, range: 0...1),
      background: Histogram(values: [0.8, 0.9], weights: [1, 3], bins: 10, range: 0...1))
    #expect(abs(disjoint - 1) < 1e-15)
    let same = Statistics.separation(
      signal: Histogram(values: [0.1, 0.7], weights: [1, 2], bins: 10, range: 0...1),
      background: Histogram(values: [0.1, 0.7], weights: [5, 10], bins: 10, range: 0...1))
    #expect(same == 0)
    // S uniform, B = 2x on [0, 1]: ½∫(1−2x)²/(1+2x) dx = ln 3 − 1; filled with exact bin probabilities.
    let n = 100
    var s = Histogram(bins: n, range: 0...1), b = Histogram(bins: n, range: 0...1)
    for i in 0..<n {
      let lo = Double(i) / Double(n), hi = Double(i + 1) / Double(n)
      s.fill((lo + hi) / 2, weight: 1.0 / Double(n))
      b.fill((lo + hi) / 2, weight: hi * hi - lo * lo)
    }
    #expect(abs(Statistics.separation(signal: s, background: b) - (log(3.0) - 1)) < 2e-5)
  }

  @Test func significanceAnalytic() {
    // means 0.5 and 2.5, variances 0.25 each: 2 / √0.5.
    let z = Statistics.significance(signal: [0, 1], signalWeights: [1, 1], background: [2, 3], backgroundWeights: [3, 3])
    #expect(abs(z - 2 / 0.5.squareRoot()) < 1e-14)
  }

  @Test func histogramEdgesAndOverflow() {
    let h = Histogram(values: [-5, 0, 0.49, 0.5, 1, 7, .nan], weights: [1, 1, 1, 1, 1, 2, 9], bins: 2, range: 0...1)
    #expect(h.sumW == [3, 4])
    #expect(h.sumW2 == [3, 6])
    #expect(h.edges == [0, 0.5, 1])
    let d = h.normalizedDensity()
    #expect(d.values == [3.0 / 3.5, 4.0 / 3.5])
  }
}
