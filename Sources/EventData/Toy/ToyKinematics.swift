import Foundation

/// Reconstructed lepton–photon kinematics of one toy event.
struct LeptonPhotonKinematics {
  var photonPt = 0.0, photonEta = 0.0, photonPhi = 0.0
  var lepPt = 0.0, lepEta = 0.0, lepPhi = 0.0
  var mLG = 0.0, ptLG = 0.0, drLG = 0.0, cosTheta = 0.0
}

/// Detector acceptance of the toy selection (ATLAS-like single-lepton + photon trigger region).
enum ToyAcceptance {
  static let photonPtMin = 20.0, photonEtaMax = 2.37
  static let lepPtMin = 25.0, lepEtaMax = 2.47
  static let drMin = 0.4
  /// |η| above which the photon is in the end-cap calorimeter (wider showers).
  static let barrelEtaMax = 1.479

  static func accepts(_ k: LeptonPhotonKinematics) -> Bool {
    k.photonPt > photonPtMin && abs(k.photonEta) < photonEtaMax
      && k.lepPt > lepPtMin && abs(k.lepEta) < lepEtaMax && k.drLG > drMin
  }
}

enum ToyKinematics {
  /// A massless two-body decay of a system of mass `m`, transverse momentum `pt` (azimuth `phi`)
  /// and rapidity `y`; the photon leaves at polar angle acos(`cosThetaStar`), azimuth `phiStar`
  /// in the rest frame (z = beam axis). Returns the photon and lepton lab 4-momenta (E, px, py, pz).
  static func decay(
    m: Double, pt: Double, phi: Double, y: Double, cosThetaStar: Double, phiStar: Double
  ) -> (photon: SIMD4<Double>, lepton: SIMD4<Double>) {
    let p = m / 2
    let sinT = (max(0, 1 - cosThetaStar * cosThetaStar)).squareRoot()
    let d = SIMD3(sinT * cos(phiStar), sinT * sin(phiStar), cosThetaStar) * p
    let mt = (m * m + pt * pt).squareRoot()
    let system = SIMD4(mt * cosh(y), pt * cos(phi), pt * sin(phi), mt * sinh(y))
    let beta = SIMD3(system.y, system.z, system.w) / system.x
    return (boost(SIMD4(p, d.x, d.y, d.z), beta), boost(SIMD4(p, -d.x, -d.y, -d.z), beta))
  }

  /// Lorentz boost of the 4-vector `v` = (E, p) by velocity `beta` (|beta| < 1).
  static func boost(_ v: SIMD4<Double>, _ beta: SIMD3<Double>) -> SIMD4<Double> {
    let b2 = (beta * beta).sum()
    if b2 < 1e-300 { return v }
    let gamma = 1 / (1 - b2).squareRoot()
    let p = SIMD3(v.y, v.z, v.w)
    let bp = (beta * p).sum()
    let e = gamma * (v.x + bp)
    let q = p + beta * ((gamma - 1) * bp / b2 + gamma * v.x)
    return SIMD4(e, q.x, q.y, q.z)
  }

  /// Whether a massless 4-vector (E, px, py, pz) has pT above `ptMin` and |η| below `etaMax`,
  /// without computing η: |η| < η_max ⇔ |pz| < pT·sinh(η_max).
  @inline(__always)
  static func passes(_ v: SIMD4<Double>, ptMin: Double, sinhEtaMax: Double) -> Bool {
    let pt = (v.y * v.y + v.z * v.z).squareRoot()
    return pt > ptMin && abs(v.w) < pt * sinhEtaMax
  }

  /// Wraps an azimuthal difference into (−π, π].
  static func deltaPhi(_ a: Double, _ b: Double) -> Double {
    var d = a - b
    while d > Double.pi { d -= 2 * Double.pi }
    while d <= -Double.pi { d += 2 * Double.pi }
    return d
  }

  /// Observables of a (smeared) massless photon and lepton given as 4-vectors (E, px, py, pz):
  /// pT, η, φ of each, invariant mass, system pT, ΔR and the Collins–Soper angle of the photon
  /// (signed by the system's longitudinal direction, the usual convention at a pp collider where
  /// the quark direction is unknown).
  static func observables(photon g: SIMD4<Double>, lepton l: SIMD4<Double>) -> LeptonPhotonKinematics {
    var k = LeptonPhotonKinematics()
    k.photonPt = (g.y * g.y + g.z * g.z).squareRoot()
    k.lepPt = (l.y * l.y + l.z * l.z).squareRoot()
    k.photonEta = asinh(g.w / k.photonPt)
    k.lepEta = asinh(l.w / k.lepPt)
    k.photonPhi = atan2(g.z, g.y)
    k.lepPhi = atan2(l.z, l.y)
    let dphi = deltaPhi(k.photonPhi, k.lepPhi)
    let deta = k.photonEta - k.lepEta
    k.drLG = (deta * deta + dphi * dphi).squareRoot()
    // Massless: m² = 2 (E₁E₂ − p⃗₁·p⃗₂).
    k.mLG = max(0, 2 * (g.x * l.x - g.y * l.y - g.z * l.z - g.w * l.w)).squareRoot()
    let px = g.y + l.y, py = g.z + l.z, pz = g.w + l.w
    k.ptLG = (px * px + py * py).squareRoot()
    // Light-cone components p± = (E ± pz)/√2.
    let gPlus = (g.x + g.w) / 2.0.squareRoot(), gMinus = (g.x - g.w) / 2.0.squareRoot()
    let lPlus = (l.x + l.w) / 2.0.squareRoot(), lMinus = (l.x - l.w) / 2.0.squareRoot()
    let denom = k.mLG * (k.mLG * k.mLG + k.ptLG * k.ptLG).squareRoot()
    if denom > 0 {
      let c = 2 * (gPlus * lMinus - gMinus * lPlus) / denom
      k.cosTheta = min(1, max(-1, pz < 0 ? -c : c))
    }
    return k
  }
}
