import ArgumentParser
import Cascade
import Workflow

/// `cascade submit`: runs a sharded apply on a batch system (SLURM job arrays).
struct SubmitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "submit",
    abstract: "Run the apply step as a SLURM job array of N shards, then merge, evaluate, fit and report.",
    discussion: """
      Writes <run>/slurm/apply.sbatch (array task i runs `cascade apply CONFIG --shard i/N`), <run>/slurm/merge.sbatch (`cascade merge`, `evaluate`, `fit --run`, `report`) and, with --train, train.sbatch; submits them with sbatch, chained by afterok dependencies, and records the job ids in <run>/slurm/jobs.json. <run> is the config's `output`.

      Jobs run this very cascade executable, by absolute path. Logs: <run>/slurm/logs/. Follow progress with `cascade status <run>`.
      """)

  @Argument(help: "The cascade config (JSON).")
  var config: String

  @Option(help: "Batch system.")
  var scheduler: Scheduler

  @Option(help: "Number of shards (array tasks).")
  var shards: Int

  @Option(help: "SLURM partition (--partition).")
  var partition: String?

  @Option(help: "Time limit per job, any SLURM format, e.g. 1:00:00 (--time).")
  var time: String?

  @Option(help: "Memory per job, e.g. 4G (--mem).")
  var mem: String?

  @Option(help: "CPUs per task (--cpus-per-task).")
  var cpus: Int?

  @Option(help: "Account to charge (--account).")
  var account: String?

  @Option(name: .customLong("max-parallel"), help: "Run at most K array tasks at once (--array=…%K).")
  var maxParallel: Int?

  @Flag(help: "Submit `cascade train CONFIG` first; the array starts after it succeeds.")
  var train = false

  @Flag(name: .customLong("dry-run"), help: "Write the scripts and print the sbatch commands; submit nothing.")
  var dryRun = false

  @Flag(help: "Resubmit only the shards without a complete manifest, plus a merge job.")
  var resume = false

  func run() throws {
    let request = SlurmSubmitRequest(
      configPath: config, shards: shards,
      options: SlurmOptions(partition: partition, time: time, memory: mem, cpus: cpus, account: account, maxParallel: maxParallel),
      train: train, dryRun: dryRun, resume: resume, cascadeBinary: ToolRunner.currentExecutable())
    try SubmitWorkflow.submit(request, scheduler: scheduler, console: .standard())
  }
}
