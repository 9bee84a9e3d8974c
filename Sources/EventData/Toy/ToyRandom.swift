import CascadeSupport
import Foundation

/// xoshiro256** (Blackman & Vigna) with the sampling the toy generator needs: uniform, normal
/// (Marsaglia's polar method), exponential (inversion), Poisson (inversion for small means, Hörmann's PTRS
/// otherwise), Bernoulli and binomial counts. Value type: copying it forks the stream.
public struct ToyRandom: Sendable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
  /// The second normal of the last polar pair (part of the state: copies stay in step).
  private var spareNormal: Double? = nil

  /// State from SplitMix64 of `seed`, as the xoshiro authors recommend (never all zero).
  public init(seed: UInt64) {
    var sm = SplitMix64(seed: seed)
    s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
  }

  /// The next 64 uniformly distributed bits (the xoshiro256** output).
  @inline(__always)
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inline(__always)
  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// Uniform in [0, 1) with 53 random bits.
  @inline(__always)
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform in [a, b).
  @inline(__always)
  public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

  /// Uniform integer in 0..<n (Lemire's multiply-shift; the bias is below 2^-64·n, irrelevant here).
  @inline(__always)
  public mutating func index(below n: Int) -> Int {
    Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// Standard normal by Marsaglia's polar method: one log and one square root per two values,
  /// no trigonometry; the second value of each pair is returned by the next call.
  @inline(__always)
  public mutating func normal() -> Double {
    if let z = spareNormal {
      spareNormal = nil
      return z
    }
    while true {
      let u = 2 * uniform() - 1, v = 2 * uniform() - 1
      let s = u * u + v * v
      if s >= 1 || s == 0 { continue }
      let f = (-2 * log(s) / s).squareRoot()
      spareNormal = v * f
      return u * f
    }
  }

  /// Normal with mean `mean` and standard deviation `sigma` (same units as `mean`).
  @inline(__always)
  public mutating func normal(_ mean: Double, _ sigma: Double) -> Double { mean + sigma * normal() }

  /// Exponential with the given mean, by inversion.
  @inline(__always)
  public mutating func exponential(mean: Double) -> Double { -mean * log(1.0 - uniform()) }

  /// `true` with probability `p` (`p <= 0` never, `p >= 1` always); consumes one uniform.
  @inline(__always)
  public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

  /// Number of successes in `n` trials of probability `p` (n is small here: jet counts).
  public mutating func binomial(_ n: Int, _ p: Double) -> Int {
    var k = 0
    for _ in 0..<max(0, n) where uniform() < p { k += 1 }
    return k
  }

  /// Poisson-distributed count with mean `mean` (≥ 0).
  public mutating func poisson(mean: Double) -> Int {
    precondition(mean >= 0 && mean.isFinite, "Poisson mean must be finite and ≥ 0")
    return poissonCount(mean: mean)
  }
}

extension ToyRandom: UniformSource {}
