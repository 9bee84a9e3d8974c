import CascadeSupport
import EventData
import Foundation
import Testing
import TestSupport
import Workflow

@Suite struct CascadeWorkflowTests {
  @Test func runChainsTrainApplyEvaluateFitAndReport() throws {
    let dir = TestPaths.temporaryDirectory("workflow-run")
    let config = try writeTinyCascade(dir)
    let captured = CapturedConsole()
    try CascadeWorkflow.run(config, threads: 2, asimov: false, console: captured.console())
    let run = dir + "/run"
    #expect(captured.stdout == "run directory: \(run)\nreport: \(run)/report/index.html\n")
    let progress = captured.stderr.split(separator: "\n")
    #expect(progress.first == "· validate \(config)")
    #expect(progress.contains("· fit \(run)/regions") && progress.last == "· report \(run)/report/index.html")
    let files = Set(listFiles(run))
    for f in ["models/vs_A.json", "models/vs_B.json", "train-summary.json", "tables/evaluation.json", "fit/result.json",
              "fit/workspace.json", "report/index.html", "regions/SR/signal.h5", "regions/CR_bkgA/data.h5"] {
      #expect(files.contains(f), "missing \(f) in \(files.sorted())")
    }
    // Every event lands in exactly one region: the region files hold each sample once.
    var signalRows = 0
    for r in ["SR", "CR_bkgA", "CR_bkgB"] where files.contains("regions/\(r)/signal.h5") {
      signalRows += try openEventFile(run + "/regions/\(r)/signal.h5").rowCount
    }
    #expect(signalRows == 800)

    // --quiet: the same outputs, no progress and no summary. Here the evaluation reads and
    // scores every event itself; `run` used its apply pass's scores: the tables are the same.
    func tables() -> [String: Data] {
      Dictionary(uniqueKeysWithValues: listFiles(run + "/tables").map { ($0, FileManager.default.contents(atPath: run + "/tables/" + $0)!) })
    }
    let fromRun = tables()
    #expect(fromRun.keys.contains("evaluation.json"))
    let quiet = CapturedConsole()
    try CascadeWorkflow.afterApply(try CascadeWorkflow.loadConfig(run), asimov: true, console: quiet.console(quiet: true))
    #expect(quiet.stdout.isEmpty && !quiet.stderr.contains("· "), "\(quiet.stderr)")
    #expect(tables() == fromRun)

    let text = CapturedConsole()
    try ReportWorkflow.report(.run(run, format: .text), console: text.console())
    #expect(text.stdout.contains("vs_A") && text.stdout.contains("vs_B"))
  }

  @Test func validateReportsEveryProblemThenFails() throws {
    let dir = TestPaths.temporaryDirectory("workflow-validate")
    let config = try writeTinyCascade(dir)
    let ok = CapturedConsole()
    try CascadeWorkflow.validate(config, console: ok.console())
    #expect(ok.stdout == "\(config): OK — 4 samples (4 files), 2 stages, regions CR_bkgA, CR_bkgB, SR\n")

    let text = try String(contentsOfFile: config, encoding: .utf8)
      .replacingOccurrences(of: #""features": ["b"]"#, with: #""features": ["bb"]"#)
    try text.write(toFile: config, atomically: true, encoding: .utf8)
    let bad = CapturedConsole()
    #expect(throws: ProblemsReported.self) { try CascadeWorkflow.validate(config, console: bad.console()) }
    #expect(bad.stdout.isEmpty)
    #expect(bad.stderr.hasPrefix("\(config): stages[1].features[0]: column \"bb\" not found"), "\(bad.stderr)")
  }

  @Test func generateChecksItsSettingsBeforeWriting() {
    let dir = TestPaths.temporaryDirectory("workflow-generate") + "/out"
    let console = CapturedConsole().console()
    #expect(userErrorMessage { try ToyWorkflow.generate(ToySettings(eventsPerProcess: 0), format: .h5, to: dir, console: console) }
      == "--events: expected 1 … 900000000, got 0")
    #expect(userErrorMessage { try ToyWorkflow.generate(ToySettings(luminosityFb: .infinity), format: .csv, to: dir, console: console) }
      == "--lumi: expected a positive number, got inf")
    #expect(userErrorMessage { try ToyWorkflow.generate(ToySettings(threads: -1), format: .csv, to: dir, console: console) }
      == "--threads: expected ≥ 0, got -1")
    #expect(!FileManager.default.fileExists(atPath: dir))
  }

  @Test func delimitersAndColumnLists() throws {
    #expect(try Delimiter.parse("\\t") == UInt8(ascii: "\t") && Delimiter.parse("TAB") == UInt8(ascii: "\t"))
    #expect(try Delimiter.parse(";") == UInt8(ascii: ";"))
    #expect(userErrorMessage { _ = try Delimiter.parse("ab") } == "--delimiter must be a single character (or \\t), got \"ab\"")
    #expect(userErrorMessage { _ = try Delimiter.parse("\"") } == "--delimiter must be a single character (or \\t), got \"\"\"")
    #expect(ColumnList.parse(" a, b ,,c ") == ["a", "b", "c"])
  }
}
