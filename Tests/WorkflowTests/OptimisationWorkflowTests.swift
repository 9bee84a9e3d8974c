import Analysis
import Cascade
import CascadeSupport
import EventData
import Foundation
import Testing
import TestSupport
import Workflow
import YieldFit

/// Fit-driven working points end to end on the tiny cascade: the search's objective is the
/// run's own Asimov fit, the models carry the chosen thresholds, results do not depend on the
/// thread count, and no data is read.
@Suite struct OptimisationWorkflowTests {
  /// The tiny cascade with both stages optimised for the expected POI error.
  func writeOptimised(_ dir: String, budget: Int = 20) throws -> String {
    let path = try writeTinyCascade(dir)
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text = text.replacingOccurrences(
      of: #""working_point": {"signal_efficiency": 0.9}"#,
      with: #""working_point": {"optimize": "expected_poi_error", "start": {"signal_efficiency": 0.9}}"#)
    text = text.replacingOccurrences(of: #""training": {"#, with: #""optimisation": {"budget": \#(budget)}, "training": {"#)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func record(_ run: String) throws -> OptimisationRecord {
    try JSONFile.load(OptimisationRecord.self, from: run + "/tables/optimisation.json")
  }

  @Test func runUsesTheChosenThresholdsAndTheFitAgrees() throws {
    let dir = TestPaths.temporaryDirectory("opt-run")
    let path = try writeOptimised(dir)
    try CascadeWorkflow.run(path, threads: 2, asimov: false, console: CapturedConsole().console())
    let run = dir + "/run"
    let r = try record(run)
    #expect(r.objective == "expected_poi_error" && r.parameter == "mu" && r.budget == 20)
    #expect(r.evaluations <= 20 && r.path.count == r.evaluations)
    #expect(r.end <= r.start)
    #expect(r.stages.map(\.stage) == ["vs_A", "vs_B"] && r.stages.allSatisfy(\.optimised))
    let config = try CascadeConfig.load(path: path)
    let models = try CascadePipeline.loadStageModels(config)
    #expect(models.map(\.threshold) == r.stages.map(\.threshold))
    let summary = try JSONFile.load(TrainSummary.self, from: run + "/train-summary.json")
    #expect(summary.stages.map(\.threshold) == r.stages.map(\.threshold))
    // The Asimov fit of the applied run's region files is the search's end objective, bit for bit.
    let fit = try FitBlock.parse(config.fit!)
    let regions = try RunFit.histograms(config, fit: fit, runDirectory: run)
    let ws = try buildWorkspace(regions: regions, fit: fit.workspace, signalSamples: ["signal"], asimov: true).workspace
    #expect(try AsimovObjective(.expectedPOIError).value(ws) == r.end)
    let md = try String(contentsOfFile: run + "/tables/optimisation.md", encoding: .utf8)
    #expect(md.contains("no data read") && md.contains("| vs_A | yes |"))
    let html = try String(contentsOfFile: run + "/report/index.html", encoding: .utf8)
    #expect(html.contains("<section id=\"optimisation\">") && html.contains("Objective vs the signal efficiency of stage vs_B"))
  }

  @Test func sameBytesForAnyThreadCount() throws {
    var outputs: [[String]] = []
    for threads in [1, 2] {
      let dir = TestPaths.temporaryDirectory("opt-threads")
      let path = try writeOptimised(dir, budget: 8)
      try CascadeWorkflow.train(path, threads: threads, console: CapturedConsole().console())
      outputs.append(try ["tables/optimisation.json", "tables/optimisation.md", "models/vs_A.json", "models/vs_B.json", "train-summary.json"]
        .map { try String(contentsOfFile: dir + "/run/" + $0, encoding: .utf8) })
    }
    #expect(outputs[0] == outputs[1])
  }

  /// Blinding: a different data file changes nothing, and the search runs with the data file gone.
  @Test func dataIsNeverRead() throws {
    let a = TestPaths.temporaryDirectory("opt-blind-a")
    try CascadeWorkflow.train(try writeOptimised(a, budget: 8), threads: 2, console: CapturedConsole().console())
    let b = TestPaths.temporaryDirectory("opt-blind-b")
    let path = try writeOptimised(b, budget: 8)
    // Other data: the signal file's events only, unweighted.
    let other = try openEventFile(b + "/signal.h5").readAll(columns: ["event_number", "a", "b", "m"])
    try writeEventFile(other, to: b + "/data.h5")
    let config = try CascadeConfig.load(path: path)
    let inner = try #require(try RunOptimisation.search(config))
    let dataSample = Int32(config.samples.firstIndex { $0.role == .data }!)
    let search = ThresholdSearch(doubleColumns: inner.doubleColumns) { trained in
      #expect(!trained.events.sampleIndex.contains(dataSample))
      // The data file is away while the search runs (the manifest's input checksums read it afterwards).
      try FileManager.default.moveItem(atPath: b + "/data.h5", toPath: b + "/hidden")
      defer { try? FileManager.default.moveItem(atPath: b + "/hidden", toPath: b + "/data.h5") }
      #expect(!FileManager.default.fileExists(atPath: b + "/data.h5"))
      return try inner.choose(trained)
    }
    try CascadePipeline.train(config, search: search)
    for f in ["tables/optimisation.json", "models/vs_A.json", "models/vs_B.json"] {
      #expect(try String(contentsOfFile: a + "/run/" + f, encoding: .utf8) == String(contentsOfFile: b + "/run/" + f, encoding: .utf8), "\(f)")
    }
  }

  @Test func trainingWithoutTheSearchIsRefused() throws {
    let dir = TestPaths.temporaryDirectory("opt-nosearch")
    let config = try CascadeConfig.load(path: try writeOptimised(dir))
    #expect(throws: UserError.self) { try CascadePipeline.train(config) }
    #expect(!FileManager.default.fileExists(atPath: dir + "/run/models"))
  }
}
