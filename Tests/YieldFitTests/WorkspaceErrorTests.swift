import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

/// Bad workspaces fail with one clear line naming the JSON path.
@Suite struct WorkspaceErrorTests {
  static let good = """
    {"channels": [{"name": "SR", "samples": [
       {"name": "sig", "data": [5, 6], "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
       {"name": "bkg", "data": [50, 60], "modifiers": [{"name": "unc", "type": "shapesys", "data": [5, 6]}]}]}],
     "observations": [{"name": "SR", "data": [55, 66]}],
     "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
     "version": "1.0.0"}
    """

  func read(_ text: String) throws -> Workspace {
    try WorkspaceReader.parse(JSONCursor(JSONValue.parse(text, source: "ws.json"), source: "ws.json"))
  }

  func message(_ text: String) -> String? {
    do {
      let ws = try read(text)
      _ = try Model(workspace: ws)
      return nil
    } catch let e as UserError {
      return e.message
    } catch {
      return "\(error)"
    }
  }

  @Test func goodWorkspaceReadsAndRoundTrips() throws {
    let ws = try read(Self.good)
    let again = try read(ws.json().serialized())
    #expect(again == ws)
    let model = try Model(workspace: ws)
    #expect(model.parameterNames == ["mu", "unc[0]", "unc[1]"])
  }

  @Test func unknownModifierType() {
    let bad = Self.good.replacingOccurrences(of: "\"shapesys\"", with: "\"shapesis\"")
    #expect(message(bad) == #"ws.json: channels[0].samples[1].modifiers[0].type: unknown modifier type "shapesis" (did you mean "shapesys"?)"#)
  }

  @Test func unknownKey() {
    let bad = Self.good.replacingOccurrences(of: "\"version\"", with: "\"versoin\": 1, \"version\"")
    #expect(message(bad) == #"ws.json: versoin: unknown key "versoin" (did you mean "version"?)"#)
  }

  @Test func wrongType() {
    let bad = Self.good.replacingOccurrences(of: "[5, 6], \"modifiers\"", with: "[5, \"6\"], \"modifiers\"")
    #expect(message(bad) == "ws.json: channels[0].samples[0].data[1]: expected a number, found string")
  }

  @Test func binCountMismatch() {
    let bad = Self.good.replacingOccurrences(of: "\"data\": [50, 60]", with: "\"data\": [50, 60, 70]")
    #expect(message(bad) == #"ws.json: channels[0].samples[1].data: has 3 bins, channel "SR" has 2 (from its first sample)"#)
    let badMod = Self.good.replacingOccurrences(of: "\"data\": [5, 6]}", with: "\"data\": [5]}")
    #expect(message(badMod) == "ws.json: channels[0].samples[1].modifiers[0].data: has 1 values, the sample has 2 bins")
    let badObs = Self.good.replacingOccurrences(of: "[55, 66]", with: "[55]")
    #expect(message(badObs) == #"ws.json: observations[0].data: has 1 bins, channel "SR" has 2"#)
  }

  @Test func negativeSigma() {
    let bad = Self.good.replacingOccurrences(of: "\"data\": [5, 6]}", with: "\"data\": [5, -6]}")
    #expect(message(bad) == "ws.json: channels[0].samples[1].modifiers[0].data[1]: uncertainty must not be negative")
    let badCfg = Self.good.replacingOccurrences(
      of: "\"parameters\": []", with: "\"parameters\": [{\"name\": \"mu\", \"sigmas\": [-1]}]")
    #expect(message(badCfg) == "ws.json: measurements[0].config.parameters[0].sigmas[0]: sigma must be positive")
  }

  @Test func missingObservation() {
    let bad = Self.good.replacingOccurrences(of: "{\"name\": \"SR\", \"data\": [55, 66]}", with: "")
    #expect(message(bad) == "ws.json: observations: missing observation for channel \"SR\"")
  }

  @Test func boundsNotContainingInit() {
    let bad = Self.good.replacingOccurrences(
      of: "\"parameters\": []", with: "\"parameters\": [{\"name\": \"mu\", \"inits\": [12], \"bounds\": [[0, 10]]}]")
    #expect(message(bad) == "parameter \"mu\": initial value 12 lies outside its bounds [0, 10]")
  }

  @Test func unusedSettingAndUnknownPOI() {
    let bad = Self.good.replacingOccurrences(of: "\"parameters\": []", with: "\"parameters\": [{\"name\": \"mu\", \"sigmas\": [1]}]")
    #expect(message(bad) == "measurement \"m\": parameter \"mu\": this parameter does not use \"sigmas\"")
    let poi = Self.good.replacingOccurrences(of: "\"poi\": \"mu\"", with: "\"poi\": \"mux\"")
    #expect(message(poi) == "the parameter of interest \"mux\" is not a parameter of the model (did you mean \"mu\"?)")
  }

  @Test func lumiNeedsItsSettings() {
    let bad = Self.good.replacingOccurrences(
      of: "{\"name\": \"mu\", \"type\": \"normfactor\", \"data\": null}",
      with: "{\"name\": \"mu\", \"type\": \"normfactor\", \"data\": null}, {\"name\": \"lumi\", \"type\": \"lumi\", \"data\": null}")
    #expect(message(bad) == "parameter \"lumi\": needs \"inits\" and \"bounds\" in the measurement's parameter settings")
  }

  @Test func cliReportsErrorWithoutOutput() throws {
    let dir = TestPaths.temporaryDirectory("fit-bad")
    let path = dir + "/ws.json"
    try AtomicFile.write(Self.good.replacingOccurrences(of: "\"shapesys\"", with: "\"bogus\""), to: path)
    let r = try runCascade(["fit", path, "--out", dir + "/out"])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("cascade: error: \(path): channels[0].samples[1].modifiers[0].type: unknown modifier type"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
  }
}
