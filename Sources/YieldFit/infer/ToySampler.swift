import CascadeSupport
import Foundation

/// Pseudo-data from a model at fixed parameters: main bins Poisson(ν), auxiliary data from each
/// component's constraint (Gaussian N(θ, σ), Poisson(θτ); the nominal for unconstrained ones),
/// as pyhf's `pdf.sample`. Each toy has its own SplitMix64 stream, seeded from (seed,
/// hypothesis, toy index): a toy's data never depends on which thread draws it.
struct ToySampler: Sendable {
  let model: Model
  let pars: [Double]
  let expectedMain: [Double]
  let expectedAux: [Double]

  init(model: Model, pars: [Double]) {
    self.model = model
    self.pars = pars
    expectedMain = model.expectedMain(pars)
    expectedAux = model.constraints.expectedAux(pars)
  }

  /// Toy `index` of stream `hypothesis` under `seed`.
  func toy(seed: UInt64, hypothesis: UInt64, index: Int) -> FitData {
    var rng = ToyRandomStream(seed: SplitMix64.streamSeed(seed, hypothesis, UInt64(index)))
    let main = expectedMain.map { Double(rng.poisson(mean: max(0, $0))) }
    let c = model.constraints
    var aux = c.nominalAux
    for i in 0..<aux.count {
      switch c.kind[i] {
      case 1: aux[i] = expectedAux[i] + c.sigma[i] * rng.normal()
      case 2: aux[i] = Double(rng.poisson(mean: max(0, expectedAux[i])))
      default: break
      }
    }
    return FitData(main: main, aux: aux)
  }
}

/// Uniform, normal and Poisson variates from one SplitMix64 stream.
struct ToyRandomStream: UniformSource {
  var base: SplitMix64
  init(seed: UInt64) { base = SplitMix64(seed: seed) }

  /// Uniform in [0, 1) with 53 random bits.
  mutating func uniform() -> Double { Double(base.next() >> 11) * 0x1.0p-53 }

  /// Standard normal (Marsaglia's polar method, one value per call).
  mutating func normal() -> Double {
    while true {
      let u = 2 * uniform() - 1, v = 2 * uniform() - 1
      let s = u * u + v * v
      if s >= 1 || s == 0 { continue }
      return u * (-2 * log(s) / s).squareRoot()
    }
  }

  /// Poisson count (the project's one sampler, `UniformSource.poissonCount`).
  mutating func poisson(mean: Double) -> Int { poissonCount(mean: mean) }
}
