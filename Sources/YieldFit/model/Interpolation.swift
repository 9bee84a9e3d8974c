import CascadeSupport

/// Interpolation codes for `normsys` (multiplicative) and `histosys` (additive), as in pyhf.
/// pyhf's defaults are code4 / code4p; ROOT HistFactory's classic ones are code1 / code0.
public struct InterpolationSettings: Sendable, Equatable {
  /// How a `normsys` factor is interpolated between its ±1σ values: code1 piecewise exponential,
  /// code4 polynomial inside |α| < 1 with exponential extrapolation (smooth at 0).
  public enum NormSysCode: String, Sendable { case code1, code4 }
  /// How a `histosys` shift is interpolated: code0 piecewise linear, code4p polynomial inside
  /// |α| < 1 with linear extrapolation (smooth at 0).
  public enum HistoSysCode: String, Sendable { case code0, code4p }

  public var normsys: NormSysCode
  public var histosys: HistoSysCode

  /// Settings with pyhf's defaults (code4 / code4p) unless given.
  public init(normsys: NormSysCode = .code4, histosys: HistoSysCode = .code4p) {
    self.normsys = normsys
    self.histosys = histosys
  }

  /// Parses `normsys=code1,histosys=code0` (either part may be omitted).
  public static func parse(_ text: String) throws -> InterpolationSettings {
    var s = InterpolationSettings()
    for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
      let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2 else { throw UserError("--interp: expected TYPE=CODE, found \"\(part)\"") }
      switch kv[0] {
      case "normsys":
        guard let c = NormSysCode(rawValue: kv[1]) else { throw UserError("--interp: normsys supports code1 and code4, not \"\(kv[1])\"") }
        s.normsys = c
      case "histosys":
        guard let c = HistoSysCode(rawValue: kv[1]) else { throw UserError("--interp: histosys supports code0 and code4p, not \"\(kv[1])\"") }
        s.histosys = c
      default:
        throw UserError("--interp: unknown modifier type \"\(kv[0])\" (expected normsys or histosys)")
      }
    }
    return s
  }
}

/// Value, first and second derivative of an interpolated quantity at one α.
struct Interpolated {
  var value: Double
  var d1: Double
  var d2: Double
}

/// Multiplicative interpolation of a normsys factor between lo (α = −1), 1 (α = 0), hi (α = +1).
struct FactorInterpolation {
  let code: InterpolationSettings.NormSysCode
  let lnUp: Double
  let lnDn: Double
  /// code4 polynomial coefficients a1…a6 (|α| < 1): 1 + Σ aᵢ αⁱ.
  let a: (Double, Double, Double, Double, Double, Double)

  init(lo: Double, hi: Double, code: InterpolationSettings.NormSysCode) {
    self.code = code
    lnUp = Foundation.log(hi)
    lnDn = Foundation.log(lo)
    // pyhf's code4 with α0 = 1: coefficients fixed by value, slope and curvature at α = ±1.
    let b = [hi - 1, lo - 1, lnUp * hi, -lnDn * lo, lnUp * lnUp * hi, lnDn * lnDn * lo]
    let inv: [[Double]] = [
      [15.0 / 16, -15.0 / 16, -7.0 / 16, -7.0 / 16, 1.0 / 16, -1.0 / 16],
      [3.0 / 2, 3.0 / 2, -9.0 / 16, 9.0 / 16, 1.0 / 16, 1.0 / 16],
      [-5.0 / 8, 5.0 / 8, 5.0 / 8, 5.0 / 8, -1.0 / 8, 1.0 / 8],
      [-3.0 / 2, -3.0 / 2, 7.0 / 8, -7.0 / 8, -1.0 / 8, -1.0 / 8],
      [3.0 / 16, -3.0 / 16, -3.0 / 16, -3.0 / 16, 1.0 / 16, -1.0 / 16],
      [1.0 / 2, 1.0 / 2, -5.0 / 16, 5.0 / 16, 1.0 / 16, 1.0 / 16],
    ]
    var c = [Double](repeating: 0, count: 6)
    for r in 0..<6 { for k in 0..<6 { c[r] += inv[r][k] * b[k] } }
    a = (c[0], c[1], c[2], c[3], c[4], c[5])
  }

  @inline(__always) func eval(_ alpha: Double) -> Interpolated {
    switch code {
    case .code1:
      // pyhf: α > 0 uses hi^α, otherwise lo^(−α).
      if alpha > 0 {
        let f = exp(alpha * lnUp)
        return Interpolated(value: f, d1: lnUp * f, d2: lnUp * lnUp * f)
      }
      let f = exp(-alpha * lnDn)
      return Interpolated(value: f, d1: -lnDn * f, d2: lnDn * lnDn * f)
    case .code4:
      if alpha >= 1 {
        let f = exp(alpha * lnUp)
        return Interpolated(value: f, d1: lnUp * f, d2: lnUp * lnUp * f)
      }
      if alpha <= -1 {
        let f = exp(-alpha * lnDn)
        return Interpolated(value: f, d1: -lnDn * f, d2: lnDn * lnDn * f)
      }
      let x = alpha
      let v = 1 + x * (a.0 + x * (a.1 + x * (a.2 + x * (a.3 + x * (a.4 + x * a.5)))))
      let d1 = a.0 + x * (2 * a.1 + x * (3 * a.2 + x * (4 * a.3 + x * (5 * a.4 + x * 6 * a.5))))
      let d2 = 2 * a.1 + x * (6 * a.2 + x * (12 * a.3 + x * (20 * a.4 + x * 30 * a.5)))
      return Interpolated(value: v, d1: d1, d2: d2)
    }
  }
}

/// Additive interpolation of a histosys shift: nominal + Δ(α), Δ(+1) = hi − nom, Δ(−1) = lo − nom.
struct ShiftInterpolation {
  let code: InterpolationSettings.HistoSysCode
  /// hi − nom
  let up: Double
  /// nom − lo
  let dn: Double

  init(lo: Double, nominal: Double, hi: Double, code: InterpolationSettings.HistoSysCode) {
    self.code = code
    up = hi - nominal
    dn = nominal - lo
  }

  @inline(__always) func eval(_ alpha: Double) -> Interpolated {
    switch code {
    case .code0:
      // pyhf: α > 0 uses the up shift, otherwise the down shift (linear, kink at 0).
      let d = alpha > 0 ? up : dn
      return Interpolated(value: alpha * d, d1: d, d2: 0)
    case .code4p:
      if alpha > 1 { return Interpolated(value: alpha * up, d1: up, d2: 0) }
      if alpha < -1 { return Interpolated(value: alpha * dn, d1: dn, d2: 0) }
      let s = 0.5 * (up + dn)
      let a = 0.0625 * (up - dn)
      let x2 = alpha * alpha
      let v = alpha * s + x2 * a * (15 + x2 * (-10 + x2 * 3))
      let d1 = s + a * alpha * (30 + x2 * (-40 + x2 * 18))
      let d2 = a * (30 + x2 * (-120 + x2 * 90))
      return Interpolated(value: v, d1: d1, d2: d2)
    }
  }
}

import Foundation
