import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

/// The six pyhf validation cases: likelihood and MLE against pyhf + iminuit, CLs against ROOT.
struct ReferenceCase {
  let name: String
  let workspace: Workspace
  let expected: JSONValue

  static let names = [
    "1bin_shapesys", "1bin_shapesys_q0", "1bin_normsys", "2bin_histosys", "2bin_2channel", "2bin_2channel_couplednorm",
  ]

  init(_ name: String) throws {
    self.name = name
    workspace = try WorkspaceReader.read(path: TestPaths.fixture("pyhf/\(name).workspace.json"))
    expected = try JSONValue.load(path: TestPaths.fixture("pyhf/\(name).expected.json"))
  }

  func model() throws -> Model {
    let interp = expected["interpolation"]!
    return try Model(
      workspace: workspace,
      interpolation: InterpolationSettings(
        normsys: .init(rawValue: interp["normsys"]!.stringValue!)!, histosys: .init(rawValue: interp["histosys"]!.stringValue!)!))
  }

  func numbers(_ path: String...) -> [Double] {
    var v: JSONValue = expected
    for p in path { v = v[p]! }
    return v.arrayValue!.map { $0.doubleValue! }
  }
}

@Suite struct ReferenceTests {
  @Test(arguments: ReferenceCase.names)
  func mleMatchesPyhf(_ name: String) throws {
    let c = try ReferenceCase(name)
    let model = try c.model()
    let mle = c.expected["mle"]!
    let names = mle["parameters"]!.arrayValue!.map { $0.stringValue! }
    #expect(model.parameterNames == names)
    let result = Fitter(model: model).fit(try model.observedData(c.workspace))
    #expect(result.converged)
    let best = c.numbers("mle", "bestfit"), unc = c.numbers("mle", "uncertainty")
    for i in 0..<names.count {
      #expect(abs(result.values[i] - best[i]) < 1e-4, "\(name) \(names[i]) value \(result.values[i]) vs \(best[i])")
      #expect(abs(result.errors[i] / unc[i] - 1) < 1e-3, "\(name) \(names[i]) error \(result.errors[i]) vs \(unc[i])")
    }
    let ref = mle["twice_nll"]!.doubleValue!
    #expect(abs(result.twiceNLL - ref) < 1e-6, "\(name) twice_nll \(result.twiceNLL) vs \(ref)")
  }
}
