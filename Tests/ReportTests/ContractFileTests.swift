import Cascade
import CascadeSupport
import Evaluation
import Foundation
import Testing
import TestSupport
import YieldFit

/// Every file one module writes and another reads is a Codable type defined by its writer:
/// reading a reference file and writing it again gives the same bytes, and a renamed key is a
/// one-line error naming the file and the key.
@Suite struct ContractFileTests {
  /// Decodes `path` as `T`, re-encodes it, and checks the bytes; then renames `key` (first
  /// occurrence, as `"key":`) in a copy and checks the error names the file and `path`.
  func check<T: Codable>(_ type: T.Type, file path: String, rename key: String, expect error: String) throws {
    let original = try String(contentsOfFile: path, encoding: .utf8)
    let value = try JSONFile.load(T.self, from: path)
    #expect(try JSONFile.text(value) == original, "\(path) does not round-trip byte-identically")

    let dir = TestPaths.temporaryDirectory("contracts")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let corrupt = dir + "/" + (path as NSString).lastPathComponent
    let range = try #require(original.range(of: "\"\(key)\":"))
    try AtomicFile.write(original.replacingCharacters(in: range, with: "\"\(key)_renamed\":"), to: corrupt)
    #expect(throws: UserError("\(corrupt): \(error)")) { try JSONFile.load(T.self, from: corrupt) }
  }

  @Test func trainSummary() throws {
    try check(TrainSummary.self, file: TestPaths.fixture("contracts/train-summary.json"), rename: "threshold", expect: "stages[0].threshold: missing")
  }

  @Test func efficiencyTable() throws {
    try check(
      [EfficiencyFileEntry].self, file: TestPaths.fixture("contracts/efficiency.json"), rename: "sig_eff_at_bkg_0.10",
      expect: "[0].sig_eff_at_bkg_0.10: missing")
  }

  @Test func cutflow() throws {
    try check(CutflowRecord.self, file: TestPaths.fixture("contracts/cutflow.json"), rename: "to_region", expect: "stages[0].samples[0].to_region: missing")
  }

  @Test func prepost() throws {
    try check(PrePostFile.self, file: TestPaths.fixture("contracts/prepost.json"), rename: "postfit_error", expect: "regions[0].postfit_error: missing")
  }

  @Test func stageModel() throws {
    try check(
      StageModelFile.self, file: TestPaths.fixture("contracts/model-vs_top-2trees.json"), rename: "default_left",
      expect: "forests[0].trees[0].default_left: missing")
    let path = TestPaths.fixture("contracts/model-vs_top-2trees.json")
    let file = try JSONFile.load(StageModelFile.self, from: path)
    #expect(file.stage == "vs_top")
    #expect(file.backgrounds == ["ttbar", "singletop"])
    #expect(file.model.k == 2 && file.model.forests.map(\.treeCount) == [2, 2])
  }

  @Test func unknownKeysAreErrors() throws {
    let path = TestPaths.fixture("contracts/train-summary.json")
    let original = try String(contentsOfFile: path, encoding: .utf8)
    let dir = TestPaths.temporaryDirectory("contracts-extra")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try AtomicFile.write(original.replacingOccurrences(of: "\"folds\": 2,", with: "\"folds\": 2, \"fold\": 3,"), to: dir + "/t.json")
    #expect(throws: UserError(#"\#(dir)/t.json: fold: unknown key "fold""#)) { try JSONFile.load(TrainSummary.self, from: dir + "/t.json") }
  }

  /// The large files (tables/evaluation.json, fit/result.json) of a constructed run.
  @Test func evaluationAndFitResultOfARun() throws {
    let dir = TestPaths.temporaryDirectory("contracts-run")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ExampleRun.write(to: dir)
    try check(EvaluationFile.self, file: dir + "/tables/evaluation.json", rename: "overtraining", expect: "stages[0].overtraining: missing")
    try check(FitResultFile.self, file: dir + "/fit/result.json", rename: "minos", expect: "parameters[0].minos: missing")
    try check(PrePostFile.self, file: dir + "/fit/prepost.json", rename: "data", expect: "regions[0].data: missing")
  }

  @Test func batchRecords() throws {
    let dir = TestPaths.temporaryDirectory("contracts-batch")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let manifest = ShardManifest(
      shard: 1, shards: 4, configChecksum: "abc", inputs: [.init(sample: "signal", file: "s.h5", rows: 10..<20)],
      outputs: [.init(path: "scores/signal/s.h5", size: 123, checksum: "def")])
    try JSONFile.write(manifest, to: dir + "/manifest.json")
    #expect(try JSONFile.load(ShardManifest.self, from: dir + "/manifest.json") == manifest)
    try check(ShardManifest.self, file: dir + "/manifest.json", rename: "rows", expect: "inputs[0].rows: missing")
    let jobs = SlurmJobRecord(
      config: "/c.json", shards: 4,
      submissions: [.init(submitted: "2026-11-25T20:01:02Z", resume: false, tasks: [0, 1], array: "0-1", train: "12", apply: "13", merge: nil)])
    try JSONFile.write(jobs, to: dir + "/jobs.json")
    #expect(try String(contentsOfFile: dir + "/jobs.json", encoding: .utf8).contains(#""apply": "13"\#n"#))
    try check(SlurmJobRecord.self, file: dir + "/jobs.json", rename: "tasks", expect: "submissions[0].tasks: missing")
  }
}
