import ArgumentParser
import Analysis
import Cascade
import CascadeSupport
import Foundation
import YieldFit

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "The whole chain in one command: validate → train → apply → evaluate → report → fit.",
    discussion: """
      Writes the run directory (the config's output): config.json, manifest.json, models/,
      train-summary.json, scores/, regions/, tables/, report/index.html and fit/.
      """)

  @Argument(help: "The JSON config file.") var config: String
  @Option(help: "Worker threads (0 = all cores); never changes the results.") var threads: Int?
  @Flag(help: "Fit an Asimov dataset instead of the data sample.") var asimov = false
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    var cfg = try CascadeConfig.load(path: config)
    if let threads { cfg.setThreads(threads) }
    let progress = Progress.printer(quiet: quiet)
    progress("validate \(config)")
    let problems = ConfigValidation.problems(cfg)
    if let first = problems.first { throw UserError("\(config): \(first)") }
    try CascadePipeline.train(cfg, progress: progress)
    try CascadePipeline.apply(cfg, options: .init(), progress: progress)
    try RunSteps.afterApply(cfg, asimov: asimov, progress: progress, quiet: quiet)
  }
}
