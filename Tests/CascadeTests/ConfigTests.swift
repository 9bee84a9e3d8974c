import Cascade
import CascadeSupport
import Foundation
import TestSupport
import Testing

@Suite struct ConfigTests {
  /// A config in a temp dir with empty input files named like the toy samples.
  func write(_ json: String, files: [String] = ["sig.h5", "wjets_1.h5", "wjets_2.h5", "top.h5", "data.h5"]) throws -> String {
    let dir = TestPaths.temporaryDirectory("config")
    for f in files { FileManager.default.createFile(atPath: dir + "/" + f, contents: Data()) }
    let path = dir + "/c.json"
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  let valid = """
    {"name": "t", "output": "run", "event_number": "event_number",
     "samples": [
       {"name": "signal", "role": "signal", "files": ["sig.h5"], "weight": "weight"},
       {"name": "wjets", "role": "background", "files": ["wjets*.h5"], "weight": "weight", "scale": 2.0},
       {"name": "top", "role": "background", "files": "top.h5", "weight": "weight"},
       {"name": "data", "role": "data", "files": ["data.h5"]}],
     "bdt": {"trees": 50, "depth": 3},
     "stages": [
       {"name": "vs_wjets", "background": "wjets", "features": ["a", "b"], "working_point": {"signal_efficiency": 0.95}},
       {"name": "vs_top", "background": ["top"], "region": "CR_top", "features": ["c"], "bdt": {"depth": 2},
        "working_point": {"background_efficiency": 0.05}}],
     "training": {"folds": 3, "seed": 7}}
    """

  @Test func parsesTheContractKeys() throws {
    let path = try write(valid)
    let c = try CascadeConfig.load(path: path)
    let dir = (path as NSString).deletingLastPathComponent
    #expect(c.output == dir + "/run")
    #expect(c.samples[1].files == [dir + "/wjets_1.h5", dir + "/wjets_2.h5"])
    #expect(c.samples[1].scale == 2)
    #expect(c.stages[0].region == "CR_wjets")
    #expect(c.stages[1].region == "CR_top")
    #expect(c.stages[0].workingPoint == .signalEfficiency(0.95))
    #expect(c.stages[1].workingPoint == .backgroundEfficiency(0.05))
    #expect(c.stages[0].bdt.trees == 50 && c.stages[0].bdt.depth == 3)
    #expect(c.stages[1].bdt.trees == 50 && c.stages[1].bdt.depth == 2)
    #expect(c.training.folds == 3 && c.training.seed == 7)
    #expect(c.regions == ["CR_wjets", "CR_top", "SR"])
  }

  func error(_ json: String, files: [String] = ["sig.h5", "wjets_1.h5", "wjets_2.h5", "top.h5", "data.h5"]) throws -> String {
    let path = try write(json, files: files)
    do {
      _ = try CascadeConfig.load(path: path)
    } catch let e as UserError {
      return String(e.message.dropFirst(path.count + 2))
    }
    Issue.record("no error")
    return ""
  }

  @Test func unknownKeyNamesPathAndSuggestion() throws {
    let m = try error(valid.replacingOccurrences(of: "\"features\": [\"c\"]", with: "\"featurs\": [\"c\"]"))
    #expect(m == "stages[1].featurs: unknown key \"featurs\" (did you mean \"features\"?)")
  }

  @Test func wrongTypeNamesPath() throws {
    #expect(try error(valid.replacingOccurrences(of: "\"folds\": 3", with: "\"folds\": \"3\"")) == "training.folds: expected an integer, found string")
    #expect(try error(valid.replacingOccurrences(of: "\"scale\": 2.0", with: "\"scale\": [2]")) == "samples[1].scale: expected a number, found array")
  }

  @Test func missingFileAndEmptyGlob() throws {
    #expect(try error(valid, files: ["wjets_1.h5", "top.h5", "data.h5"]).hasPrefix("samples[0].files[0]: file not found: "))
    #expect(try error(valid, files: ["sig.h5", "top.h5", "data.h5"]) == "samples[1].files[0]: no file matches \"wjets*.h5\"")
  }

  @Test func semanticErrors() throws {
    #expect(try error(valid.replacingOccurrences(of: "\"background\": \"wjets\"", with: "\"background\": \"wjet\""))
      == "stages[0].background: \"wjet\" is not a sample (did you mean \"wjets\"?)")
    #expect(try error(valid.replacingOccurrences(of: "\"background\": [\"top\"]", with: "\"background\": [\"data\"]"))
      == "stages[1].background[0]: sample \"data\" has role data, not background")
    #expect(try error(valid.replacingOccurrences(of: "0.95", with: "1.5"))
      == "stages[0].working_point.signal_efficiency: must be strictly between 0 and 1 (found 1.5)")
    #expect(try error(valid.replacingOccurrences(of: "\"name\": \"vs_top\"", with: "\"name\": \"vs_wjets\""))
      == "stages[1].name: duplicate stage name \"vs_wjets\"")
    #expect(try error(valid.replacingOccurrences(of: "\"role\": \"data\"", with: "\"role\": \"pseudo\""))
      == "samples[3].role: must be signal, background or data (found \"pseudo\")")
  }
}
