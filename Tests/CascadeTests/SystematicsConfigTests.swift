import Cascade
import CascadeSupport
import Foundation
import TestSupport
import Testing

/// The `systematics` contract: every key parsed, every bad input one line with its JSON path.
@Suite struct SystematicsConfigTests {
  func config(_ systematics: String, fit: String = "") throws -> CascadeConfig {
    let dir = TestPaths.temporaryDirectory("syst-config")
    for f in ["sig.h5", "top.h5", "top_alt.h5", "data.h5"] { FileManager.default.createFile(atPath: dir + "/" + f, contents: Data()) }
    let text = """
      {"name": "t", "output": "run",
       "samples": [
         {"name": "signal", "role": "signal", "files": ["sig.h5"], "weight": "w"},
         {"name": "top", "role": "background", "files": "top.h5", "weight": "w"},
         {"name": "data", "role": "data", "files": ["data.h5"]}],
       "stages": [{"name": "vs_top", "background": "top", "features": ["ht", "n"], "working_point": {"threshold": 0.5}}],
       \(fit.isEmpty ? "" : "\"fit\": \(fit),")
       "systematics": \(systematics)}
      """
    let path = dir + "/c.json"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return try CascadeConfig.load(path: path)
  }

  func error(_ systematics: String, fit: String = "") -> String? {
    do { _ = try config(systematics, fit: fit); return nil } catch let e as UserError {
      // Drop the temp path prefix: "<dir>/c.json: <path>: <message>".
      return e.message.components(separatedBy: "c.json: ").last
    } catch { return "\(error)" }
  }

  @Test func parsesEveryType() throws {
    let c = try config("""
      [{"name": "jes", "type": "shift", "columns": {"ht": ["ht_up", "ht_down"]}, "smooth": true},
       {"name": "sf", "type": "weight", "up": "w_up", "samples": ["top"], "regions": ["SR"]},
       {"name": "gen", "type": "files", "samples": ["top"], "up": ["top_alt.h5"], "shape": false},
       {"name": "xs", "type": "normalization", "up": 1.05, "down": 0.95, "samples": ["signal"]},
       {"name": "lumi", "type": "lumi", "sigma": 0.017}]
      """, fit: #"{"observable": "m", "bins": 2, "range": [0, 1], "prune": {"norm": 0.01, "shape": 0.02}}"#)
    #expect(c.systematics.map(\.name) == ["jes", "sf", "gen", "xs", "lumi"])
    #expect(c.systematics[0].kind == .shift([.init(nominal: "ht", up: "ht_up", down: "ht_down")]))
    #expect(c.systematics[0].smooth && c.systematics[0].symmetrize == .none && c.systematics[0].sides == [.up, .down])
    #expect(c.systematics[1].kind == .weight(up: "w_up", down: nil) && c.systematics[1].symmetrize == .oneSided)
    #expect(c.systematics[1].regions == ["SR"] && c.systematics[1].samples == ["top"])
    #expect(c.systematics[2].shape == false && c.systematics[2].sides == [.up])
    if case .files(let up, let down) = c.systematics[2].kind {
      #expect(up.count == 1 && up[0].hasSuffix("/top_alt.h5") && down == nil)
    } else { Issue.record("files kind") }
    #expect(c.systematics[3].kind == .normalization(up: 1.05, down: 0.95))
    #expect(c.systematics[4].kind == .lumi(sigma: 0.017))
    #expect(c.pruning == PruningThresholds(norm: 0.01, shape: 0.02))
    #expect(c.fitObservable == "m")
  }

  @Test func badInputsNameTheirPath() {
    #expect(error(#"[{"name": "x", "type": "wieght", "up": "a"}]"#)
      == #"systematics[0].type: must be one of weight, shift, files, normalization, lumi (found "wieght") (did you mean "weight"?)"#)
    #expect(error(#"[{"name": "x", "type": "weight", "up": "a", "down": "a"}]"#) == #"systematics[0].down: is the same column as "up" ("a")"#)
    #expect(error(#"[{"name": "x", "type": "shift", "columns": {"ht": ["ht_up"]}}]"#)
      == "systematics[0].columns.ht: expected [up column, down column], found 1 column (a shifted column needs its partner)")
    #expect(error(#"[{"name": "x", "type": "shift", "columns": {"ht": ["h", "h"]}}]"#) == #"systematics[0].columns.ht: up and down are the same column ("h")"#)
    #expect(error(#"[{"name": "x", "type": "normalization", "up": 1.1, "down": -0.9}]"#)
      == "systematics[0].down: must be a positive yield factor (found -0.9)")
    #expect(error(#"[{"name": "x", "type": "normalization", "up": 1.1, "down": 1.1}]"#)
      == "systematics[0].down: equals \"up\" (1.1): the variation changes nothing")
    #expect(error(#"[{"name": "x", "type": "weight", "up": "a", "samples": ["tpo"]}]"#)
      == #"systematics[0].samples[0]: "tpo" is not an MC sample (did you mean "top"?)"#)
    #expect(error(#"[{"name": "x", "type": "weight", "up": "a", "samples": ["data"]}]"#) == #"systematics[0].samples[0]: "data" is not an MC sample"#)
    #expect(error(#"[{"name": "x", "type": "weight", "up": "a", "regions": ["CR_x"]}]"#)
      == #"systematics[0].regions[0]: "CR_x" is not a region of this cascade (CR_top, SR)"#)
    #expect(error(#"[{"name": "x", "type": "files", "up": ["top_alt.h5"]}]"#)
      == #"systematics[0]: a "files" systematic needs "samples" with exactly one sample (the one the files replace)"#)
    #expect(error(#"[{"name": "x", "type": "files", "samples": ["top"], "up": ["nope.h5"]}]"#)?.hasPrefix("systematics[0].up[0]: file not found: ") == true)
    #expect(error(#"[{"name": "x", "type": "files", "samples": ["top"], "up": ["top.h5"]}]"#)?.hasSuffix(#"top.h5 is a nominal file of sample "top""#) == true)
    #expect(error(#"[{"name": "x", "type": "weight", "up": "a", "symmetrize": "two-sided"}]"#)
      == #"systematics[0].symmetrize: "two-sided" needs a down variation; this systematic has only up (use one-sided)"#)
    #expect(error(#"[{"name": "x", "type": "lumi", "sigma": 0.02, "smooth": true}]"#)
      == "systematics[0].smooth: only weight, shift and files systematics have templates to smooth")
    #expect(error(#"[{"name": "x", "type": "lumi", "sigma": 0.02, "up": 1}]"#)
      == #"systematics[0].up: not a key of a "lumi" systematic (it takes sigma)"#)
    #expect(error(#"[{"name": "a__b", "type": "lumi", "sigma": 0.02}]"#)
      == #"systematics[0].name: must be non-empty, use only letters, digits, '_' and '-', and not contain "__""#)
    #expect(error(#"[{"name": "x", "type": "lumi", "sigma": 0.02}, {"name": "x", "type": "lumi", "sigma": 0.01}]"#)
      == #"systematics[1].name: duplicate systematic name "x""#)
    #expect(error("[]", fit: #"{"observable": "m", "bins": 2, "range": [0, 1], "prune": {"norm": -1}}"#)
      == "fit.prune.norm: must be a relative threshold in [0, 1) (found -1)")
  }
}
