import ArgumentParser
import Workflow

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a config: schema, names, files and globs, and that every column exists in every file.",
    discussion: """
      Each problem is printed on its own line with its JSON path, e.g.

        stages[1].features[2]: column "ht" not found in samples/toy/ttbar.h5

      Exits 1 if there is any problem.
      """)

  @Argument(help: "The JSON config file.") var config: String

  func run() throws {
    try CascadeWorkflow.validate(config, console: .standard())
  }
}
