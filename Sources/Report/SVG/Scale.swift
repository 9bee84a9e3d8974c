import Foundation

/// Maps data values to pixels, linearly or logarithmically, and proposes readable ticks.
public struct Scale {
  public var lower: Double
  public var upper: Double
  public var pixelLower: Double
  public var pixelUpper: Double
  public var log: Bool

  /// A scale from [`lower`, `upper`] to the pixel interval `pixels` (which may run backwards, as the
  /// y axis does). An empty or inverted range is widened to one unit; a log scale raises a
  /// non-positive lower end to 1e-300 and spans at least one decade.
  public init(_ lower: Double, _ upper: Double, pixels: (Double, Double), log: Bool = false) {
    var lo = lower, hi = upper
    if log {
      lo = max(lo, 1e-300)
      hi = max(hi, lo * 10)
    }
    if !(hi > lo) { hi = lo + 1 }
    self.lower = lo
    self.upper = hi
    pixelLower = pixels.0
    pixelUpper = pixels.1
    self.log = log
  }

  /// The pixel of value `v`, not clamped (see the clamped form below). On a log scale values
  /// below 10⁻³ · `lower` map as if they were 10⁻³ · `lower`.
  public func callAsFunction(_ v: Double) -> Double {
    let f: Double
    if log {
      f = (Foundation.log10(max(v, lower * 1e-3)) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
    } else {
      f = (v - lower) / (upper - lower)
    }
    return pixelLower + f * (pixelUpper - pixelLower)
  }

  /// A value clamped to the visible range, then mapped.
  public func clamped(_ v: Double) -> Double { self(min(max(v, lower), upper)) }

  /// Major ticks: 1-2-5 steps (about `target` of them) on a linear scale, decades on a log scale.
  public func ticks(target: Int = 6) -> [(value: Double, label: String)] {
    if log {
      let a = Int(Foundation.log10(lower).rounded(.up) - 1e-9), b = Int(Foundation.log10(upper).rounded(.down) + 1e-9)
      guard a <= b else { return [] }
      let every = max(1, (b - a + 1) / 8 + ((b - a + 1) % 8 == 0 ? 0 : 0))
      return stride(from: a, through: b, by: every).map { e in (pow(10, Double(e)), Scale.decadeLabel(e)) }
    }
    let step = Scale.niceStep((upper - lower) / Double(max(1, target)))
    var out: [(Double, String)] = []
    var v = (lower / step).rounded(.up) * step
    let decimals = max(0, -Int(Foundation.log10(step).rounded(.down)))
    while v <= upper + step * 1e-9 {
      let x = abs(v) < step * 1e-9 ? 0 : v
      out.append((x, String(format: "%.\(decimals)f", x)))
      v += step
    }
    return out
  }

  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let p = pow(10, Foundation.log10(raw).rounded(.down))
    let m = raw / p
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p
  }

  static func decadeLabel(_ e: Int) -> String {
    switch e {
    case -3...(-1): return String(format: "%.\(-e)f", pow(10, Double(e)))
    case 0...4: return String(Int(pow(10, Double(e))))
    default: return "1e\(e)"
    }
  }

  /// A "nice" upper bound ≥ v for a linear axis starting at 0.
  public static func niceUpper(_ v: Double) -> Double {
    guard v > 0, v.isFinite else { return 1 }
    let step = niceStep(v / 5)
    return (v / step).rounded(.up) * step
  }
}
