import ArgumentParser
import Cascade
import CascadeSupport
import Evaluation

struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Write tables/ (ROC, efficiency, cutflow, working-point scans) for a trained cascade.",
    discussion: """
      Scores every event of every sample with every stage (out of fold; in fold for the
      overtraining check) and writes tables/efficiency.{md,csv,json}, tables/cutflow.{md,csv,json},
      tables/roc_<stage>.csv, tables/wpscan_<stage>.csv and tables/evaluation.json. `cascade run`
      does this after apply; the batch merge job runs it after `cascade merge`.
      """)

  @Argument(help: "The JSON config file (or a run directory holding config.json).") var config: String
  @Option(help: "Worker threads (0 = all cores); never changes the results.") var threads: Int?
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    var cfg = try ConfigArgument.load(config)
    if let threads { cfg.setThreads(threads) }
    try RunEvaluation.evaluate(cfg, progress: Progress.printer(quiet: quiet))
    if !quiet { print("tables: \(RunDirectory(cfg.output).tables)") }
  }
}

enum ConfigArgument {
  /// A config file, or a run directory (its `config.json` copy).
  static func load(_ path: String) throws -> CascadeConfig {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
      return try CascadeConfig.load(runDirectory: path)
    }
    return try CascadeConfig.load(path: path)
  }
}

import Foundation
