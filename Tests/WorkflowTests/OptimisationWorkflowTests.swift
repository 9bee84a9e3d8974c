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
    #expect(html.contains("<section id=\"optimisation\">") && html.contains("Objective vs the threshold of stage vs_B"))
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

/// With the config's systematics (weight, shift of a feature and of the observable, an
/// alternative sample, lumi) the search's objective is still the run's own Asimov fit.
@Suite struct OptimisationSystematicsTests {
  /// Adds variation columns to the tiny cascade's MC files and an alternative bkgB sample.
  func writeVaried(_ dir: String) throws -> String {
    let path = try OptimisationWorkflowTests().writeOptimised(dir, budget: 12)
    for name in ["signal", "bkgA", "bkgB"] {
      let t = try openEventFile(dir + "/\(name).h5").readAll()
      let a = try t.column(named: "a").float32Values(), b = try t.column(named: "b").float32Values()
      let m = try t.column(named: "m").float32Values(), w = try t.column(named: "weight").float64Values()
      var columns = t.columns + [
        Column("w_up", .float64(zip(w, a).map { $0 * ($1 > 0 ? 1.1 : 0.95) })),
        Column("b_up", .float32(b.map { $0 + 0.3 })), Column("b_down", .float32(b.map { $0 - 0.3 })),
        Column("m_up", .float32(m.map { $0 * 1.03 })), Column("m_down", .float32(m.map { $0 * 0.97 })),
      ]
      try writeEventFile(try EventTable(columns: columns), to: dir + "/\(name).h5")
      if name == "bkgB" {
        columns = try EventTable(columns: columns).columns.map { c in
          c.name == "b" ? Column("b", .float32(b.map { $0 + 0.4 })) : c.name == "weight" ? Column("weight", .float64(w.map { $0 * 1.2 })) : c
        }
        try writeEventFile(try EventTable(columns: columns), to: dir + "/bkgB_alt.h5")
      }
    }
    var text = try String(contentsOfFile: path, encoding: .utf8)
    text = text.replacingOccurrences(of: #""optimisation": {"#, with: #"""
      "systematics": [
        {"name": "bshift", "type": "shift", "columns": {"b": ["b_up", "b_down"], "m": ["m_up", "m_down"]}},
        {"name": "wsf", "type": "weight", "up": "w_up"},
        {"name": "generator", "type": "files", "samples": ["bkgB"], "up": ["bkgB_alt.h5"]},
        {"name": "lumi", "type": "lumi", "sigma": 0.02}],
      "optimisation": {
      """#)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func objectiveIsTheRunsAsimovFitWithSystematics() throws {
    let dir = TestPaths.temporaryDirectory("opt-syst")
    let path = try writeVaried(dir)
    try CascadeWorkflow.run(path, threads: 2, asimov: false, console: CapturedConsole().console())
    let run = dir + "/run"
    let r = try OptimisationWorkflowTests().record(run)
    #expect(r.notes.contains { $0.contains("bshift, wsf, generator, lumi") })
    #expect(r.end <= r.start)
    let config = try CascadeConfig.load(path: path)
    let fitted = try #require(try SystematicFit.fit(config, asimov: true))
    #expect(fitted.model.parameterNames.contains("bshift") && fitted.model.parameterNames.contains("generator"))
    #expect(try AsimovObjective(.expectedPOIError).value(fitted.workspace) == r.end)
    // Without the systematics the same thresholds give a different (smaller) expected error.
    var nominal = config
    nominal.systematics = []
    let fit = try FitBlock.parse(config.fit!)
    let regions = try RunFit.histograms(nominal, fit: fit, runDirectory: run)
    let ws = try buildWorkspace(regions: regions, fit: fit.workspace, signalSamples: ["signal"], asimov: true).workspace
    #expect(try #require(try AsimovObjective(.expectedPOIError).value(ws)) < r.end)
  }
}
