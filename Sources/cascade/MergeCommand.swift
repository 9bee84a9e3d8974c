import ArgumentParser
import Cascade
import CascadeSupport

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the shards of a sharded apply into scores/ and regions/.",
    discussion: """
      Checks that every shard 0..N-1 is present once and complete (manifest, sizes, checksums)
      and that no input rows are covered twice; then concatenates each output in shard order.
      The result is byte-identical to an unsharded `cascade apply`. A missing, duplicate or
      corrupt shard is an error naming it, and nothing is merged.
      """)

  @Argument(help: "The run directory (the config's output).") var runDirectory: String
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    let summary = try Merger.merge(runDirectory: runDirectory, progress: Progress.printer(quiet: quiet))
    if !quiet { print("merged \(summary.shards) shards into \(summary.outputs.count) files") }
  }
}
