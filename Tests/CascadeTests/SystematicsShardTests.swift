import Foundation
import Testing
import TestSupport

/// Systematic variations under sharding: apply in 3 shards + merge, then evaluate, fit and
/// report, must write the same bytes as one unsharded run — the variation files of shift and
/// weight variations are cut like the scores, and each `files` variation is applied whole by
/// one shard (the k-th by shard k mod 3).
@Suite struct SystematicsShardTests {
  static let config = """
    {"name": "syst-shards", "output": "run", "event_number": "event_number",
     "samples": [
       {"name": "signal", "role": "signal", "files": ["../gen/signal.h5"], "weight": "weight"},
       {"name": "wgamma", "role": "background", "files": ["../gen/wgamma.h5"], "weight": "weight"},
       {"name": "wjets", "role": "background", "files": ["../gen/wjets.h5"], "weight": "weight"},
       {"name": "ttbar", "role": "background", "files": ["../gen/ttbar.h5"], "weight": "weight"},
       {"name": "singletop", "role": "background", "files": ["../gen/singletop.h5"], "weight": "weight"},
       {"name": "data", "role": "data", "files": ["../gen/data.h5"]}],
     "bdt": {"trees": 10, "depth": 3, "learning_rate": 0.3, "bins": 32},
     "stages": [
       {"name": "vs_wjets", "background": "wjets", "features": ["photon_iso", "photon_sieie", "dr_lg"],
        "working_point": {"signal_efficiency": 0.95}},
       {"name": "vs_top", "background": ["ttbar", "singletop"], "region": "CR_top", "features": ["n_jets", "n_bjets", "ht"],
        "working_point": {"signal_efficiency": 0.9}}],
     "training": {"folds": 2, "seed": 3, "chunk_rows": 611},
     "systematics": [
       {"name": "jes", "type": "shift",
        "columns": {"ht": ["ht_jes_up", "ht_jes_down"], "n_jets": ["n_jets_jes_up", "n_jets_jes_down"], "m_lg": ["m_lg_jes_up", "m_lg_jes_down"]}},
       {"name": "photon_sf", "type": "weight", "up": "weight_phsf_up", "down": "weight_phsf_down"},
       {"name": "ttbar_generator", "type": "files", "samples": ["ttbar"], "up": ["../gen/ttbar_alt.h5"], "down": ["../gen/ttbar_alt2.h5"]},
       {"name": "lumi", "type": "lumi", "sigma": 0.017}],
     "fit": {"observable": "m_lg", "bins": 7, "range": [60, 200], "poi": "signal",
             "normfactors": {"ttbar": "mu_top", "singletop": "mu_top"}, "prune": {"norm": 0.005, "shape": 0.005}}}
    """

  func cascade(_ args: [String], in dir: String) throws {
    let r = try runCascade(args, cwd: dir)
    try #require(r.status == 0, "cascade \(args.joined(separator: " ")): \(r.stderr)")
  }

  @Test func shardedApplyWithSystematicsGivesIdenticalBytes() throws {
    let base = TestPaths.temporaryDirectory("syst-shards")
    try cascade(["generate", "--out", base + "/gen", "--events", "1200", "--seed", "4", "--jes-shift", "1"], in: base)
    // A second alternative sample (a copy) so the variation has two sides to spread.
    try FileManager.default.copyItem(atPath: base + "/gen/ttbar_alt.h5", toPath: base + "/gen/ttbar_alt2.h5")
    for name in ["whole", "s3"] {
      try FileManager.default.createDirectory(atPath: base + "/" + name, withIntermediateDirectories: true)
      try Self.config.write(toFile: base + "/\(name)/config.json", atomically: true, encoding: .utf8)
    }
    try cascade(["run", "config.json", "--threads", "2", "--quiet"], in: base + "/whole")
    let s3 = base + "/s3"
    try cascade(["train", "config.json", "--threads", "2", "--quiet"], in: s3)
    for i in 0..<3 { try cascade(["apply", "config.json", "--shard", "\(i)/3", "--threads", "1", "--quiet"], in: s3) }
    // The two file variations (up, down) are spread over shards 0 and 1.
    let manifests = try (0..<3).map { try String(contentsOfFile: s3 + "/run/shards/\($0)/manifest.json", encoding: .utf8) }
    #expect(manifests[0].contains("systematics/files/ttbar_generator__up/") && !manifests[0].contains("ttbar_generator__down"))
    #expect(manifests[1].contains("systematics/files/ttbar_generator__down/") && !manifests[1].contains("ttbar_generator__up"))
    #expect(!manifests[2].contains("systematics/files/"))
    try cascade(["merge", "run", "--quiet"], in: s3)
    try cascade(["evaluate", "config.json", "--threads", "2", "--quiet"], in: s3)
    try cascade(["fit", "--run", "run"], in: s3)
    try cascade(["report", "run"], in: s3)

    func outputs(_ run: String) -> [String] {
      listFiles(run).filter { !$0.hasPrefix("shards/") && ($0 as NSString).lastPathComponent != "manifest.json" }
    }
    let reference = outputs(base + "/whole/run")
    for f in [
      "systematics/templates.json", "systematics/pruning.json", "tables/systematics.json", "tables/systematics.md",
      "systematics/events/ttbar/ttbar.h5", "systematics/files/ttbar_generator__up/regions/SR/ttbar.h5",
    ] {
      #expect(reference.contains(f), "no \(f) in the run")
    }
    #expect(outputs(s3 + "/run") == reference, "different file list")
    var differing: [String] = []
    for f in reference where FileManager.default.contents(atPath: base + "/whole/run/" + f) != FileManager.default.contents(atPath: s3 + "/run/" + f) {
      differing.append(f)
    }
    #expect(differing.isEmpty, "sharded run differs in \(differing)")
  }
}
