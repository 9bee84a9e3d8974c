import Foundation

/// One physics process of the toy: how its lepton–photon system, photon, jets and missing
/// energy are distributed. Every background differs from the signal in its own variables:
///
/// | process   | what gives it away                                                   |
/// |-----------|----------------------------------------------------------------------|
/// | wgamma    | nothing strong: smooth m_lg, forward photons (cos_theta, photon_ptrel), a neutrino (met) |
/// | wjets     | the "photon" is a jet: large photon_iso, wide photon_sieie            |
/// | ttbar     | many jets and b-jets: n_jets, n_bjets, ht, met                         |
/// | singletop | a b-jet, moderate jets, met; NLO-like ~10 % negative weights           |
public struct ToyProcess: Sendable, Equatable {
  /// Whether the process is the one searched for or one the cascade must reject; written as the
  /// `role` of each process in the toy's truth file.
  public enum Role: String, Sendable { case signal, background }

  /// Invariant-mass model of the lepton–photon system before detector smearing.
  public enum MassModel: Sendable, Equatable {
    /// A narrow resonance: Gaussian natural-width stand-in of `width` around `mass`.
    case resonance(mass: Double, width: Double)
    /// A smooth falling continuum: `threshold` + exponential of mean `slope` (GeV).
    case falling(threshold: Double, slope: Double)
  }

  public var name: String
  public var role: Role
  /// Cross section after the toy preselection, in fb.
  public var crossSectionFb: Double
  public var mass: MassModel
  /// Rest-frame angular distribution of the photon ∝ 1 + a·cos²θ* (a = 0: spin-0 isotropic).
  public var angularA: Double
  /// Mean of the exponential transverse momentum of the lepton–photon system (GeV).
  public var systemPtMean: Double
  /// Width of the Gaussian rapidity distribution of the system.
  public var rapiditySigma: Double
  /// Fraction of events whose photon is a real prompt photon (the rest are jets faking one).
  public var promptPhotonFraction: Double
  /// Neutrino pT as a fraction of the lepton pT: |N(mean, sigma)|; mean 0 = no neutrino.
  public var neutrinoPtFraction: (mean: Double, sigma: Double)
  /// Spread (rad) of the neutrino azimuth around the direction opposite to the lepton.
  public var neutrinoPhiSpread: Double
  /// Jets: `minJets` + Poisson(`extraJetsMean`) with pT = 25 GeV + exponential(`jetPtSlope`).
  public var minJets: Int
  public var extraJetsMean: Double
  public var jetPtSlope: Double
  /// Number of true b quarks among the jets (each tagged with 70 %; light jets mistagged 1 %).
  public var bQuarks: Int
  /// Fraction of negative-weight events: base + perJet·(n_jets − minJets), capped at 0.3.
  public var negativeWeightBase: Double
  public var negativeWeightPerJet: Double

  public static func == (a: ToyProcess, b: ToyProcess) -> Bool { a.name == b.name }

  public var hasNegativeWeights: Bool { negativeWeightBase > 0 || negativeWeightPerJet > 0 }

  /// Probability that an event with `nJets` jets carries a negative weight.
  func negativeWeightProbability(nJets: Int) -> Double {
    min(0.3, negativeWeightBase + negativeWeightPerJet * Double(max(0, nJets - minJets)))
  }

  /// The smallest negative-weight probability over all jet counts (for drawing pseudo-data).
  var minimumNegativeWeightProbability: Double { negativeWeightProbability(nJets: minJets) }
}

extension ToyProcess {
  /// Signal: a narrow lepton–photon resonance at 125 GeV (m_lg resolution ≈ 3.5 GeV from the
  /// photon and lepton energy resolution), prompt isolated photon, isotropic decay, few jets, no
  /// neutrino.
  public static let signal = ToyProcess(
    name: "signal", role: .signal, crossSectionFb: 5, mass: .resonance(mass: 125, width: 1.5),
    angularA: 0, systemPtMean: 25, rapiditySigma: 1.2, promptPhotonFraction: 1,
    neutrinoPtFraction: (0, 0), neutrinoPhiSpread: 0, minJets: 0, extraJetsMean: 0.6, jetPtSlope: 30,
    bQuarks: 0, negativeWeightBase: 0, negativeWeightPerJet: 0)

  /// Wγ: the copious irreducible background. Prompt photon and a real lepton like the signal,
  /// but a smooth falling m_lg, forward-peaked photons (initial-state radiation) and a neutrino.
  public static let wgamma = ToyProcess(
    name: "wgamma", role: .background, crossSectionFb: 200, mass: .falling(threshold: 45, slope: 45),
    angularA: 5, systemPtMean: 20, rapiditySigma: 1.4, promptPhotonFraction: 1,
    neutrinoPtFraction: (0.45, 0.35), neutrinoPhiSpread: 0.9, minJets: 0, extraJetsMean: 0.9,
    jetPtSlope: 35, bQuarks: 0, negativeWeightBase: 0, negativeWeightPerJet: 0)

  /// W+jets with a jet faking the photon: non-isolated, wide showers.
  public static let wjets = ToyProcess(
    name: "wjets", role: .background, crossSectionFb: 60, mass: .falling(threshold: 40, slope: 50),
    angularA: 1, systemPtMean: 35, rapiditySigma: 1.4, promptPhotonFraction: 0,
    neutrinoPtFraction: (0.9, 0.35), neutrinoPhiSpread: 0.7, minJets: 0, extraJetsMean: 1.3,
    jetPtSlope: 35, bQuarks: 0, negativeWeightBase: 0, negativeWeightPerJet: 0)

  /// tt̄ (semileptonic, + real or fake photon): many jets, two b-jets, large ht and met.
  public static let ttbar = ToyProcess(
    name: "ttbar", role: .background, crossSectionFb: 40, mass: .falling(threshold: 40, slope: 70),
    angularA: 0, systemPtMean: 60, rapiditySigma: 1.0, promptPhotonFraction: 0.55,
    neutrinoPtFraction: (0.9, 0.45), neutrinoPhiSpread: 2.0, minJets: 2, extraJetsMean: 1.8,
    jetPtSlope: 50, bQuarks: 2, negativeWeightBase: 0, negativeWeightPerJet: 0)

  /// Single top (+ photon): one b-jet, moderate jet activity and met. Generated "at NLO": about
  /// 10 % of the events carry negative weights, more often with extra jets.
  public static let singletop = ToyProcess(
    name: "singletop", role: .background, crossSectionFb: 15, mass: .falling(threshold: 40, slope: 55),
    angularA: 0, systemPtMean: 45, rapiditySigma: 1.2, promptPhotonFraction: 0.6,
    neutrinoPtFraction: (0.8, 0.4), neutrinoPhiSpread: 1.5, minJets: 1, extraJetsMean: 1.0,
    jetPtSlope: 40, bQuarks: 1, negativeWeightBase: 0.07, negativeWeightPerJet: 0.03)

  /// Every toy process, in file order: the signal first.
  public static let all: [ToyProcess] = [.signal, .wgamma, .wjets, .ttbar, .singletop]
}

/// One generated event (reconstructed quantities; the weight sign is the NLO-like sign).
struct ToyEvent {
  var photonPt = 0.0, photonEta = 0.0, photonIso = 0.0, photonSieie = 0.0
  var lepPt = 0.0, lepEta = 0.0
  var drLG = 0.0, cosTheta = 0.0, ptLG = 0.0, mLG = 0.0
  var met = 0.0, ht = 0.0
  var nJets = 0, nBjets = 0
  var negative = false
  /// The jet variables and m_lg with every jet's energy scaled by 1 ± δ (`ToySystematics`) and
  /// by the pseudo-data's true scale 1 + θδ.
  var jesUp = JetShift(), jesDown = JetShift(), jesData = JetShift()
}

/// Jet variables of one event under a jet-energy-scale factor: jets scaled below the 25 GeV
/// threshold are lost; m_lg moves by `ToySystematics.massJetCoupling` × the change of ht.
struct JetShift {
  var ht = 0.0, nJets = 0, mLG = 0.0
}

extension ToyProcess {
  /// Relative pT resolutions: together they give the signal its ≈ 3 GeV m_lg resolution.
  static let photonResolution = 0.04, leptonResolution = 0.03

  /// Draws one event passing the acceptance from this process's distributions.
  func generateEvent(_ rng: inout ToyRandom, dataJetScale: Double = 1) -> ToyEvent {
    var k = LeptonPhotonKinematics()
    // Rejection on the acceptance; a process is defined *after* preselection.
    for _ in 0..<100_000 {
      if let accepted = drawLeptonPhoton(&rng) {
        k = accepted
        break
      }
    }
    var e = ToyEvent()
    e.photonPt = k.photonPt; e.photonEta = k.photonEta
    e.lepPt = k.lepPt; e.lepEta = k.lepEta
    e.drLG = k.drLG; e.cosTheta = k.cosTheta; e.ptLG = k.ptLG; e.mLG = k.mLG
    drawPhotonIdentification(&e, prompt: rng.bernoulli(promptPhotonFraction), &rng)
    drawJets(&e, dataJetScale: dataJetScale, &rng)
    drawMissingEnergy(&e, lepPhi: k.lepPhi, &rng)
    e.negative = hasNegativeWeights && rng.bernoulli(negativeWeightProbability(nJets: e.nJets))
    return e
  }

  static let sinhPhotonEtaMax = sinh(ToyAcceptance.photonEtaMax)
  static let sinhLepEtaMax = sinh(ToyAcceptance.lepEtaMax)

  /// One attempt: the smeared lepton–photon system, or nil if it fails the acceptance. The cheap
  /// pT/η test comes before any η, φ or mass is computed (most rejected attempts stop there).
  private func drawLeptonPhoton(_ rng: inout ToyRandom) -> LeptonPhotonKinematics? {
    let m: Double
    switch mass {
    case .resonance(let m0, let width): m = max(1, rng.normal(m0, width))
    case .falling(let threshold, let slope): m = threshold + rng.exponential(mean: slope)
    }
    // cos θ* from 1 + a c² by rejection (envelope 1 + a).
    var c = rng.uniform(-1, 1)
    if angularA > 0 {
      while rng.uniform() * (1 + angularA) > 1 + angularA * c * c { c = rng.uniform(-1, 1) }
    }
    let pt = rng.exponential(mean: systemPtMean)
    let (gamma, lepton) = ToyKinematics.decay(
      m: m, pt: pt, phi: rng.uniform(-Double.pi, Double.pi), y: rng.normal(0, rapiditySigma),
      cosThetaStar: c, phiStar: rng.uniform(-Double.pi, Double.pi))
    // Energy resolution scales the whole massless 4-vector: direction kept, pT smeared.
    let g = gamma * max(0.5, 1 + rng.normal(0, Self.photonResolution))
    let l = lepton * max(0.5, 1 + rng.normal(0, Self.leptonResolution))
    guard ToyKinematics.passes(g, ptMin: ToyAcceptance.photonPtMin, sinhEtaMax: Self.sinhPhotonEtaMax),
      ToyKinematics.passes(l, ptMin: ToyAcceptance.lepPtMin, sinhEtaMax: Self.sinhLepEtaMax)
    else { return nil }
    let k = ToyKinematics.observables(photon: g, lepton: l)
    return ToyAcceptance.accepts(k) ? k : nil
  }

  /// Isolation (GeV, pile-up corrected so it can be slightly negative) and σ_iηiη shower width,
  /// wider in the end-caps. About 20 % of fakes come from hard fragmentation and look nearly prompt:
  /// the part of W+jets no photon identification removes.
  private func drawPhotonIdentification(_ e: inout ToyEvent, prompt: Bool, _ rng: inout ToyRandom) {
    let endcap = abs(e.photonEta) > ToyAcceptance.barrelEtaMax
    let pileup = rng.normal(0, 0.5)
    if prompt {
      e.photonIso = rng.exponential(mean: 1.0) + pileup
      e.photonSieie = endcap ? rng.normal(0.0265, 0.0018) : rng.normal(0.0098, 0.0006)
    } else if rng.bernoulli(0.2) {
      e.photonIso = rng.exponential(mean: 2.0) + pileup
      e.photonSieie = endcap ? rng.normal(0.0280, 0.0025) : rng.normal(0.0105, 0.0009)
    } else {
      e.photonIso = 2 + rng.exponential(mean: 7.0) + pileup
      e.photonSieie = endcap ? rng.normal(0.0320, 0.0040) : rng.normal(0.0125, 0.0018)
    }
    e.photonSieie = max(0.002, e.photonSieie)
  }

  private func drawJets(_ e: inout ToyEvent, dataJetScale: Double, _ rng: inout ToyRandom) {
    let n = minJets + rng.poisson(mean: extraJetsMean)
    var ht = 0.0
    // Scales of the jes up, down and pseudo-data copies; they draw nothing, so the nominal
    // event stays exactly as before.
    let scales = SIMD3(1 + ToySystematics.jetEnergyScale, 1 - ToySystematics.jetEnergyScale, dataJetScale)
    var shiftedHT = SIMD3<Double>(repeating: 0), shiftedN = SIMD3<Int>(repeating: 0)
    for _ in 0..<n {
      let pt = 25 + rng.exponential(mean: jetPtSlope)
      ht += pt
      for k in 0..<3 where pt * scales[k] >= ToySystematics.jetPtThreshold {
        shiftedHT[k] += pt * scales[k]
        shiftedN[k] += 1
      }
    }
    let trueB = min(bQuarks, n)
    e.nJets = n
    e.nBjets = rng.binomial(trueB, 0.70) + rng.binomial(n - trueB, 0.01)
    e.ht = ht
    func shift(_ k: Int) -> JetShift {
      JetShift(ht: shiftedHT[k], nJets: shiftedN[k], mLG: max(0, e.mLG + ToySystematics.massJetCoupling * (shiftedHT[k] - ht)))
    }
    e.jesUp = shift(0)
    e.jesDown = shift(1)
    e.jesData = shift(2)
  }

  /// Missing transverse momentum: the neutrino (if any) roughly opposite the lepton, plus a
  /// Gaussian resolution term growing with the hadronic activity.
  private func drawMissingEnergy(_ e: inout ToyEvent, lepPhi: Double, _ rng: inout ToyRandom) {
    var mx = 0.0, my = 0.0
    if neutrinoPtFraction.mean > 0 {
      let nuPt = e.lepPt * abs(rng.normal(neutrinoPtFraction.mean, neutrinoPtFraction.sigma))
      let phi = lepPhi + Double.pi + rng.normal(0, neutrinoPhiSpread)
      mx = nuPt * cos(phi); my = nuPt * sin(phi)
    }
    let sigma = 12 + 0.04 * e.ht
    mx += rng.normal(0, sigma); my += rng.normal(0, sigma)
    e.met = (mx * mx + my * my).squareRoot()
  }
}

/// The toy's systematic variations: a jet energy scale (every jet's pT × (1 ± δ), jets falling
/// below 25 GeV lost, m_lg moved by a jet-dependent part), a photon scale factor (weight ×
/// (1 ± u(η))) and an alternative tt̄ generator.
public enum ToySystematics {
  /// δ of the jet energy scale.
  public static let jetEnergyScale = 0.05
  public static let jetPtThreshold = 25.0
  /// dm_lg / dht of the jet-dependent part of the reconstructed mass (a recoil correction).
  public static let massJetCoupling = 0.1
  /// Relative photon scale-factor uncertainty at |η|: 2 % central growing to 5 % at the edge.
  public static func photonScaleFactorUncertainty(eta: Double) -> Double {
    0.02 + 0.03 * min(1, abs(eta) / ToyAcceptance.photonEtaMax)
  }
  /// Variation columns, in file order after the nominal ones.
  public static let columns: [(name: String, dtype: DType)] = [
    ("ht_jes_up", .float32), ("ht_jes_down", .float32), ("n_jets_jes_up", .int32), ("n_jets_jes_down", .int32),
    ("m_lg_jes_up", .float32), ("m_lg_jes_down", .float32), ("weight_phsf_up", .float64), ("weight_phsf_down", .float64),
  ]
}

extension ToyProcess {
  /// tt̄ from an "alternative generator": harder jets, more radiation, a harder system pT.
  /// Written as `ttbar_alt` for the `files` systematic of the toy config.
  public static let ttbarAlternative: ToyProcess = {
    var p = ToyProcess.ttbar
    p.name = "ttbar_alt"
    p.extraJetsMean = 2.1
    p.jetPtSlope = 55
    p.systemPtMean = 70
    return p
  }()
}
