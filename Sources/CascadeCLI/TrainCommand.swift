import ArgumentParser
import Workflow

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train every stage of the cascade, in order.",
    discussion: """
      Stage k trains signal vs its background(s) on the MC events that survived stages 1..k-1 (k-fold: every event is scored by a model that never saw it).

      Writes models/<stage>.json (fold models, threshold, working-point record), train-summary.json and manifest.json.
      """)

  @Argument(help: "The JSON config file.") var config: String
  @Option(help: "Worker threads (0 = all cores); never changes the results.") var threads: Int?
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    try CascadeWorkflow.train(config, threads: threads, console: .standard(quiet: quiet))
  }
}
