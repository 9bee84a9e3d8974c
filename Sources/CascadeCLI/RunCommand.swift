import ArgumentParser
import Workflow

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "The whole chain in one command: validate → train → apply → evaluate → fit → report.",
    discussion: """
      Writes the run directory (the config's output): config.json, manifest.json, models/, train-summary.json, scores/, regions/, tables/, fit/ (with a fit block) and report/index.html.
      """)

  @Argument(help: "The JSON config file.") var config: String
  @Option(help: "Worker threads (0 = all cores); never changes the results.") var threads: Int?
  @Flag(help: "Fit an Asimov dataset instead of the data sample.") var asimov = false
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    try CascadeWorkflow.run(config, threads: threads, asimov: asimov, console: .standard(quiet: quiet))
  }
}
