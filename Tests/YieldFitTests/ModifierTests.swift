import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

/// Each modifier type on a tiny hand-computed case: its parameter set, its effect on the
/// expected yields and its constraint term; plus the registry and the one constraint home.
@Suite struct ModifierTests {
  static let halfLog2Pi = 0.5 * log(2 * Double.pi)

  /// A one-channel model of `samples` (no POI).
  func model(_ samples: [Sample], parameters: [ParameterConfig] = [], interpolation: InterpolationSettings = .init()) throws -> Model {
    let nb = samples[0].data.count
    let ws = Workspace(
      channels: [Channel(name: "SR", samples: samples)],
      observations: [Observation(name: "SR", data: Array(repeating: 1, count: nb))],
      measurements: [Measurement(name: "m", poi: "", parameters: parameters)])
    return try Model(workspace: ws, interpolation: interpolation)
  }

  /// Parameters at their initial values with `values` (by component name) set.
  func pars(_ m: Model, _ values: [String: Double]) -> [Double] {
    var p = m.inits
    for (name, v) in values { p[m.parameterIndex(name)!] = v }
    return p
  }

  func constraint(_ m: Model, _ p: [Double]) -> Double { m.constraintNLL(p, FitData(main: [], aux: m.constraints.nominalAux)) }

  func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
  }

  @Test func normfactorScalesTheSample() throws {
    let m = try model([Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "mu", kind: .normfactor)])])
    #expect(m.parameterNames == ["mu"] && m.inits == [1] && m.lowerBounds == [0] && m.upperBounds == [10])
    let p = pars(m, ["mu": 2])
    #expect(m.expectedMain(p) == [20, 40])
    #expect(constraint(m, p) == 0)
  }

  @Test func shapefactorScalesEachBin() throws {
    let m = try model([Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "sf", kind: .shapefactor)])])
    #expect(m.parameterNames == ["sf[0]", "sf[1]"])
    let p = pars(m, ["sf[0]": 2, "sf[1]": 3])
    #expect(m.expectedMain(p) == [20, 60])
    #expect(constraint(m, p) == 0)
  }

  @Test func lumiScalesWithAGaussianConstraintFromTheMeasurement() throws {
    let settings = ParameterConfig(name: "lumi", inits: [1], bounds: [[0.5, 1.5]], auxdata: [1], sigmas: [0.1])
    let m = try model([Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "lumi", kind: .lumi)])], parameters: [settings])
    let p = pars(m, ["lumi": 1.1])
    #expect(close(m.expectedMain(p), [11, 22]))
    // z = (1 − 1.1) / 0.1 = −1
    #expect(abs(constraint(m, p) - (0.5 + log(0.1) + Self.halfLog2Pi)) < 1e-12)
    // Without sigmas in the measurement the model refuses it (pyhf too).
    #expect(throws: UserError(#"parameter "lumi": needs "auxdata" in the measurement's parameter settings"#)) {
      try model([Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "lumi", kind: .lumi)])],
                parameters: [ParameterConfig(name: "lumi", inits: [1], bounds: [[0, 2]])])
    }
  }

  @Test func normsysInterpolatesTheNormalisation() throws {
    let s = Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "a", kind: .normsys(lo: 0.9, hi: 1.2))])
    let code1 = try model([s], interpolation: InterpolationSettings(normsys: .code1))
    #expect(code1.parameterNames == ["a"] && code1.inits == [0] && code1.lowerBounds == [-5] && code1.upperBounds == [5])
    #expect(close(code1.expectedMain(pars(code1, ["a": 1])), [12, 24]))
    // code1 below 0: lo^(−α) = 0.9² at α = −2
    #expect(close(code1.expectedMain(pars(code1, ["a": -2])), [8.1, 16.2]))
    // code4 agrees with code1 at |α| ≥ 1 and is 1 at 0.
    let code4 = try model([s])
    #expect(close(code4.expectedMain(pars(code4, ["a": -2])), [8.1, 16.2]))
    #expect(code4.expectedMain(pars(code4, ["a": 0])) == [10, 20])
    // Unit Gaussian around 0 at α = 1.
    #expect(abs(constraint(code4, pars(code4, ["a": 1])) - (0.5 + Self.halfLog2Pi)) < 1e-12)
  }

  @Test func histosysShiftsEachBin() throws {
    let s = Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "h", kind: .histosys(loData: [8, 18], hiData: [13, 21]))])
    let code0 = try model([s], interpolation: InterpolationSettings(histosys: .code0))
    #expect(code0.expectedMain(pars(code0, ["h": 1])) == [13, 21])
    #expect(code0.expectedMain(pars(code0, ["h": -0.5])) == [9, 19])
    let code4p = try model([s])
    #expect(close(code4p.expectedMain(pars(code4p, ["h": 1])), [13, 21]))
    #expect(close(code4p.expectedMain(pars(code4p, ["h": -2])), [6, 16]))
    #expect(abs(constraint(code4p, pars(code4p, ["h": -1])) - (0.5 + Self.halfLog2Pi)) < 1e-12)
  }

  @Test func shapesysHasAPoissonConstraintPerBin() throws {
    let m = try model([Sample(name: "s", data: [10, 20], modifiers: [Modifier(name: "u", kind: .shapesys([1, 0]))])])
    // τ = (10 / 1)² = 100; the bin without uncertainty is fixed at 1 with τ = 1.
    #expect(m.fixed == [false, true])
    #expect(m.constraints.factor == [100, 1] && m.constraints.nominalAux == [100, 1])
    let p = pars(m, ["u[0]": 1.5])
    #expect(m.expectedMain(p) == [15, 20])
    // λ = 1.5 · 100 = 150 against aux 100; bin 1: λ = 1 against aux 1.
    let expected = (150 - 100 * log(150.0) + lgamma(101.0)) + (1 - 1 * log(1.0) + lgamma(2.0))
    #expect(abs(constraint(m, p) - expected) < 1e-9)
    #expect(m.expectedData(p).aux == [150, 1])
  }

  @Test func staterrorCombinesTheSamplesCarryingIt() throws {
    let m = try model([
      Sample(name: "a", data: [10, 20], modifiers: [Modifier(name: "stat", kind: .staterror([3, 0]))]),
      Sample(name: "b", data: [30, 0], modifiers: [Modifier(name: "stat", kind: .staterror([4, 0]))]),
    ])
    // bin 0: √((3/40)² + (4/40)²) = 0.125; bin 1: no uncertainty → fixed, σ 1.
    #expect(m.parameterNames == ["stat[0]", "stat[1]"])
    #expect(m.fixed == [false, true])
    #expect(abs(m.constraints.sigma[0] - 0.125) < 1e-15 && m.constraints.sigma[1] == 1)
    let p = pars(m, ["stat[0]": 1.2])
    #expect(close(m.expectedMain(p), [48, 20]))
    let bySample = m.expectedBySample(p)
    #expect(close(bySample[0], [12, 20]) && close(bySample[1], [36, 0]))
    let z = (1 - 1.2) / 0.125
    #expect(abs(constraint(m, p) - ((0.5 * z * z + log(0.125) + Self.halfLog2Pi) + Self.halfLog2Pi)) < 1e-12)
  }

  /// Additive shifts first, then every factor: (nominal + Δ(α)) · μ · f(β).
  @Test func modifiersCombineAsHistFactory() throws {
    let m = try model(
      [
        Sample(name: "s", data: [10, 20], modifiers: [
          Modifier(name: "mu", kind: .normfactor), Modifier(name: "b", kind: .normsys(lo: 0.5, hi: 2)),
          Modifier(name: "h", kind: .histosys(loData: [8, 18], hiData: [12, 22])),
        ])
      ], interpolation: InterpolationSettings(normsys: .code1, histosys: .code0))
    #expect(m.parameterNames == ["h", "mu", "b"])  // grouped by type in pyhf's order
    #expect(close(m.expectedMain(pars(m, ["mu": 3, "b": 1, "h": 1])), [72, 132]))
  }

  /// The value and derivative paths share the constraint terms: same value, exact gradient.
  @Test func constraintValueAndDerivativesAgree() throws {
    let m = try model([
      Sample(name: "a", data: [10, 20], modifiers: [
        Modifier(name: "stat", kind: .staterror([3, 2])), Modifier(name: "a", kind: .normsys(lo: 0.9, hi: 1.1)),
        Modifier(name: "u", kind: .shapesys([2, 3])),
      ]),
      Sample(name: "b", data: [50, 40], modifiers: [Modifier(name: "mu_b", kind: .normfactor)]),
    ])
    let data = FitData(main: [62, 59], aux: m.constraints.nominalAux)
    let p = pars(m, ["stat[0]": 1.1, "stat[1]": 0.95, "a": 0.3, "u[0]": 0.9, "u[1]": 1.2, "mu_b": 1.05])
    let d = m.nllDerivatives(p, data)
    #expect(abs(d.f - m.nll(p, data)) < 1e-12 * abs(d.f))
    for i in 0..<p.count {
      var up = p, dn = p
      up[i] += 1e-6
      dn[i] -= 1e-6
      let numeric = (m.nll(up, data) - m.nll(dn, data)) / 2e-6
      #expect(abs(d.grad[i] - numeric) < 1e-5 * max(1, abs(numeric)), "component \(i)")
    }
    // A Poisson constraint at λ ≤ 0 with positive auxdata (sample b keeps the main bins
    // positive): the likelihood is 0 (−log L = ∞) on both paths.
    var bad = p
    bad[m.parameterIndex("u[0]")!] = 0
    #expect(m.nll(bad, data) == .infinity && m.nllDerivatives(bad, data).f == .infinity)
  }

  /// One list of types, in pyhf's (alphabetical) order; every type reads and writes its own data.
  @Test func registryListsEveryTypeAndRoundTripsItsData() throws {
    #expect(ModifierType.allCases.map(\.rawValue) == ["histosys", "lumi", "normfactor", "normsys", "shapefactor", "shapesys", "staterror"])
    #expect(ModifierType.allCases == ModifierType.allCases.sorted())
    let data: [String: JSONValue] = [
      "histosys": ["hi_data": [3, 4], "lo_data": [1, 2]], "lumi": nil, "normfactor": nil, "normsys": ["hi": 1.1, "lo": 0.9],
      "shapefactor": nil, "shapesys": [0.5, 1], "staterror": [0.25, 2],
    ]
    for type in ModifierType.allCases {
      let json: JSONValue = ["name": "lumi", "type": .string(type.rawValue), "data": data[type.rawValue]!]
      let m = try WorkspaceReader.readModifier(JSONCursor(json, source: "t"), bins: 2)
      #expect(m.type == type)
      #expect(m.json == json, "\(type)")
      #expect(m.kind.isShared == (type != .shapesys))
    }
    #expect(Modifier(name: "x", kind: .normsys(lo: 0.9, hi: 1.1)) != Modifier(name: "x", kind: .histosys(loData: [0.9], hiData: [1.1])))
    #expect(ModifierKind.staterror([1, 2]) == .staterror([1, 2]) && ModifierKind.staterror([1, 2]) != .shapesys([1, 2]))
  }
}
