import ArgumentParser
import Workflow

struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Write tables/ (ROC, efficiency, cutflow, working-point scans) for a trained cascade.",
    discussion: """
      Scores every event of every sample with every stage (out of fold; in fold for the overtraining check) and writes tables/efficiency.{md,csv,json}, tables/cutflow.{md,csv,json}, tables/roc_<stage>.csv, tables/wpscan_<stage>.csv and tables/evaluation.json.

      `cascade run` does this after apply; the batch merge job runs it after `cascade merge`.
      """)

  @Argument(help: "The JSON config file (or a run directory holding config.json).") var config: String
  @Option(help: "Worker threads (0 = all cores); never changes the results.") var threads: Int?
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    try CascadeWorkflow.evaluate(config, threads: threads, console: .standard(quiet: quiet))
  }
}
