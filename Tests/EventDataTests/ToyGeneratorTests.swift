import CascadeSupport
import Foundation
import Testing

@testable import EventData

/// Weighted mean of a column (weights nil = unweighted).
private func mean(_ t: EventTable, _ name: String, weights: [Double]? = nil) throws -> Double {
  let c = try t.column(named: name)
  var s = 0.0, w = 0.0
  for i in 0..<t.rowCount {
    let wi = weights?[i] ?? 1
    s += wi * c.doubleValue(at: i)
    w += wi
  }
  return s / w
}

private func fraction(_ t: EventTable, _ name: String, in range: ClosedRange<Double>) throws -> Double {
  let c = try t.column(named: name)
  return Double((0..<t.rowCount).filter { range.contains(c.doubleValue(at: $0)) }.count) / Double(t.rowCount)
}

@Suite struct ToyRandomTests {
  @Test func splitMixMatchesPublishedReference() {
    // SplitMix64 from seed 0 (Vigna's reference implementation; also checked in Python).
    var sm = SplitMix64(seed: 0)
    #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
    #expect(sm.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(sm.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func xoshiroMatchesIndependentImplementation() {
    // xoshiro256** seeded by SplitMix64(42): values from an independent Python implementation.
    var r = ToyRandom(seed: 42)
    #expect(r.next() == 0x1578_0B2E_0C2E_C716)
    #expect(r.next() == 0x6104_D986_6D11_3A7E)
    #expect(r.next() == 0xAE17_5332_39E4_99A1)
  }

  @Test(arguments: [0.3, 3.5, 9.9, 10.0, 57.0, 1234.5, 30_800.0])
  func poissonMomentsMatchTheMean(lambda: Double) {
    var r = ToyRandom(seed: 7)
    let n = 40_000
    var s = 0.0, s2 = 0.0
    for _ in 0..<n {
      let k = Double(r.poisson(mean: lambda))
      s += k; s2 += k * k
    }
    let m = s / Double(n), v = s2 / Double(n) - m * m
    // Mean within 5 standard errors; variance (= λ for a Poisson) within 5 %.
    #expect(abs(m - lambda) < 5 * (lambda / Double(n)).squareRoot())
    #expect(abs(v / lambda - 1) < 0.05)
  }

  @Test func normalAndExponentialMoments() {
    var r = ToyRandom(seed: 3)
    let n = 100_000
    var sn = 0.0, sn2 = 0.0, se = 0.0
    for _ in 0..<n {
      let x = r.normal()
      sn += x; sn2 += x * x
      se += r.exponential(mean: 2.5)
    }
    #expect(abs(sn / Double(n)) < 0.02)
    #expect(abs(sn2 / Double(n) - 1) < 0.02)
    #expect(abs(se / Double(n) - 2.5) < 0.05)
  }
}

@Suite struct ToyGeneratorTests {
  static let settings = ToySettings(seed: 11, eventsPerProcess: 12_000, threads: 2)
  static let generator = ToyGenerator(settings)
  static let samples: [String: ToySample] = Dictionary(
    uniqueKeysWithValues: ToyProcess.all.map { ($0.name, generator.generateMC($0)) })
  static let data = generator.generateData()

  @Test func sameSeedGivesIdenticalTablesForAnyThreadCount() {
    var one = Self.settings
    one.threads = 1
    let again = ToyGenerator(one)
    for p in [ToyProcess.signal, .singletop] {
      #expect(again.generateMC(p).table == Self.samples[p.name]!.table)
    }
    #expect(again.generateData().table == Self.data.table)
  }

  @Test func chunksReproduceTheWholeSample() throws {
    let g = Self.generator
    let whole = Self.samples["singletop"]!.table
    let magnitude = g.weightMagnitude(.singletop)
    let cut = 2 * ToyGenerator.chunkAlignment
    let a = g.generateMC(.singletop, rows: 0..<cut, weightMagnitude: magnitude).table
    let b = g.generateMC(.singletop, rows: cut..<whole.rowCount, weightMagnitude: magnitude).table
    #expect(try EventTable.concatenate([a, b]) == whole)
  }

  @Test func differentSeedsGiveDifferentEvents() throws {
    var other = Self.settings
    other.seed = 12
    let t = ToyGenerator(other).generateMC(.signal).table
    let a = try t.column(named: "m_lg").float32Values()
    let b = try Self.samples["signal"]!.table.column(named: "m_lg").float32Values()
    #expect(a != b)
    // Not a shifted copy either: hardly any value agrees.
    #expect(zip(a, b).filter { $0 == $1 }.count < 10)
  }

  @Test func dataSeedChangesOnlyThePseudoData() throws {
    var other = Self.settings
    other.dataSeed = 99
    let gen = ToyGenerator(other)
    #expect(gen.generateMC(.wgamma).table == Self.samples["wgamma"]!.table)
    let fresh = gen.generateData(), nominal = Self.generator.generateData()
    let a = try fresh.table.column(named: "m_lg").float32Values()
    let b = try nominal.table.column(named: "m_lg").float32Values()
    #expect(zip(a, b).filter { $0 == $1 }.count < 10)
    #expect(fresh.yields.map(\.drawn) != nominal.yields.map(\.drawn))
    // dataSeed equal to seed is the default production; truth.json records an explicit one.
    other.dataSeed = other.seed
    #expect(ToyGenerator(other).generateData().table == nominal.table)
    #expect(gen.truth(mc: [], data: fresh)["data_seed"]?.doubleValue == 99)
    #expect(Self.generator.truth(mc: [], data: nominal)["data_seed"] == nil)
  }

  @Test func schemaIsTheDocumentedOne() {
    for s in Self.samples.values {
      #expect(s.table.schema.map(\.name) == ToyGenerator.schema.map(\.name))
      #expect(s.table.schema.map(\.dtype) == ToyGenerator.schema.map(\.dtype))
      #expect(s.table.rowCount == Self.settings.eventsPerProcess)
    }
    #expect(Self.data.table.schema.map(\.name) == ToyGenerator.schema.map(\.name))
  }

  @Test func weightsSumToCrossSectionTimesLuminosity() throws {
    for p in ToyProcess.all {
      let w = try Self.samples[p.name]!.table.column(named: "weight").float64Values()
      let target = p.crossSectionFb * Self.settings.luminosityFb
      #expect(abs(w.reduce(0, +) / target - 1) < 1e-9, "\(p.name)")
      #expect(abs(Self.samples[p.name]!.sumOfWeights / target - 1) < 1e-9)
    }
  }

  @Test func onlySingleTopHasAboutTenPercentNegativeWeights() throws {
    for p in ToyProcess.all {
      let w = try Self.samples[p.name]!.table.column(named: "weight").float64Values()
      let neg = Double(w.filter { $0 < 0 }.count) / Double(w.count)
      if p.name == "singletop" {
        // 12k events: binomial standard error ≈ 0.003.
        #expect(abs(neg - 0.10) < 0.015, "negative fraction \(neg)")
        #expect(Set(w.map { abs($0) }).count == 1)
        #expect(w.reduce(0, +) > 0)
      } else {
        #expect(neg == 0, "\(p.name)")
      }
    }
  }

  @Test func eventNumbersAreUniqueAcrossAllSamples() throws {
    var seen = Set<Int64>()
    var total = 0
    for t in Array(Self.samples.values.map(\.table)) + [Self.data.table] {
      let ids = try t.column(named: "event_number").int64Values()
      seen.formUnion(ids)
      total += ids.count
    }
    #expect(seen.count == total)
    let data = try Self.data.table.column(named: "event_number").int64Values()
    #expect(data == (1...Int64(data.count)).map { $0 })
  }

  @Test func dataYieldsFollowTheTrueNormalisations() throws {
    var drawnTotal = 0
    for y in Self.data.yields {
      let p = ToyProcess.all.first { $0.name == y.process }!
      let expected = Self.settings.trueNormalisation(p.name) * p.crossSectionFb * Self.settings.luminosityFb
      #expect(y.expected == expected)
      // Poisson: within 5 standard deviations.
      #expect(abs(Double(y.drawn) - expected) < 5 * expected.squareRoot(), "\(p.name)")
      drawnTotal += y.drawn
    }
    #expect(Self.data.table.rowCount == drawnTotal)
    let w = try Self.data.table.column(named: "weight").float64Values()
    #expect(w.allSatisfy { $0 == 1 })
  }

  @Test func truthRecordsEveryProcess() throws {
    let truth = Self.generator.truth(mc: Array(Self.samples.values), data: Self.data)
    let round = try JSONValue.parse(truth.serialized(), source: "truth.json")
    #expect(round == truth)
    #expect(truth["seed"]?.doubleValue == 11)
    #expect(truth["luminosity_fb"]?.doubleValue == 140)
    var drawn = 0.0
    for p in ToyProcess.all {
      let o = try #require(truth["processes"]?[p.name])
      #expect(o["true_normalisation"]?.doubleValue == Self.settings.trueNormalisation(p.name))
      #expect(o["cross_section_fb"]?.doubleValue == p.crossSectionFb)
      #expect(o["mc_events"]?.doubleValue == 12_000)
      let sumW = try #require(o["mc_sum_weights"]?.doubleValue)
      #expect(abs(sumW - p.crossSectionFb * 140) < 1e-6)
      drawn += o["data_drawn"]?.doubleValue ?? -1
    }
    #expect(truth["data"]?["events"]?.doubleValue == drawn)
  }

  /// Pseudo-data of an NLO-like process follow the signed-weight MC distribution.
  @Test func physicalSingleTopMatchesSignedWeightedMC() throws {
    let mc = Self.samples["singletop"]!.table
    let w = try mc.column(named: "weight").float64Values()
    let physical = Self.generator.generateEvents(
      .singletop, rows: 0..<40_000, seed: Self.generator.settings.seed, stream: 999, physicalOnly: true)
    let nj = physical.nJets.map(Double.init).reduce(0, +) / Double(physical.count)
    let mcSigned = try mean(mc, "n_jets", weights: w)
    let mcUnsigned = try mean(mc, "n_jets")
    #expect(abs(nj - mcSigned) < 0.03)
    // The thinning matters: negative weights sit at higher jet multiplicity.
    #expect(mcUnsigned - mcSigned > 0.03)
    #expect(physical.negative.allSatisfy { !$0 })
  }

  @Test func signalIsANarrowResonance() throws {
    let s = Self.samples["signal"]!.table
    let m = try s.column(named: "m_lg").float32Values().map(Double.init)
    let mu = m.reduce(0, +) / Double(m.count)
    let sd = (m.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(m.count)).squareRoot()
    #expect(abs(mu - 125) < 0.5)
    #expect(sd > 2.5 && sd < 5)
  }

  @Test func everyEventPassesTheAcceptance() throws {
    for s in Self.samples.values {
      let t = s.table
      let gpt = try t.column(named: "photon_pt").float32Values()
      let lpt = try t.column(named: "lep_pt").float32Values()
      let dr = try t.column(named: "dr_lg").float32Values()
      #expect(gpt.allSatisfy { $0 > 20 } && lpt.allSatisfy { $0 > 25 } && dr.allSatisfy { $0 > 0.4 })
      let nb = try t.column(named: "n_bjets").int64Values()
      let nj = try t.column(named: "n_jets").int64Values()
      #expect(zip(nb, nj).allSatisfy { $0 <= $1 })
    }
  }

  /// Each background differs from the signal in its own variables, and not (much) in the others'.
  @Test func eachBackgroundIsSeparableByItsOwnVariables() throws {
    func m(_ p: String, _ c: String) throws -> Double { try mean(Self.samples[p]!.table, c) }
    // W+jets: fake photons — non-isolated and wide showers.
    #expect(try m("wjets", "photon_iso") > 5 * m("signal", "photon_iso"))
    #expect(try m("wjets", "photon_sieie") > m("signal", "photon_sieie") + 0.002)
    // Top: jets and b-jets.
    #expect(try m("ttbar", "n_jets") > m("signal", "n_jets") + 2.5)
    #expect(try m("ttbar", "n_bjets") > 1)
    #expect(try m("ttbar", "ht") > 5 * m("signal", "ht"))
    #expect(try m("singletop", "n_bjets") > 0.5)
    #expect(try m("signal", "n_bjets") < 0.05)
    // Wγ: prompt photons like the signal, but a neutrino and no mass peak.
    #expect(try abs(m("wgamma", "photon_iso") - m("signal", "photon_iso")) < 0.1)
    #expect(try abs(m("wgamma", "photon_sieie") - m("signal", "photon_sieie")) < 0.001)
    #expect(try m("wgamma", "met") > m("signal", "met") + 8)
    #expect(try fraction(Self.samples["signal"]!.table, "m_lg", in: 118...132) > 0.9)
    #expect(try fraction(Self.samples["wgamma"]!.table, "m_lg", in: 118...132) < 0.15)
    // …and it is copious: more Wγ than signal under the peak even after the mass window.
    let sig = Self.samples["signal"]!, wg = Self.samples["wgamma"]!
    let inWindow = { (s: ToySample) in try fraction(s.table, "m_lg", in: 118...132) * s.sumOfWeights }
    #expect(try inWindow(wg) > 3 * inWindow(sig))
  }
}

@Suite struct ToyKinematicsTests {
  /// A massless 4-vector from (pT, η, φ).
  func vector(pt: Double, eta: Double, phi: Double) -> SIMD4<Double> {
    SIMD4(pt * cosh(eta), pt * cos(phi), pt * sin(phi), pt * sinh(eta))
  }

  @Test func backToBackPairAtRest() {
    let k = ToyKinematics.observables(photon: vector(pt: 62.5, eta: 0, phi: 0.3), lepton: vector(pt: 62.5, eta: 0, phi: 0.3 - .pi))
    #expect(abs(k.mLG - 125) < 1e-9)
    #expect(abs(k.drLG - .pi) < 1e-9)
    #expect(k.ptLG < 1e-9)
    #expect(abs(k.photonPhi - 0.3) < 1e-12)
  }

  @Test func massFormulaMatchesTheTextbookOne() {
    // m² = 2 pT₁ pT₂ (cosh Δη − cos Δφ) for massless particles.
    let (p1, e1, f1, p2, e2, f2) = (48.0, 1.1, -2.0, 73.0, -0.4, 0.9)
    let k = ToyKinematics.observables(photon: vector(pt: p1, eta: e1, phi: f1), lepton: vector(pt: p2, eta: e2, phi: f2))
    let m = (2 * p1 * p2 * (cosh(e1 - e2) - cos(f1 - f2))).squareRoot()
    #expect(abs(k.mLG - m) < 1e-9 * m)
    #expect(abs(k.photonEta - e1) < 1e-12 && abs(k.lepEta - e2) < 1e-12)
    #expect(abs(k.photonPt - p1) < 1e-9 && abs(k.lepPt - p2) < 1e-9)
  }

  @Test(arguments: [(125.0, 0.0, 0.0, 0.3), (125.0, 40.0, 1.2, -0.7), (80.0, 150.0, -2.0, 0.95)])
  func decayConservesMassAndSystemMomentum(m: Double, pt: Double, y: Double, cosThetaStar: Double) {
    let (g, l) = ToyKinematics.decay(m: m, pt: pt, phi: 0.4, y: y, cosThetaStar: cosThetaStar, phiStar: 1.3)
    let k = ToyKinematics.observables(photon: g, lepton: l)
    #expect(abs(k.mLG - m) < 1e-8 * m)
    #expect(abs(k.ptLG - pt) < 1e-8 * max(1, pt))
    // At zero system pT the Collins–Soper angle is the rest-frame angle (up to the pz sign).
    if pt == 0 && y == 0 { #expect(abs(abs(k.cosTheta) - abs(cosThetaStar)) < 1e-9) }
  }
}

@Suite struct CorrelatedToyTests {
  @Test func photonPtRelFollowsTheMassInTheCorrelatedToy() throws {
    var settings = ToySettings(seed: 3, eventsPerProcess: 500)
    let plain = ToyGenerator(settings).generateMC(.wgamma).table
    settings.correlation = .standard
    let gen = ToyGenerator(settings)
    let mc = gen.generateMC(.wgamma).table
    let pt = try mc.column(named: "photon_pt").float64Values(), m = try mc.column(named: "m_lg").float64Values()
    let rel = try mc.column(named: "photon_ptrel").float64Values()
    // κ = 1 in the simulation: photon_pt / 125 GeV.
    for i in 0..<pt.count { #expect(abs(rel[i] - pt[i] / 125) < 1e-6 * max(1, rel[i])) }
    // Every other column is the plain toy's.
    for c in ["photon_pt", "m_lg", "met", "weight", "event_number"] {
      #expect(try mc.column(named: c).float64Values() == plain.column(named: c).float64Values())
    }
    // The pseudo-data use κ = 0.5.
    let data = gen.generateData().table
    let dpt = try data.column(named: "photon_pt").float64Values(), dm = try data.column(named: "m_lg").float64Values()
    let drel = try data.column(named: "photon_ptrel").float64Values()
    for i in 0..<200 { #expect(abs(drel[i] - dpt[i] / dm[i] * (dm[i] / 125).squareRoot()) < 1e-5 * max(1, drel[i])) }
    #expect(gen.truth(mc: [], data: gen.generateData())["correlation"]?["data_exponent"]?.doubleValue == 0.5)
    #expect(ToyGenerator(ToySettings(seed: 3, eventsPerProcess: 500)).truth(mc: [], data: gen.generateData())["correlation"] == nil)
  }
}
