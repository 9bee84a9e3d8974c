import CascadeSupport
import EventData
import Foundation
import TestSupport

/// Small separable samples for pipeline tests: signal vs `bkgA` (separable in `a`) and `bkgB`
/// (separable in `b`), plus `data` = copies of a subset of MC events (so data can be checked to
/// route exactly like identical MC events).
struct SyntheticSamples {
  let dir: String
  var rng = SplitMix(seed: 42)

  init() { dir = TestPaths.temporaryDirectory("pipeline") }

  struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
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

  /// Writes `n` events of a process with means (a, b) and an event-number offset.
  mutating func table(n: Int, meanA: Double, meanB: Double, firstEvent: Int64, weight: Double, negativeFraction: Double = 0) throws -> EventTable {
    var a = [Float](), b = [Float](), c = [Float](), m = [Float](), w = [Double](), ev = [Int64]()
    for i in 0..<n {
      a.append(Float(meanA + rng.normal()))
      b.append(Float(meanB + rng.normal()))
      c.append(Float(rng.normal()))
      m.append(Float(60 + 140 * rng.uniform()))
      w.append(rng.uniform() < negativeFraction ? -weight : weight)
      ev.append(firstEvent + Int64(i))
    }
    return try EventTable(columns: [
      Column("event_number", .int64(ev)), Column("a", .float32(a)), Column("b", .float32(b)),
      Column("c", .float32(c)), Column("m", .float32(m)), Column("weight", .float64(w)),
    ])
  }

  /// signal, bkgA (two files), bkgB, data; returns the config path.
  mutating func writeAll(stages: String? = nil, extra: String = "") throws -> String {
    let sig = try table(n: 3000, meanA: 1.5, meanB: 1.5, firstEvent: 0, weight: 0.01)
    let a1 = try table(n: 2000, meanA: -1.5, meanB: 1.5, firstEvent: 100_000, weight: 0.05)
    let a2 = try table(n: 1500, meanA: -1.5, meanB: 1.5, firstEvent: 200_000, weight: 0.05)
    let bB = try table(n: 2500, meanA: 1.5, meanB: -1.5, firstEvent: 300_000, weight: 0.02, negativeFraction: 0.1)
    try writeEventFile(sig, to: dir + "/signal.h5")
    try writeEventFile(a1, to: dir + "/bkgA_1.h5")
    try writeEventFile(a2, to: dir + "/bkgA_2.h5")
    try writeEventFile(bB, to: dir + "/bkgB.h5")
    // Data: the first 500 events of each MC file, same event numbers (so same folds).
    let data = try EventTable.concatenate([sig.slice(0..<500), a1.slice(0..<500), bB.slice(0..<500)])
    try writeEventFile(try data.selecting(["event_number", "a", "b", "c", "m"]), to: dir + "/data.h5")
    let stageText = stages ?? """
      {"name": "vs_A", "background": "bkgA", "features": ["a", "c"], "working_point": {"signal_efficiency": 0.9}},
      {"name": "vs_B", "background": ["bkgB"], "region": "CR_B", "features": ["b", "c"], "working_point": {"background_efficiency": 0.1}}
      """
    let config = """
      {"name": "synthetic", "output": "run", "event_number": "event_number",
       "samples": [
         {"name": "signal", "role": "signal", "files": ["signal.h5"], "weight": "weight"},
         {"name": "bkgA", "role": "background", "files": ["bkgA_*"], "weight": "weight"},
         {"name": "bkgB", "role": "background", "files": ["bkgB.h5"], "weight": "weight", "scale": 2.0},
         {"name": "data", "role": "data", "files": ["data.h5"]}],
       "bdt": {"trees": 30, "depth": 3, "learning_rate": 0.2, "bins": 64},
       "stages": [\(stageText)],
       "training": {"folds": 2, "seed": 3, "chunk_rows": 700}\(extra)}
      """
    let path = dir + "/config.json"
    try config.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
