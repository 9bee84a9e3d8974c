import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

@Suite struct FitFailureTests {
  @Test func strategiesAndTolerance() throws {
    let s0 = try MinimizerOptions(strategy: 0)
    #expect(s0.retries == 0 && !s0.escapeKinks)
    let s2 = try MinimizerOptions(strategy: 2, tolerance: 0.1)
    #expect(s2.exhaustiveRestarts && abs(s2.convergedEDM - 1e-4) < 1e-18)
    #expect(throws: UserError("--strategy: 3 is not 0, 1 or 2")) { try MinimizerOptions(strategy: 3) }
    // Every strategy finds the same minimum.
    let ws = try publishWorkspace()
    let model = try Model(workspace: ws)
    let data = try model.observedData(ws)
    let ref = Fitter(model: model).fit(data)
    for s in 0...2 {
      let r = Fitter(model: model, options: try MinimizerOptions(strategy: s)).fit(data)
      #expect(r.converged && abs(r.twiceNLL - ref.twiceNLL) < 1e-8, "strategy \(s)")
    }
  }

  /// A normfactor on a sample without events leaves the likelihood flat in it: the Hessian is
  /// singular, the fit does not converge.
  static func flatWorkspace() -> Workspace {
    let sr = Channel(name: "SR", samples: [
      Sample(name: "signal", data: [5, 8], modifiers: [Modifier(name: "mu", kind: .normfactor)]),
      Sample(name: "bkg", data: [50, 40], modifiers: [Modifier(name: "jes", kind: .normsys(lo: 0.9, hi: 1.1))]),
      Sample(name: "ghost", data: [0, 0], modifiers: [Modifier(name: "k_ghost", kind: .normfactor)]),
    ])
    return Workspace(channels: [sr], observations: [Observation(name: "SR", data: [57, 50])], measurements: [Measurement(name: "m", poi: "mu")])
  }

  @Test func diagnostics() throws {
    let ws = Self.flatWorkspace()
    let model = try Model(workspace: ws)
    let r = Fitter(model: model).fit(try model.observedData(ws))
    #expect(!r.hessianPositiveDefinite && !r.converged)
    let d = FitDiagnostics(result: r, model: model, options: MinimizerOptions())
    #expect(d.failure?.hasPrefix("fit did not converge: Hessian not positive definite at the minimum") == true)
    // μ̂ at its lower bound: a warning naming it.
    var low = Self.flatWorkspace()
    low.channels[0].samples.removeLast()
    low.observations[0].data = [44, 35]
    let m2 = try Model(workspace: low)
    let r2 = Fitter(model: m2).fit(try m2.observedData(low))
    let d2 = FitDiagnostics(result: r2, model: m2, options: MinimizerOptions())
    #expect(d2.converged && d2.failure == nil)
    #expect(d2.warnings.contains("fit: parameter \"mu\" ended at its lower bound 0"))
  }

  @Test func exitStatus3WithOutputsWritten() throws {
    let dir = TestPaths.temporaryDirectory("fit-fail")
    try Self.flatWorkspace().write(to: dir + "/flat.json")
    let r = try runCascade(["fit", dir + "/flat.json", "--out", dir + "/fit"])
    #expect(r.status == 3)
    #expect(r.stderr.hasSuffix("cascade: fit did not converge: Hessian not positive definite at the minimum (uncertainties are NaN) (try --strategy 2, other initial values or bounds)\n"), "\(r.stderr)")
    #expect(try JSONValue.load(path: dir + "/fit/result.json")["converged"] == .bool(false))
    // An EDM limit no fit reaches.
    try publishWorkspace().write(to: dir + "/ws.json")
    let edm = try runCascade(["fit", dir + "/ws.json", "--tolerance", "1e-300", "--json"])
    #expect(edm.status == 3)
    #expect(edm.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
    #expect(edm.stderr.hasPrefix("cascade: fit did not converge: EDM "), "\(edm.stderr)")
    #expect(try JSONValue.parse(edm.stdout, source: "stdout")["converged"] == .bool(false))
    let ok = try runCascade(["fit", dir + "/ws.json", "--strategy", "2"])
    #expect(ok.status == 0 && ok.stderr.isEmpty, "\(ok.stderr)")
    let bad = try runCascade(["fit", dir + "/ws.json", "--strategy", "5"])
    #expect(bad.status == 1 && bad.stderr == "cascade: error: --strategy: 5 is not 0, 1 or 2\n")
  }
}
