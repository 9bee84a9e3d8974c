import Foundation
import Testing
import TestSupport

/// The determinism audit of issue 9: the whole chain (train → apply → evaluate → fit → report)
/// on a small generated toy, run with 1 and 2 threads and with 1 and 3 shards (apply --shard +
/// merge), must give byte-identical outputs. Only manifest.json (timings) may differ, and
/// shards/ exists only in the sharded run. The same holds with decorrelated stages (issue 16):
/// a reweight stage and a flatness stage on the correlated toy.
@Suite struct DeterminismAuditTests {
  static let config = """
    {"name": "audit", "output": "run", "event_number": "event_number",
     "samples": [
       {"name": "signal", "role": "signal", "files": ["../gen/signal.h5"], "weight": "weight"},
       {"name": "wgamma", "role": "background", "files": ["../gen/wgamma.h5"], "weight": "weight"},
       {"name": "wjets", "role": "background", "files": ["../gen/wjets.h5"], "weight": "weight"},
       {"name": "ttbar", "role": "background", "files": ["../gen/ttbar.h5", "../gen/singletop.h5"], "weight": "weight"},
       {"name": "data", "role": "data", "files": ["../gen/data.h5"]}],
     "bdt": {"trees": 12, "depth": 3, "learning_rate": 0.3, "bins": 32, "subsample": 0.8},
     "stages": [
       {"name": "vs_wjets", "background": "wjets", "features": ["photon_iso", "photon_sieie", "dr_lg"],
        "working_point": {"signal_efficiency": 0.95}},
       {"name": "vs_top", "background": ["ttbar", "wgamma"], "region": "CR_top", "features": ["n_jets", "n_bjets", "ht", "met"],
        "bdt": {"boost": "adaboost", "depth": 2}, "working_point": {"maximize": "significance"}}],
     "training": {"folds": 3, "seed": 7, "chunk_rows": 517},
     "fit": {"observable": "m_lg", "bins": 7, "range": [60, 200], "poi": "signal"}}
    """

  /// Both decorrelation methods on the correlated toy: planing on the first stage, the flatness
  /// loss (gradient boosting, with subsampling) on the second.
  static let decorrelatedConfig = """
    {"name": "audit-decorrelated", "output": "run", "event_number": "event_number",
     "samples": [
       {"name": "signal", "role": "signal", "files": ["../gen/signal.h5"], "weight": "weight"},
       {"name": "wgamma", "role": "background", "files": ["../gen/wgamma.h5"], "weight": "weight"},
       {"name": "wjets", "role": "background", "files": ["../gen/wjets.h5"], "weight": "weight"},
       {"name": "top", "role": "background", "files": ["../gen/ttbar.h5", "../gen/singletop.h5"], "weight": "weight"},
       {"name": "data", "role": "data", "files": ["../gen/data.h5"]}],
     "bdt": {"trees": 12, "depth": 3, "learning_rate": 0.3, "bins": 32, "subsample": 0.8},
     "stages": [
       {"name": "vs_top", "background": "top", "region": "CR_top", "features": ["n_jets", "n_bjets", "ht", "photon_ptrel"],
        "working_point": {"signal_efficiency": 0.95},
        "decorrelate": {"observable": "m_lg", "method": "reweight", "strength": 0.8, "bins": 8}},
       {"name": "vs_wgamma", "background": ["wgamma", "wjets"], "features": ["met", "cos_theta", "photon_ptrel", "pt_lg"],
        "working_point": {"signal_efficiency": 0.8},
        "decorrelate": {"observable": "m_lg", "method": "flatness", "strength": 3, "bins": 6}}],
     "training": {"folds": 3, "seed": 7, "chunk_rows": 517},
     "fit": {"observable": "m_lg", "bins": 7, "range": [60, 200], "poi": "signal"}}
    """

  func cascade(_ args: [String], in dir: String) throws {
    let r = try runCascade(args, cwd: dir)
    try #require(r.status == 0, "cascade \(args.joined(separator: " ")): \(r.stderr)")
  }

  @Test func threadsAndShardsGiveIdenticalBytes() throws {
    let run = try audit(config: Self.config, generate: [], directory: "determinism")
    let summary = try String(contentsOfFile: run + "/train-summary.json", encoding: .utf8)
    #expect(!summary.contains("decorrelate"), "plain stages record no decorrelate key")
  }

  @Test func decorrelatedStagesGiveIdenticalBytes() throws {
    let run = try audit(config: Self.decorrelatedConfig, generate: ["--correlated"], directory: "determinism-decorrelated")
    // The option is recorded where it was used, and only there.
    let top = try String(contentsOfFile: run + "/models/vs_top.json", encoding: .utf8)
    #expect(top.contains("\"decorrelate\""))
    #expect(top.contains("\"reweight\""))
    let summary = try String(contentsOfFile: run + "/train-summary.json", encoding: .utf8)
    #expect(summary.components(separatedBy: "\"decorrelate\"").count == 3)
    #expect(summary.contains("\"flatness\""))
  }

  /// Runs `config` with 1 and 2 threads and sharded, expects identical bytes; returns the
  /// reference run directory.
  @discardableResult
  func audit(config: String, generate: [String], directory: String) throws -> String {
    let base = TestPaths.temporaryDirectory(directory)
    try cascade(["generate", "--out", base + "/gen", "--events", "1500", "--seed", "5"] + generate, in: base)
    for name in ["t1", "t2", "s3"] {
      try FileManager.default.createDirectory(atPath: base + "/" + name, withIntermediateDirectories: true)
      try config.write(toFile: base + "/\(name)/config.json", atomically: true, encoding: .utf8)
    }
    try cascade(["run", "config.json", "--threads", "1", "--quiet"], in: base + "/t1")
    try cascade(["run", "config.json", "--threads", "2", "--quiet"], in: base + "/t2")
    // Sharded: train once, apply in 3 shards, merge, then the steps after apply one by one.
    let s3 = base + "/s3"
    try cascade(["train", "config.json", "--threads", "2", "--quiet"], in: s3)
    for i in 0..<3 { try cascade(["apply", "config.json", "--shard", "\(i)/3", "--threads", "1", "--quiet"], in: s3) }
    try cascade(["merge", "run", "--quiet"], in: s3)
    try cascade(["evaluate", "config.json", "--threads", "2", "--quiet"], in: s3)
    try cascade(["fit", "--run", "run"], in: s3)
    try cascade(["report", "run"], in: s3)

    func outputs(_ run: String) -> [String] {
      listFiles(run).filter { !$0.hasPrefix("shards/") && ($0 as NSString).lastPathComponent != "manifest.json" }
    }
    let reference = outputs(base + "/t1/run")
    for dir in ["models", "scores", "regions", "tables", "fit", "report"] {
      #expect(reference.contains { $0.hasPrefix(dir + "/") }, "no \(dir)/ in the run")
    }
    #expect(reference.contains("train-summary.json"))
    for other in ["t2", "s3"] {
      #expect(outputs(base + "/\(other)/run") == reference, "\(other): different file list")
      var differing: [String] = []
      for f in reference {
        let a = FileManager.default.contents(atPath: base + "/t1/run/" + f)
        let b = FileManager.default.contents(atPath: base + "/\(other)/run/" + f)
        if a == nil || a != b { differing.append(f) }
      }
      #expect(differing.isEmpty, "\(other) differs from t1 in \(differing)")
    }
    return base + "/t1/run"
  }
}
