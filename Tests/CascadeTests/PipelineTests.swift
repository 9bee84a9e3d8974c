import Cascade
import CascadeSupport
import EventData
import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct PipelineTests {
  func readRegions(_ run: String, _ config: CascadeConfig) throws -> [String: [String: EventTable]] {
    var out: [String: [String: EventTable]] = [:]
    for r in config.regions {
      for s in config.samples {
        out[r, default: [:]][s.name] = try openEventFile(OutputLayout.regionPath(root: run, region: r, sample: s.name)).readAll()
      }
    }
    return out
  }

  @Test func everyEventLandsInOneRegionAndYieldsAddUp() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    var config = try CascadeConfig.load(path: path)
    config.setThreads(2)
    try CascadePipeline.train(config)
    try CascadePipeline.apply(config, options: .init())
    let regions = try readRegions(config.output, config)
    for s in config.samples {
      var inputRows = 0
      var inputWeight = 0.0
      for f in s.files {
        let t = try openEventFile(f).readAll()
        inputRows += t.rowCount
        if let w = s.weight { inputWeight += try t.column(named: w).float64Values().reduce(0, +) }
      }
      var rows = 0
      var weight = 0.0
      var events = Set<Int64>()
      for r in config.regions {
        let t = regions[r]![s.name]!
        rows += t.rowCount
        if let w = s.weight { weight += try t.column(named: w).float64Values().reduce(0, +) }
        let ev = try t.column(named: "event_number").int64Values()
        for e in ev { #expect(events.insert(e).inserted, "event \(e) of \(s.name) in two regions") }
        let region = try t.column(named: "region").int64Values()
        #expect(region.allSatisfy { $0 == Int64(config.regions.firstIndex(of: r)!) })
      }
      #expect(rows == inputRows, "\(s.name)")
      #expect(abs(weight - inputWeight) < 1e-9 * max(1, abs(inputWeight)), "\(s.name)")
    }
    // Scores: NaN exactly where a stage was not reached.
    let scores = try openEventFile(OutputLayout.scoresPath(root: config.output, sample: "signal", file: "signal.h5")).readAll()
    let region = try scores.column(named: "region").int64Values()
    let s2 = try scores.column(named: "score_vs_B").float64Values()
    for i in 0..<scores.rowCount { #expect(s2[i].isNaN == (region[i] == 0)) }
  }

  @Test func workingPointAndPurity() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    let config = try CascadeConfig.load(path: path)
    let models = try CascadePipeline.train(config)
    // Requested 0.9 signal efficiency on out-of-fold scores of the signal reaching stage 1.
    #expect(abs(models[0].solution.signalEfficiency - 0.9) < 0.01)
    #expect(abs(models[1].solution.backgroundEfficiency - 0.1) < 0.02)
    try CascadePipeline.apply(config, options: .init())
    let regions = try readRegions(config.output, config)
    func weight(_ r: String, _ s: String) throws -> Double { try regions[r]![s]!.column(named: "weight").float64Values().reduce(0, +) * config.sample(named: s)!.scale }
    let inputs = try ["signal", "bkgA", "bkgB"].map { s in try config.regions.map { try weight($0, s) }.reduce(0, +) }
    let purityA = try weight("CR_bkgA", "bkgA") / (try ["signal", "bkgA", "bkgB"].map { try weight("CR_bkgA", $0) }.reduce(0, +))
    #expect(purityA > inputs[1] / inputs.reduce(0, +))
    #expect(purityA > 0.9)
    let purityB = try weight("CR_B", "bkgB") / (try ["signal", "bkgA", "bkgB"].map { try weight("CR_B", $0) }.reduce(0, +))
    #expect(purityB > inputs[2] / inputs.reduce(0, +))
    // Applied signal efficiency of stage 1 matches the trained working point (same events, same folds).
    let sigKept = 1 - (try weight("CR_bkgA", "signal")) / inputs[0]
    #expect(abs(sigKept - models[0].solution.signalEfficiency) < 1e-12)
  }

  @Test func dataIsRoutedLikeIdenticalMC() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    let config = try CascadeConfig.load(path: path)
    try CascadePipeline.train(config)
    try CascadePipeline.apply(config, options: .init())
    let data = try openEventFile(OutputLayout.scoresPath(root: config.output, sample: "data", file: "data.h5")).readAll()
    var mcRegion: [Int64: Int64] = [:]
    for (s, f) in [("signal", "signal.h5"), ("bkgA", "bkgA_1.h5"), ("bkgB", "bkgB.h5")] {
      let t = try openEventFile(OutputLayout.scoresPath(root: config.output, sample: s, file: f)).readAll()
      for (e, r) in zip(try t.column(named: "event_number").int64Values(), try t.column(named: "region").int64Values()) { mcRegion[e] = r }
    }
    let ev = try data.column(named: "event_number").int64Values()
    let reg = try data.column(named: "region").int64Values()
    #expect(ev.count == 1500)
    for i in ev.indices { #expect(mcRegion[ev[i]] == reg[i]) }
  }

  /// Byte content of every file under `dir/sub` (relative path → bytes).
  func snapshot(_ dir: String, _ subs: [String]) -> [String: Data] {
    var out: [String: Data] = [:]
    for sub in subs { for f in listFiles(dir + "/" + sub) { out[sub + "/" + f] = FileManager.default.contents(atPath: dir + "/" + sub + "/" + f) } }
    return out
  }

  @Test func threadsAndShardsGiveIdenticalBytes() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    var c1 = try CascadeConfig.load(path: path)
    c1.setThreads(1)
    try CascadePipeline.train(c1)
    let models1 = snapshot(c1.output, ["models"])
    try CascadePipeline.apply(c1, options: .init())
    let outputs1 = snapshot(c1.output, ["scores", "regions"])
    var c2 = c1
    c2.setThreads(2)
    try CascadePipeline.train(c2)
    #expect(snapshot(c2.output, ["models"]) == models1)
    try CascadePipeline.apply(c2, options: .init())
    #expect(snapshot(c2.output, ["scores", "regions"]) == outputs1)
    // Three shards, merged.
    let sharded = gen.dir + "/sharded"
    for i in 0..<3 {
      var o = CascadePipeline.ApplyOptions()
      o.shard = ShardSpec(index: i, count: 3)
      o.output = sharded
      o.modelsDirectory = c1.output + "/models"
      try CascadePipeline.apply(c2, options: o)
    }
    #expect(shardStates(runDirectory: sharded, shards: 3) == [.done, .done, .done])
    _ = try Merger.merge(runDirectory: sharded)
    let merged = snapshot(sharded, ["scores", "regions"])
    #expect(merged.keys.sorted() == outputs1.keys.sorted())
    for (k, v) in outputs1 { #expect(merged[k] == v, "\(k) differs after merge") }
  }

  /// `cascade run` scores each event once, in its apply pass: the scores it keeps for the
  /// evaluation must be those `cascade evaluate` computes from the inputs, bit for bit, and the
  /// files it writes those of a plain apply.
  @Test func applyKeepingScoresMatchesScoringEverything() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    var config = try CascadeConfig.load(path: path)
    config.setThreads(2)
    try CascadePipeline.train(config)
    try CascadePipeline.apply(config, options: .init())
    let plain = snapshot(config.output, ["scores", "regions"])
    var options = CascadePipeline.ApplyOptions()
    options.scoring = Applier.ScoringRequest(extraColumns: ["m"])
    let kept = try #require(try CascadePipeline.apply(config, options: options).scored)
    #expect(snapshot(config.output, ["scores", "regions"]) == plain)
    let all = try CascadeScorer.scoreAll(config, models: try CascadePipeline.loadStageModels(config), extraColumns: ["m"])
    func bits(_ x: [[Double]]) -> [[UInt64]] { x.map { $0.map(\.bitPattern) } }
    #expect(kept.events.count == 10_500)
    #expect(kept.events.sampleIndex == all.events.sampleIndex)
    #expect(kept.events.weights == all.events.weights)
    #expect(kept.events.folds == all.events.folds)
    #expect(kept.events.columns.keys.sorted() == ["a", "b", "c", "m"])
    for (k, v) in all.events.columns { #expect(kept.events.columns[k]!.map(\.bitPattern) == v.map(\.bitPattern), "\(k)") }
    #expect(bits(kept.outOfFold) == bits(all.outOfFold))
    #expect(bits(kept.inFold) == bits(all.inFold))
    #expect(kept.exitStage == all.exitStage)
    #expect(kept.inFold[0].contains { $0.isNaN }, "data events have no in-fold score")
    #expect(kept.exitStage.indices.allSatisfy { kept.exitStage[$0] >= 1 || kept.inFold[1][$0].isNaN }, "no in-fold score where a stage is not reached")
    #expect(kept.inFold[1].contains { !$0.isNaN })
    // Training's out-of-fold scores of the MC events, handed over: the same scores and files.
    let trained = try CascadePipeline.train(config, keepingScores: true)
    let mcEvents = config.samples.filter(\.isMC).count
    #expect(mcEvents == 3 && trained.outOfFold?.first?.count == 9_000)
    var handed = CascadePipeline.ApplyOptions()
    handed.scoring = Applier.ScoringRequest(extraColumns: ["m"])
    handed.trainedScores = trained.outOfFold
    let reused = try #require(try CascadePipeline.apply(config, options: handed).scored)
    #expect(snapshot(config.output, ["scores", "regions"]) == plain)
    #expect(bits(reused.outOfFold) == bits(all.outOfFold))
    #expect(bits(reused.inFold) == bits(all.inFold))
    #expect(reused.exitStage == all.exitStage)
    // They are used, not recomputed: marked values come back for the MC events.
    handed.trainedScores = trained.outOfFold!.map { $0.map { _ in 0.25 } }
    let marked = try #require(try CascadePipeline.apply(config, options: handed).scored)
    let mc = marked.events.sampleIndex.indices.filter { config.samples[Int(marked.events.sampleIndex[$0])].isMC }
    #expect(mc.count == 9_000 && mc.allSatisfy { marked.outOfFold[0][$0] == 0.25 })
    #expect(marked.outOfFold[0].contains { $0 != 0.25 }, "data events are scored")
    // Scores of another event count are not used (scored afresh: still the same numbers).
    handed.trainedScores = trained.outOfFold!.map { Array($0.dropLast()) }
    let fresh = try #require(try CascadePipeline.apply(config, options: handed).scored)
    #expect(bits(fresh.outOfFold) == bits(all.outOfFold))
    // A partial apply does not keep scores (they would not be the whole run's).
    options.sample = "bkgA"
    #expect(try CascadePipeline.apply(config, options: options).scored == nil)
  }

  /// `"score_files": "new_columns"`: score files are friends of their inputs (event number,
  /// weight, then the new columns); the region files are those of the default layout.
  @Test func newColumnScoreFilesHoldOnlyWhatIsNew() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    var config = try CascadeConfig.load(path: path)
    config.setThreads(2)
    try CascadePipeline.train(config)
    try CascadePipeline.apply(config, options: .init())
    let regions = snapshot(config.output, ["regions"])
    let kept = try openEventFile(OutputLayout.scoresPath(root: config.output, sample: "bkgA", file: "bkgA_1.h5")).readAll()
    func variant(_ scoreFiles: String) throws -> String {
      let text = try String(contentsOfFile: path, encoding: .utf8)
        .replacingOccurrences(of: #""training":"#, with: #""score_files": "\#(scoreFiles)", "training":"#)
      let variantPath = gen.dir + "/config-\(scoreFiles).json"
      try text.write(toFile: variantPath, atomically: true, encoding: .utf8)
      return variantPath
    }
    var friend = try CascadeConfig.load(path: try variant("new_columns"))
    friend.setThreads(2)
    #expect(friend.scoreFiles == .new)
    try CascadePipeline.apply(friend, options: .init())
    #expect(snapshot(config.output, ["regions"]) == regions)
    let scores = try openEventFile(OutputLayout.scoresPath(root: config.output, sample: "bkgA", file: "bkgA_1.h5")).readAll()
    #expect(scores.columns.map(\.name) == ["event_number", "weight", "score_vs_A", "score_vs_B", "region", "fold"])
    #expect(scores.rowCount == kept.rowCount)
    for c in scores.columns {
      let k = try kept.column(named: c.name)
      #expect(k.dtype == c.dtype && k.float64Values().map(\.bitPattern) == c.float64Values().map(\.bitPattern), "\(c.name)")
    }
    let data = try openEventFile(OutputLayout.scoresPath(root: config.output, sample: "data", file: "data.h5")).readAll()
    #expect(data.columns.map(\.name) == ["event_number", "score_vs_A", "score_vs_B", "region", "fold"])
    let bad = try variant("some")
    #expect(throws: UserError("\(bad): score_files: must be one of kept_columns, new_columns (found \"some\")")) {
      try CascadeConfig.load(path: bad)
    }
  }

  @Test func partialApplyKeepsWholeSampleRegionFiles() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    let config = try CascadeConfig.load(path: path)
    try CascadePipeline.train(config)
    try CascadePipeline.apply(config, options: .init())
    let before = snapshot(config.output, ["scores", "regions"])
    try FileManager.default.removeItem(atPath: config.output + "/scores/bkgA/bkgA_1.h5")
    var o = CascadePipeline.ApplyOptions()
    o.files = [gen.dir + "/bkgA_1.h5"]
    try CascadePipeline.apply(config, options: o)
    // bkgA_1's scores are rewritten identically; bkgA's region files (two files' events) are untouched.
    #expect(snapshot(config.output, ["scores", "regions"]) == before)
    o.files = nil
    o.sample = "bkgB"
    try CascadePipeline.apply(config, options: o)
    #expect(snapshot(config.output, ["scores", "regions"]) == before)
  }

  @Test func mergeRejectsMissingAndCorruptShards() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    let config = try CascadeConfig.load(path: path)
    try CascadePipeline.train(config)
    var o = CascadePipeline.ApplyOptions()
    o.shard = ShardSpec(index: 0, count: 2)
    try CascadePipeline.apply(config, options: o)
    #expect(throws: UserError("shard 1 of 2 is missing (\(config.output)/shards/1)")) { try Merger.merge(runDirectory: config.output) }
    o.shard = ShardSpec(index: 1, count: 2)
    try CascadePipeline.apply(config, options: o)
    let victim = config.output + "/shards/1/regions/SR/data.h5"
    var bytes = [UInt8](FileManager.default.contents(atPath: victim)!)
    bytes[bytes.count / 2] ^= 0xFF
    try Data(bytes).write(to: URL(fileURLWithPath: victim))
    #expect(shardStates(runDirectory: config.output, shards: 2) == [.done, .corrupt])
    #expect(throws: UserError("shard 1: output regions/SR/data.h5 checksum mismatch (corrupt shard)")) { try Merger.merge(runDirectory: config.output) }
    #expect(!FileManager.default.fileExists(atPath: config.output + "/scores"))
  }

  @Test func stageWithoutBackgroundLeftIsAnError() throws {
    var gen = SyntheticSamples()
    // Stage 1 sends (nearly) every bkgA event away; stage 2 targets bkgA again.
    let path = try gen.writeAll(stages: """
      {"name": "s1", "background": "bkgA", "features": ["a"], "working_point": {"threshold": 2.0}},
      {"name": "s2", "background": "bkgB", "region": "CR_x", "features": ["b"], "working_point": {"signal_efficiency": 0.9}}
      """)
    let config = try CascadeConfig.load(path: path)
    #expect(throws: UserError("stages[1] (s2): no signal events reach this stage")) { try CascadePipeline.train(config) }
  }

  @Test func stageWhoseBackgroundHasNoEventsIsAnError() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll(stages: """
      {"name": "s1", "background": "bkgA", "features": ["a"], "working_point": {"signal_efficiency": 0.9}},
      {"name": "s2", "background": "bkgC", "features": ["b"], "working_point": {"signal_efficiency": 0.9}}
      """)
    // bkgC: a background sample whose only file holds no events.
    let empty = try openEventFile(gen.dir + "/bkgB.h5").readAll().slice(0..<0)
    try writeEventFile(empty, to: gen.dir + "/bkgC.h5")
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text = text.replacingOccurrences(of: "{\"name\": \"data\"", with: "{\"name\": \"bkgC\", \"role\": \"background\", \"files\": [\"bkgC.h5\"], \"weight\": \"weight\"},\n {\"name\": \"data\"")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let config = try CascadeConfig.load(path: path)
    #expect(throws: UserError("stages[1] (s2): background \"bkgC\" has no events left at this stage")) { try CascadePipeline.train(config) }
  }

  @Test func missingColumnIsReportedWithJSONPath() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll(stages: """
      {"name": "s1", "background": "bkgA", "features": ["a", "ht"], "working_point": {"signal_efficiency": 0.9}}
      """)
    let config = try CascadeConfig.load(path: path)
    let problems = config.validateInputs()
    #expect(problems.first == "stages[0].features[1]: column \"ht\" not found in \(gen.dir)/signal.h5")
    #expect(problems.count == 5)
  }
}

@Suite struct InputConsistencyTests {
  @Test func mismatchedDtypesAcrossFilesOfASampleAreAnError() throws {
    var gen = SyntheticSamples()
    let path = try gen.writeAll()
    // Replace one bkgA file by a CSV copy: CSV infers float64 where the HDF5 has float32.
    let t = try openEventFile(gen.dir + "/bkgA_2.h5").readAll()
    try FileManager.default.removeItem(atPath: gen.dir + "/bkgA_2.h5")
    try writeEventFile(t, to: gen.dir + "/bkgA_2.csv")
    let config = try CascadeConfig.load(path: path)
    try CascadePipeline.train(config)
    #expect(throws: UserError("\(gen.dir)/bkgA_2.csv: column \"a\" is float64 but float32 in \(gen.dir)/bkgA_1.h5 (sample \"bkgA\")")) {
      try CascadePipeline.apply(config, options: .init())
    }
    #expect(!FileManager.default.fileExists(atPath: config.output + "/scores"))
  }
}
