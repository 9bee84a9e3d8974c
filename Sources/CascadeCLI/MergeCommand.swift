import ArgumentParser
import Workflow

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the shards of a sharded apply into scores/ and regions/.",
    discussion: """
      Checks that every shard 0..N-1 is present once and complete (manifest, sizes, checksums) and that no input rows are covered twice; then concatenates each output in shard order. The result is byte-identical to an unsharded `cascade apply`.

      A missing, duplicate or corrupt shard is an error naming it, and nothing is merged.
      """)

  @Argument(help: "The run directory (the config's output).") var runDirectory: String
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    try CascadeWorkflow.merge(runDirectory, console: .standard(quiet: quiet))
  }
}
