import CascadeSupport
import EventData
import Foundation
import TestSupport
import Workflow

/// A console whose stdout and stderr are kept in memory.
final class CapturedConsole: @unchecked Sendable {
  private let lock = NSLock()
  private var out = "", err = ""

  var stdout: String { lock.withLock { out } }
  var stderr: String { lock.withLock { err } }

  func console(quiet: Bool = false) -> Console {
    Console(
      quiet: quiet, errorIsTerminal: false,
      write: { text in self.lock.withLock { self.out += text } },
      writeError: { text in self.lock.withLock { self.err += text } })
  }
}

/// Runs `body`, expecting a `UserError`; returns its message ("" when nothing was thrown).
func userErrorMessage(_ body: () throws -> Void) -> String {
  do {
    try body()
    return ""
  } catch let e as UserError {
    return e.message
  } catch {
    return "not a UserError: \(error)"
  }
}

/// Deterministic normal deviates (SplitMix64 + Box–Muller) for synthetic samples.
struct Deviates {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
  mutating func normal() -> Double {
    let u = max(uniform(), 1e-300), v = uniform()
    return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
  }
}

/// A tiny two-stage cascade (signal vs bkgA separable in `a`, vs bkgB in `b`) with pseudo-data
/// and a fit block, in a fresh directory; returns the config path.
func writeTinyCascade(_ dir: String) throws -> String {
  var rng = Deviates(state: 7)
  func table(_ n: Int, meanA: Double, meanB: Double, firstEvent: Int64, weight: Double) throws -> EventTable {
    var a = [Float](), b = [Float](), m = [Float](), w = [Double](), ev = [Int64]()
    for i in 0..<n {
      a.append(Float(meanA + rng.normal()))
      b.append(Float(meanB + rng.normal()))
      m.append(Float(60 + 140 * rng.uniform()))
      w.append(weight)
      ev.append(firstEvent + Int64(i))
    }
    return try EventTable(columns: [
      Column("event_number", .int64(ev)), Column("a", .float32(a)), Column("b", .float32(b)),
      Column("m", .float32(m)), Column("weight", .float64(w)),
    ])
  }
  let sig = try table(800, meanA: 1.5, meanB: 1.5, firstEvent: 0, weight: 0.05)
  let bkgA = try table(800, meanA: -1.5, meanB: 1.5, firstEvent: 10_000, weight: 0.1)
  let bkgB = try table(800, meanA: 1.5, meanB: -1.5, firstEvent: 20_000, weight: 0.1)
  try writeEventFile(sig, to: dir + "/signal.h5")
  try writeEventFile(bkgA, to: dir + "/bkgA.h5")
  try writeEventFile(bkgB, to: dir + "/bkgB.h5")
  let data = try EventTable.concatenate([sig.slice(0..<40), bkgA.slice(0..<80), bkgB.slice(0..<80)])
  try writeEventFile(try data.selecting(["event_number", "a", "b", "m"]), to: dir + "/data.h5")
  let config = """
    {"name": "tiny", "output": "run", "event_number": "event_number",
     "samples": [
       {"name": "signal", "role": "signal", "files": ["signal.h5"], "weight": "weight"},
       {"name": "bkgA", "role": "background", "files": ["bkgA.h5"], "weight": "weight"},
       {"name": "bkgB", "role": "background", "files": ["bkgB.h5"], "weight": "weight"},
       {"name": "data", "role": "data", "files": ["data.h5"]}],
     "bdt": {"trees": 10, "depth": 2, "learning_rate": 0.3, "bins": 32},
     "stages": [
       {"name": "vs_A", "background": "bkgA", "features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}},
       {"name": "vs_B", "background": "bkgB", "features": ["b"], "working_point": {"signal_efficiency": 0.9}}],
     "training": {"folds": 2, "seed": 3, "threads": 2},
     "fit": {"observable": "m", "bins": 4, "range": [60, 200], "poi": "signal",
             "normfactors": {"signal": "mu", "bkgA": "mu_A", "bkgB": "mu_B"}}}
    """
  let path = dir + "/config.json"
  try config.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}
