/// SplitMix64 (Vigna): the project's one seeding generator — seeds the toy generator's streams and
/// the booster's row/feature sampling, and derives independent stream seeds from (seed, labels).
///
/// Explicit rather than the system generator so that a seed gives the same events on every
/// platform and Swift version.
public struct SplitMix64: Sendable {
  public private(set) var state: UInt64

  /// A generator whose stream is fully determined by `seed` (any value, 0 included).
  public init(seed: UInt64) { state = seed }

  /// The next 64 uniformly distributed bits; advances the state by the golden-ratio increment.
  @inline(__always)
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// The SplitMix64 output function: a bijective 64-bit mixer.
  @inline(__always)
  public static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A seed for the stream named by `labels` under `seed`: different labels give unrelated streams.
  public static func streamSeed(_ seed: UInt64, _ labels: UInt64...) -> UInt64 {
    var h = mix(seed ^ 0x5851_F42D_4C95_7F2D)
    for l in labels { h = mix(h ^ mix(l &+ 0x9E37_79B9_7F4A_7C15)) }
    return h
  }
}
