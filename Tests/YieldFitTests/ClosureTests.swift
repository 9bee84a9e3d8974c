import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

/// Deterministic SplitMix64 with Poisson and normal draws for pseudo-experiments.
struct ToyRNG {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0 }
  mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
  /// Poisson by inversion (λ up to a few thousand is fine here).
  mutating func poisson(_ lambda: Double) -> Double {
    let u = uniform()
    var k = 0.0, p = exp(-lambda), c = p
    if p == 0 { return max(0, (lambda + lambda.squareRoot() * normal()).rounded()) }
    while c < u && k < 10 * lambda + 100 {
      k += 1
      p *= lambda / k
      c += p
    }
    return k
  }
}

/// A signal region and a control region with normfactors, staterror, normsys and histosys.
func closureWorkspace() -> Workspace {
  let sr = Channel(name: "SR", samples: [
    Sample(name: "signal", data: [20, 40, 30], modifiers: [Modifier(name: "mu", kind: .normfactor)]),
    Sample(name: "bkg", data: [200, 150, 100], modifiers: [
      Modifier(name: "mu_bkg", kind: .normfactor), Modifier(name: "stat_SR", kind: .staterror([6, 5, 4])),
      Modifier(name: "jes", kind: .normsys(lo: 0.95, hi: 1.06)),
      Modifier(name: "shape", kind: .histosys(loData: [205, 150, 95], hiData: [195, 150, 106])),
    ]),
  ])
  let cr = Channel(name: "CR", samples: [
    Sample(name: "bkg", data: [800, 600], modifiers: [
      Modifier(name: "mu_bkg", kind: .normfactor), Modifier(name: "stat_CR", kind: .staterror([10, 9])),
      Modifier(name: "jes", kind: .normsys(lo: 0.97, hi: 1.03)),
    ]),
    Sample(name: "signal", data: [2, 1], modifiers: [Modifier(name: "mu", kind: .normfactor)]),
  ])
  return Workspace(
    channels: [sr, cr], observations: [Observation(name: "SR", data: [0, 0, 0]), Observation(name: "CR", data: [0, 0])],
    measurements: [Measurement(name: "m", poi: "mu")])
}

@Suite struct ClosureTests {
  @Test func asimovFitReturnsNominal() throws {
    let model = try Model(workspace: closureWorkspace())
    let r = Fitter(model: model).fit(model.expectedData(model.inits))
    #expect(r.converged)
    for i in 0..<model.parameterCount {
      #expect(abs(r.values[i] - model.inits[i]) < 1e-6, "\(model.parameterNames[i]) = \(r.values[i])")
    }
  }

  /// 50 pseudo-experiments with μ injected at 0.5, 1 and 2 (main and auxiliary data fluctuated):
  /// the pulls (μ̂ − μ)/σ̂ have mean 0 within 3/√50 and width 1 within 3/√(2·49).
  @Test func pullsOfPseudoExperiments() throws {
    let model = try Model(workspace: closureWorkspace())
    let fitter = Fitter(model: model)
    let poi = model.poiIndex!
    var rng = ToyRNG(state: 20_241_125)
    var pulls: [Double] = []
    for toy in 0..<50 {
      var truth = model.inits
      truth[poi] = [0.5, 1, 2][toy % 3]
      let expected = model.expectedData(truth)
      var data = expected
      data.main = expected.main.map { rng.poisson($0) }
      for i in 0..<model.parameterCount where model.constraints.kind[i] == 1 && !model.fixed[i] {
        data.aux[i] = expected.aux[i] + model.constraints.sigma[i] * rng.normal()
      }
      let r = fitter.fit(data)
      #expect(r.converged)
      pulls.append((r.values[poi] - truth[poi]) / r.errors[poi])
    }
    let mean = pulls.reduce(0, +) / 50
    let width = (pulls.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 49).squareRoot()
    #expect(abs(mean) < 3 / 50.0.squareRoot(), "pull mean \(mean)")
    #expect(abs(width - 1) < 3 / (2 * 49.0).squareRoot(), "pull width \(width)")
  }

  @Test func minosMatchesProfileScan() throws {
    let c = try ReferenceCase("2bin_2channel_couplednorm")
    let model = try c.model()
    let fitter = Fitter(model: model)
    let data = try model.observedData(c.workspace)
    let best = fitter.fit(data)
    let (lo, hi) = fitter.minos(data, best: best, index: 0)
    // At the interval ends the profiled −2 log L is exactly 1 above the minimum.
    for v in [best.values[0] + lo, best.values[0] + hi] {
      let r = fitter.fit(data, fixedValues: [0: v], covariance: false)
      #expect(abs(r.twiceNLL - best.twiceNLL - 1) < 1e-6)
    }
    #expect(lo < 0 && hi > 0)
  }

  @Test func fixedParametersReportZeroError() throws {
    var ws = closureWorkspace()
    ws.measurements[0].parameters = [ParameterConfig(name: "jes", fixed: true)]
    let model = try Model(workspace: ws)
    let r = Fitter(model: model).fit(model.expectedData(model.inits))
    let jes = model.parameterIndex("jes")!
    #expect(r.fixed[jes] && r.errors[jes] == 0 && r.values[jes] == 0)
    #expect(r.correlation[jes][jes] == 1)
  }
}
