import CascadeSupport
import Foundation

/// Settings of a toy production: seed, sizes, luminosity and the true normalisations that the
/// pseudo-data are drawn with.
public struct ToySettings: Sendable {
  public var seed: UInt64
  /// Monte Carlo events generated per process.
  public var eventsPerProcess: Int
  /// Integrated luminosity in fb⁻¹: MC weights are σ·L/N and the data expectation is norm·σ·L.
  public var luminosityFb: Double
  /// Worker threads (0 = all cores); the events do not depend on it.
  public var threads: Int
  public var processes: [ToyProcess]
  /// True normalisation per process name (1 when absent) used to draw the pseudo-data.
  public var trueNormalisations: [String: Double]
  /// The pseudo-data's jet energy scale in units of `ToySystematics.jetEnergyScale`: θ = +1
  /// draws data as the `jes` up variation (0: nominal).
  public var trueJESShift: Double = 0
  /// Alternative samples written next to the nominal ones (MC only, never in the data).
  public var alternatives: [ToyProcess] = [.ttbarAlternative]
  /// The `--correlated` toy's mass-dependent photon_ptrel (ToyCorrelation.swift); nil = the
  /// shipped toy, whose features do not depend on m_lg within a process.
  public var correlation: ToyCorrelation? = nil
  /// Seed of the pseudo-data alone (nil = `seed`): pseudo-experiments with the same Monte Carlo
  /// and fresh data. The MC depends on `seed` only.
  public var dataSeed: UInt64? = nil

  /// The seed the pseudo-data are drawn with.
  public var effectiveDataSeed: UInt64 { dataSeed ?? seed }

  /// The defaults the shipped samples use. ttbar and singletop share one normalisation because
  /// the shipped fits float a single top normalisation for both.
  public static let defaultNormalisations: [String: Double] = [
    "signal": 1.2, "wgamma": 1.1, "wjets": 0.85, "ttbar": 1.15, "singletop": 1.15,
  ]

  /// Settings of the shipped toy by default: seed 1, 20 000 MC events per process, 140 fb⁻¹, all
  /// cores, every process, ``defaultNormalisations``, no correlation.
  public init(
    seed: UInt64 = 1, eventsPerProcess: Int = 20_000, luminosityFb: Double = 140, threads: Int = 0,
    processes: [ToyProcess] = ToyProcess.all,
    trueNormalisations: [String: Double] = ToySettings.defaultNormalisations
  ) {
    self.seed = seed
    self.eventsPerProcess = eventsPerProcess
    self.luminosityFb = luminosityFb
    self.threads = threads
    self.processes = processes
    self.trueNormalisations = trueNormalisations
  }

  /// The factor on σ·L with which the pseudo-data of `process` are drawn (1 when not listed): the
  /// value a correct fit should recover.
  public func trueNormalisation(_ process: String) -> Double { trueNormalisations[process] ?? 1 }
}

/// A generated Monte Carlo sample with its bookkeeping.
public struct ToySample: Sendable {
  public var process: ToyProcess
  public var table: EventTable
  /// Events in the sample (equal to `table.rowCount` unless only bookkeeping is kept).
  public var events: Int
  /// Σ of signed weights (= σ·L up to rounding).
  public var sumOfWeights: Double
  public var negativeWeightEvents: Int
}

/// The pseudo-data: events of all processes shuffled together, plus how many came from each.
public struct ToyData: Sendable {
  public var table: EventTable
  /// (process name, expected = norm·σ·L, drawn count), in process order.
  public var yields: [(process: String, expected: Double, drawn: Int)]
}

/// Deterministic toy event generator: the same settings give bit-identical tables for any thread
/// count, because every block of 4096 events draws from its own stream seeded by
/// (seed, sample, block).
///
/// ```swift
/// let gen = ToyGenerator(ToySettings(seed: 7, eventsPerProcess: 10_000))
/// let signal = gen.generateMC(.signal)        // weights σ·L/N, event numbers 1_000_000_001…
/// let data = gen.generateData()               // Poisson(norm·σ·L) events per process
/// let truth = gen.truth(mc: [signal], data: data)
/// ```
public struct ToyGenerator: Sendable {
  public let settings: ToySettings
  static let blockSize = 4096
  /// Chunks of a sample generated separately must start at a multiple of this.
  public static let chunkAlignment = blockSize
  /// Event numbers of process k (1-based) start at k·10⁹ + 1; data events at 1.
  public static let eventNumberStride: Int64 = 1_000_000_000
  public static let dataStream: UInt64 = 0xDA7A

  /// A generator for `settings`; nothing is drawn until a `generate…` call.
  public init(_ settings: ToySettings) { self.settings = settings }

  /// Column names and types of every generated file, in file order.
  public static let schema: [(name: String, dtype: DType)] = [
    ("event_number", .int64), ("weight", .float64),
    ("photon_pt", .float32), ("photon_eta", .float32), ("photon_iso", .float32), ("photon_sieie", .float32),
    ("lep_pt", .float32), ("lep_eta", .float32), ("dr_lg", .float32), ("cos_theta", .float32),
    ("pt_lg", .float32), ("photon_ptrel", .float32), ("met", .float32), ("n_jets", .int32), ("n_bjets", .int32), ("ht", .float32),
    ("m_lg", .float32),
  ] + ToySystematics.columns

  /// The Monte Carlo sample of `process`: `eventsPerProcess` events, weights σ·L/N (signed for
  /// NLO-like processes, with |w| chosen so that the signed sum is exactly σ·L).
  public func generateMC(_ process: ToyProcess) -> ToySample {
    generateMC(process, rows: 0..<settings.eventsPerProcess, weightMagnitude: weightMagnitude(process))
  }

  /// Rows `rows` of the sample of `process` (the lower bound a multiple of `chunkAlignment`):
  /// identical to the same rows of `generateMC(process)`, so big samples can be written in chunks.
  /// `weightMagnitude` is `weightMagnitude(process)`, computed once per sample.
  public func generateMC(_ process: ToyProcess, rows: Range<Int>, weightMagnitude: Double) -> ToySample {
    precondition(rows.lowerBound % Self.chunkAlignment == 0, "chunks start on a block boundary")
    let index = processIndex(process)
    var cols = generateEvents(process, rows: rows, seed: settings.seed, stream: UInt64(index), physicalOnly: false)
    cols.weight = cols.negative.map { $0 ? -weightMagnitude : weightMagnitude }
    cols.weightPhotonSFUp = zip(cols.weight, cols.photonEta).map { $0 * (1 + ToySystematics.photonScaleFactorUncertainty(eta: Double($1))) }
    cols.weightPhotonSFDown = zip(cols.weight, cols.photonEta).map { $0 * (1 - ToySystematics.photonScaleFactorUncertainty(eta: Double($1))) }
    let base = Int64(index) * Self.eventNumberStride
    cols.eventNumber = rows.map { base + Int64($0) + 1 }
    var sum = 0.0
    for w in cols.weight { sum += w }
    return ToySample(
      process: process, table: cols.table(), events: rows.count, sumOfWeights: sum,
      negativeWeightEvents: cols.negative.lazy.filter { $0 }.count)
  }

  /// |weight| of every event of `process`: σ·L / (N₊ − N₋). For processes with negative weights
  /// this generates the sample once to count them (the signs depend on the events).
  public func weightMagnitude(_ process: ToyProcess) -> Double {
    let n = settings.eventsPerProcess
    let target = process.crossSectionFb * settings.luminosityFb
    guard process.hasNegativeWeights else { return n > 0 ? target / Double(n) : 0 }
    var negatives = 0
    for chunk in ParallelBlocks.blockRanges(count: n, blockSize: Self.chunkAlignment * 64) {
      let cols = generateEvents(
        process, rows: chunk, seed: settings.seed, stream: UInt64(processIndex(process)), physicalOnly: false)
      negatives += cols.negative.lazy.filter { $0 }.count
    }
    let net = n - 2 * negatives
    return net > 0 ? target / Double(net) : 0
  }

  /// Pseudo-data: for each process Poisson(norm·σ·L) fresh events drawn from its *physical*
  /// (signed-weight) distribution, shuffled together, numbered 1…N, weight 1. Drawn from
  /// `settings.effectiveDataSeed`.
  public func generateData() -> ToyData {
    let seed = settings.effectiveDataSeed
    var parts: [ToyColumns] = []
    var yields: [(String, Double, Int)] = []
    for (i, p) in settings.processes.enumerated() {
      let expected = settings.trueNormalisation(p.name) * p.crossSectionFb * settings.luminosityFb
      var rng = ToyRandom(seed: SplitMix64.streamSeed(seed, Self.dataStream, 1, UInt64(i + 1)))
      let drawn = rng.poisson(mean: expected)
      yields.append((p.name, expected, drawn))
      var part = generateEvents(p, rows: 0..<drawn, seed: seed, stream: Self.dataStream << 8 | UInt64(i + 1), physicalOnly: true)
      if settings.trueJESShift != 0 { part.applyDataJetShift() }
      parts.append(part)
    }
    var all = ToyColumns.concatenate(parts)
    var order = Array(0..<all.count)
    var rng = ToyRandom(seed: SplitMix64.streamSeed(seed, Self.dataStream, 2))
    if order.count > 1 {
      for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.index(below: i + 1)) }
    }
    all = all.take(order)
    all.weight = [Double](repeating: 1, count: all.count)
    all.weightPhotonSFUp = all.weight
    all.weightPhotonSFDown = all.weight
    all.eventNumber = (0..<all.count).map { Int64($0) + 1 }
    return ToyData(table: all.table(), yields: yields)
  }

  /// 1-based: processes in order, then the alternatives.
  func processIndex(_ process: ToyProcess) -> Int {
    if let i = settings.processes.firstIndex(of: process) { return i + 1 }
    return settings.processes.count + 1 + (settings.alternatives.firstIndex(of: process) ?? settings.alternatives.count)
  }

  /// Events `rows` of `process` from the streams (seed, stream, block) of their 4096-event blocks. With
  /// `physicalOnly`, events are kept with probability (1 − 2f(x))/(1 − 2f_min): the density of the
  /// signed-weight MC, which is what a detector would record.
  func generateEvents(
    _ process: ToyProcess, rows: Range<Int>, seed: UInt64, stream: UInt64, physicalOnly: Bool
  ) -> ToyColumns {
    let first = rows.lowerBound
    let blocks = ParallelBlocks.map(count: rows.count, blockSize: Self.blockSize, threads: settings.threads) { local in
      let range = (first + local.lowerBound)..<(first + local.upperBound)
      var rng = ToyRandom(seed: SplitMix64.streamSeed(seed, stream, UInt64(range.lowerBound / Self.blockSize)))
      var cols = ToyColumns(reserve: range.count)
      let thin = physicalOnly && process.hasNegativeWeights
      let fMin = process.minimumNegativeWeightProbability
      let dataScale = 1 + settings.trueJESShift * ToySystematics.jetEnergyScale
      while cols.count < range.count {
        var e = process.generateEvent(&rng, dataJetScale: physicalOnly ? dataScale : 1)
        if thin {
          let keep = (1 - 2 * process.negativeWeightProbability(nJets: e.nJets)) / (1 - 2 * fMin)
          if rng.uniform() >= keep { continue }
          e.negative = false
        }
        cols.append(e)
        if let c = settings.correlation {
          cols.photonPtRel[cols.count - 1] = Float(c.photonPtRel(photonPt: e.photonPt, mLG: e.mLG, data: physicalOnly))
        }
      }
      return cols
    }
    return ToyColumns.concatenate(blocks)
  }
}

/// Column arrays under construction (structure of arrays: one append per event, no boxing).
struct ToyColumns {
  var eventNumber: [Int64] = [], weight: [Double] = [], negative: [Bool] = []
  var photonPt: [Float] = [], photonEta: [Float] = [], photonIso: [Float] = [], photonSieie: [Float] = []
  var lepPt: [Float] = [], lepEta: [Float] = [], drLG: [Float] = [], cosTheta: [Float] = []
  var ptLG: [Float] = [], photonPtRel: [Float] = [], met: [Float] = [], nJets: [Int32] = [], nBjets: [Int32] = []
  var ht: [Float] = [], mLG: [Float] = []
  var htUp: [Float] = [], htDown: [Float] = [], nJetsUp: [Int32] = [], nJetsDown: [Int32] = []
  var mLGUp: [Float] = [], mLGDown: [Float] = [], weightPhotonSFUp: [Double] = [], weightPhotonSFDown: [Double] = []
  /// The data-scale jet variables (used only by the pseudo-data).
  var htData: [Float] = [], nJetsData: [Int32] = [], mLGData: [Float] = []

  var count: Int { negative.count }

  init(reserve n: Int = 0) {
    negative.reserveCapacity(n)
    for kp in Self.floatPaths { self[keyPath: kp].reserveCapacity(n) }
    for kp in Self.intPaths { self[keyPath: kp].reserveCapacity(n) }
  }

  static let floatPaths: [WritableKeyPath<ToyColumns, [Float]>] = [
    \.photonPt, \.photonEta, \.photonIso, \.photonSieie, \.lepPt, \.lepEta, \.drLG, \.cosTheta,
    \.ptLG, \.photonPtRel, \.met, \.ht, \.mLG, \.htUp, \.htDown, \.mLGUp, \.mLGDown, \.htData, \.mLGData,
  ]
  static let intPaths: [WritableKeyPath<ToyColumns, [Int32]>] = [\.nJets, \.nBjets, \.nJetsUp, \.nJetsDown, \.nJetsData]
  static let doublePaths: [WritableKeyPath<ToyColumns, [Double]>] = [\.weight, \.weightPhotonSFUp, \.weightPhotonSFDown]

  /// Pseudo-data drawn at the true jet energy scale: the nominal jet columns and m_lg become the
  /// data-scale ones (every variation column of data is its nominal value).
  mutating func applyDataJetShift() {
    // photon_ptrel stays: it is defined with the mass before the jet-dependent correction.
    ht = htData; nJets = nJetsData; mLG = mLGData
  }

  mutating func append(_ e: ToyEvent) {
    negative.append(e.negative)
    photonPt.append(Float(e.photonPt)); photonEta.append(Float(e.photonEta))
    photonIso.append(Float(e.photonIso)); photonSieie.append(Float(e.photonSieie))
    lepPt.append(Float(e.lepPt)); lepEta.append(Float(e.lepEta))
    drLG.append(Float(e.drLG)); cosTheta.append(Float(e.cosTheta)); ptLG.append(Float(e.ptLG))
    // pT/m: the photon's share of the system mass, nearly independent of m_lg itself.
    photonPtRel.append(Float(e.mLG > 0 ? e.photonPt / e.mLG : 0))
    met.append(Float(e.met)); nJets.append(Int32(e.nJets)); nBjets.append(Int32(e.nBjets))
    ht.append(Float(e.ht)); mLG.append(Float(e.mLG))
    htUp.append(Float(e.jesUp.ht)); htDown.append(Float(e.jesDown.ht))
    nJetsUp.append(Int32(e.jesUp.nJets)); nJetsDown.append(Int32(e.jesDown.nJets))
    mLGUp.append(Float(e.jesUp.mLG)); mLGDown.append(Float(e.jesDown.mLG))
    htData.append(Float(e.jesData.ht)); nJetsData.append(Int32(e.jesData.nJets)); mLGData.append(Float(e.jesData.mLG))
  }

  static func concatenate(_ parts: [ToyColumns]) -> ToyColumns {
    var out = ToyColumns(reserve: parts.reduce(0) { $0 + $1.count })
    for p in parts {
      out.negative += p.negative
      for kp in floatPaths { out[keyPath: kp] += p[keyPath: kp] }
      for kp in intPaths { out[keyPath: kp] += p[keyPath: kp] }
      for kp in doublePaths { out[keyPath: kp] += p[keyPath: kp] }
      out.eventNumber += p.eventNumber
    }
    return out
  }

  func take(_ order: [Int]) -> ToyColumns {
    var out = self
    out.negative = order.map { negative[$0] }
    for kp in Self.floatPaths { out[keyPath: kp] = order.map { self[keyPath: kp][$0] } }
    for kp in Self.intPaths { out[keyPath: kp] = order.map { self[keyPath: kp][$0] } }
    for kp in Self.doublePaths { out[keyPath: kp] = self[keyPath: kp].count == count ? order.map { self[keyPath: kp][$0] } : [] }
    out.eventNumber = eventNumber.count == count ? order.map { eventNumber[$0] } : []
    return out
  }

  /// The table in `ToyGenerator.schema` order (event numbers and weights must be set).
  func table() -> EventTable {
    let cols: [Column] = [
      Column("event_number", .int64(eventNumber)), Column("weight", .float64(weight)),
      Column("photon_pt", .float32(photonPt)), Column("photon_eta", .float32(photonEta)),
      Column("photon_iso", .float32(photonIso)), Column("photon_sieie", .float32(photonSieie)),
      Column("lep_pt", .float32(lepPt)), Column("lep_eta", .float32(lepEta)),
      Column("dr_lg", .float32(drLG)), Column("cos_theta", .float32(cosTheta)),
      Column("pt_lg", .float32(ptLG)), Column("photon_ptrel", .float32(photonPtRel)), Column("met", .float32(met)),
      Column("n_jets", .int32(nJets)), Column("n_bjets", .int32(nBjets)),
      Column("ht", .float32(ht)), Column("m_lg", .float32(mLG)),
      Column("ht_jes_up", .float32(htUp)), Column("ht_jes_down", .float32(htDown)),
      Column("n_jets_jes_up", .int32(nJetsUp)), Column("n_jets_jes_down", .int32(nJetsDown)),
      Column("m_lg_jes_up", .float32(mLGUp)), Column("m_lg_jes_down", .float32(mLGDown)),
      Column("weight_phsf_up", .float64(weightPhotonSFUp)), Column("weight_phsf_down", .float64(weightPhotonSFDown)),
    ]
    // Lengths agree by construction; a mismatch is a programming error, not a user error.
    return try! EventTable(columns: cols)
  }
}
