import ArgumentParser
import EventData
import Workflow

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Generate the toy samples: a lepton–photon resonance, four backgrounds and pseudo-data with known truth.",
    discussion: """
      Writes DIR/<process>.h5 (or .csv) for signal, wgamma, wjets, ttbar and singletop with weights σ·L/N (singletop carries ~10 % negative weights, signed sum σ·L), DIR/data.h5 with Poisson(norm × σ·L) fresh events per process for the true normalisations signal 1.2, wgamma 1.1, wjets 0.85, ttbar and singletop 1.15, and DIR/truth.json recording all of it. The same --seed gives identical files for any --threads.

      Example (the shipped samples):

        cascade generate --out samples/toy --events 12000 --seed 1
      """
  )

  @Option(name: .long, help: "Output directory (created if missing).")
  var out: String

  @Option(name: .long, help: "Monte Carlo events per process.")
  var events: Int = 20_000

  @Option(name: .long, help: "Random seed (a non-negative integer).")
  var seed: UInt64 = 1

  @Option(name: .customLong("data-seed"), help: "Seed of the pseudo-data alone (default: --seed); the Monte Carlo depends on --seed only, so pseudo-experiments share it.")
  var dataSeed: UInt64?

  @Option(name: .long, help: "File format.")
  var format: ToyFormat = .h5

  @Option(name: .long, help: "Integrated luminosity in fb⁻¹ (sets the weights and the data size).")
  var lumi: Double = 140

  @Option(name: .long, help: "Worker threads (0 = all cores); the output does not depend on it.")
  var threads: Int = 0

  @Option(name: .customLong("jes-shift"), help: "True jet-energy-scale shift of the pseudo-data, in units of the toy's ±5 % (θ; 0 = nominal).")
  var jesShift: Double = 0

  @Flag(name: .long, help: "Correlated toy: photon_ptrel follows m_lg in the backgrounds, mismodelled in the pseudo-data (README, sculpting).")
  var correlated = false

  @Option(name: .customLong("simulation-exponent"), help: "With --correlated: κ of photon_ptrel = (photon_pt/m_lg)·(m_lg/125)^κ in the Monte Carlo (default 1).")
  var simulationExponent: Double?

  @Option(name: .customLong("data-exponent"), help: "With --correlated: κ in the pseudo-data (default 0.5).")
  var dataExponent: Double?

  func validate() throws {
    if !correlated, simulationExponent != nil || dataExponent != nil {
      throw ValidationError("--simulation-exponent and --data-exponent need --correlated")
    }
    for (name, v) in [("--simulation-exponent", simulationExponent), ("--data-exponent", dataExponent)] {
      if let v, !v.isFinite { throw ValidationError("\(name): expected a finite number, got \(v)") }
    }
  }

  func run() throws {
    var settings = ToySettings(seed: seed, eventsPerProcess: events, luminosityFb: lumi, threads: threads)
    settings.dataSeed = dataSeed
    if correlated {
      var c = ToyCorrelation.standard
      if let simulationExponent { c.simulationExponent = simulationExponent }
      if let dataExponent { c.dataExponent = dataExponent }
      settings.correlation = c
    }
    settings.trueJESShift = jesShift
    try ToyWorkflow.generate(settings, format: format, to: out, console: .standard())
  }
}
