import ArgumentParser
import Workflow

/// `cascade status`: which shards of a batch run are done, pending or failed.
struct StatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show which shards of a sharded run are done, pending or failed.",
    discussion: """
      A shard is done when shards/<i>/manifest.json exists and every output matches its size and checksum; failed when its outputs are corrupt or its SLURM task ended without a manifest (FAILED, CANCELLED, TIMEOUT, …); pending otherwise.

      SLURM states of the jobs recorded in <run>/slurm/jobs.json come from sacct, else scontrol, else squeue, when available.
      """)

  @Argument(help: "The run directory (the config's `output`).")
  var runDirectory: String

  @Flag(help: "Print the status as JSON.")
  var json = false

  func run() throws {
    try CascadeWorkflow.status(runDirectory, json: json, console: .standard())
  }
}
