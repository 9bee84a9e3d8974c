import Foundation

/// A stream of uniform doubles in [0, 1): what the project's samplers draw from (the toy
/// generator's xoshiro256**, the fit's pseudo-experiments on SplitMix64).
public protocol UniformSource {
  /// The next uniform double in [0, 1).
  mutating func uniform() -> Double
}

extension UniformSource {
  /// A Poisson count with mean `mean` (> 0; 0 otherwise): sequential inversion of the CDF below
  /// mean 10 (exact, O(mean)), W. Hörmann's transformed rejection PTRS above ("The transformed
  /// rejection method for generating Poisson random variables", Insurance: Mathematics and
  /// Economics 12 (1993) 39–45). The one Poisson sampler of the project: toy pseudo-data and
  /// the fit's toys draw the same numbers from the same uniforms.
  public mutating func poissonCount(mean: Double) -> Int {
    if !(mean > 0) { return 0 }
    if mean < 10 {
      var p = exp(-mean), cdf = p
      let u = uniform()
      var k = 0
      while u > cdf && k < 1000 {
        k += 1
        p *= mean / Double(k)
        cdf += p
      }
      return k
    }
    let slam = mean.squareRoot(), loglam = log(mean)
    let b = 0.931 + 2.53 * slam
    let a = -0.059 + 0.02483 * b
    let invalpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = uniform() - 0.5
      let v = uniform()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
      if us >= 0.07 && v <= vr { return Int(k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      if log(v) + log(invalpha) - log(a / (us * us) + b) <= -mean + k * loglam - lgamma(k + 1) { return Int(k) }
    }
  }
}
