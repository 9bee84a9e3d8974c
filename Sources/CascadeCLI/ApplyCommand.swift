import ArgumentParser
import Workflow

struct ApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Score and route every event; write scores/ and the purified regions/ samples.",
    discussion: """
      Streams each input in blocks of training.chunk_rows rows (memory does not grow with file size). Writes scores/<sample>/<file stem>.h5 (kept columns + score_<stage> (NaN where not reached), region, fold) and regions/<region>/<sample>.h5.

      With --shard i/N, writes shards/<i>/ and its manifest (last) instead; join the shards with `cascade merge`.

      --files/--sample update only those inputs' score files, and the region files of samples whose every file was applied; the rest of the run directory is left as it is.
      """)

  @Argument(help: "The JSON config file.") var config: String
  @Option(help: "Directory holding <stage>.json models (default: <run>/models).") var models: String?
  @Option(parsing: .upToNextOption, help: "Apply only to these input files (of the config's samples).") var files: [String] = []
  @Option(help: "Apply only to this sample.") var sample: String?
  @Option(help: "Process part i of N (0-based), e.g. 2/8.") var shard: String?
  @Option(help: "Run directory (default: the config's output).") var out: String?
  @Option(help: "Worker threads (0 = all cores); never changes the results.") var threads: Int?
  @Flag(help: "Print no progress.") var quiet = false

  func run() throws {
    var request = ApplyRequest(config: config)
    request.models = models
    request.files = files
    request.sample = sample
    request.shard = shard
    request.output = out
    request.threads = threads
    try CascadeWorkflow.apply(request, console: .standard(quiet: quiet))
  }
}
