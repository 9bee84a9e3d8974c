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

  /// (pT, η, φ) of a massless 4-vector.
  static func ptEtaPhi(_ v: SIMD4<Double>) -> (pt: Double, eta: Double, phi: Double) {
    let pt = (v.y * v.y + v.z * v.z).squareRoot()
    return (pt, asinh(v.w / max(pt, 1e-12)), atan2(v.z, v.y))
  }

  /// Wraps an azimuthal difference into (−π, π].
  static func deltaPhi(_ a: Double, _ b: Double) -> Double {
    var d = a - b
    while d > Double.pi { d -= 2 * Double.pi }
    while d <= -Double.pi { d += 2 * Double.pi }
    return d
  }

  /// Observables of a (smeared) massless photon and lepton: invariant mass, system pT, ΔR and
  /// the Collins–Soper angle of the photon (signed by the system's longitudinal direction, the
  /// usual convention at a pp collider where the quark direction is unknown).
  static func observables(
    photonPt: Double, photonEta: Double, photonPhi: Double,
    lepPt: Double, lepEta: Double, lepPhi: Double
  ) -> LeptonPhotonKinematics {
    var k = LeptonPhotonKinematics(
      photonPt: photonPt, photonEta: photonEta, photonPhi: photonPhi,
      lepPt: lepPt, lepEta: lepEta, lepPhi: lepPhi)
    let dphi = deltaPhi(photonPhi, lepPhi)
    let deta = photonEta - lepEta
    k.drLG = (deta * deta + dphi * dphi).squareRoot()
    k.mLG = max(0, 2 * photonPt * lepPt * (cosh(deta) - cos(dphi))).squareRoot()
    let px = photonPt * cos(photonPhi) + lepPt * cos(lepPhi)
    let py = photonPt * sin(photonPhi) + lepPt * sin(lepPhi)
    k.ptLG = (px * px + py * py).squareRoot()
    // Light-cone components p± = (E ± pz)/√2 of massless particles: E = pT cosh η, pz = pT sinh η.
    let g = (plus: photonPt * exp(photonEta) / 2.0.squareRoot(), minus: photonPt * exp(-photonEta) / 2.0.squareRoot())
    let l = (plus: lepPt * exp(lepEta) / 2.0.squareRoot(), minus: lepPt * exp(-lepEta) / 2.0.squareRoot())
    let pz = photonPt * sinh(photonEta) + lepPt * sinh(lepEta)
    let m2 = k.mLG * k.mLG
    let denom = k.mLG * (m2 + k.ptLG * k.ptLG).squareRoot()
    if denom > 0 {
      let c = 2 * (g.plus * l.minus - g.minus * l.plus) / denom
      k.cosTheta = min(1, max(-1, pz < 0 ? -c : c))
    }
    return k
  }
}
