import Cascade
import CascadeSupport
import Foundation
import TestSupport
import Testing

/// A stand-in batch system: `sbatch`, `scontrol` as tiny shell scripts on a private PATH.
/// `sbatch` logs its arguments and answers ids 100, 101, … in `--parsable` form.
struct FakeSlurm {
  let dir: String
  var bin: String { dir + "/bin" }
  var runner: ToolRunner { ToolRunner(environment: ["PATH": bin, "FAKE": dir]) }

  /// `scontrol`: prints `scontrolOutput` (`scontrol -o show job`); absent when nil.
  /// `failOn`: sbatch rejects scripts whose path contains this.
  init(scontrolOutput: String? = nil, failOn: String? = nil) throws {
    dir = TestPaths.temporaryDirectory("fake-slurm")
    try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
    var sbatch = """
      #!/bin/sh
      for a in "$@"; do printf '%s\\n' "$a" >> "$FAKE/sbatch.log"; done
      printf -- '--\\n' >> "$FAKE/sbatch.log"

      """
    if let failOn {
      sbatch += """
        case "$*" in *\(failOn)*) echo "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2; exit 1;; esac

        """
    }
    sbatch += """
      n=100; [ -f "$FAKE/next" ] && read n < "$FAKE/next"
      echo $((n + 1)) > "$FAKE/next"
      echo "$n;cascadetest"

      """
    try install("sbatch", sbatch)
    if let scontrolOutput {
      try install("scontrol", "#!/bin/sh\n/bin/cat <<'EOF'\n\(scontrolOutput)\nEOF\n")
    }
  }

  private func install(_ name: String, _ text: String) throws {
    let path = bin + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o755)
  }

  /// Argument vectors sbatch was called with, in order.
  func sbatchCalls() -> [[String]] {
    guard let text = try? String(contentsOfFile: dir + "/sbatch.log", encoding: .utf8) else { return [] }
    var calls: [[String]] = [], current: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line == "--" { calls.append(current); current = [] } else if !line.isEmpty { current.append(String(line)) }
    }
    return calls
  }
}

/// A one-stage config with `"output": "runs/toy"` in a fresh directory (its sample files exist but
/// are empty: submit reads the config, never the events); returns (config, run dir).
func makeConfig() throws -> (config: String, run: String) {
  let dir = TestPaths.temporaryDirectory("submit")
  try FileManager.default.createDirectory(atPath: dir + "/samples", withIntermediateDirectories: true)
  for s in ["signal", "wjets"] { FileManager.default.createFile(atPath: dir + "/samples/\(s).h5", contents: Data()) }
  try #"""
    {"name": "toy", "output": "runs/toy",
     "samples": [{"name": "signal", "role": "signal", "files": "samples/signal.h5", "weight": "weight"},
                 {"name": "wjets", "role": "background", "files": "samples/wjets.h5", "weight": "weight"}],
     "stages": [{"name": "vs_wjets", "background": "wjets", "features": ["photon_iso"],
                 "working_point": {"signal_efficiency": 0.9}}]}
    """#.write(toFile: dir + "/toy.json", atomically: true, encoding: .utf8)
  return (dir + "/toy.json", dir + "/runs/toy")
}

/// Writes a complete shard: one output file and a manifest describing it.
func writeShard(run: String, shard: Int, shards: Int) throws {
  let dir = ShardManifest.directory(runDirectory: run, shard: shard)
  try AtomicFile.write("scores of shard \(shard)\n", to: dir + "/scores/signal/a.h5")
  let outputs = try ShardManifest.describeOutputs(shardDirectory: dir, relativePaths: ["scores/signal/a.h5"])
  let m = ShardManifest(shard: shard, shards: shards, configChecksum: "c0ffee", inputs: [], outputs: outputs)
  try JSONFile.write(m, to: ShardManifest.path(runDirectory: run, shard: shard))
}

@Suite struct SlurmSubmitTests {
  @Test func runDirectoryIsTheOutputRelativeToTheConfig() throws {
    let (config, run) = try makeConfig()
    let target = try SlurmSubmitter.runTarget(configPath: config)
    #expect(target.runDirectory == URL(fileURLWithPath: run).standardizedFileURL.path)
    #expect(target.name == "toy")
    #expect(throws: UserError("/nonexistent/c.json: no such config file")) {
      try SlurmSubmitter.runTarget(configPath: "/nonexistent/c.json")
    }
    // A broken config is reported before anything is written or queued.
    try #"{"name": "toy", "outptu": "x"}"#.write(toFile: config, atomically: true, encoding: .utf8)
    let fake = try FakeSlurm()
    #expect(throws: UserError.self) {
      try SlurmSubmitter(runner: fake.runner).submit(SlurmSubmitRequest(configPath: config, shards: 2, cascadeBinary: "/x"))
    }
    #expect(fake.sbatchCalls().isEmpty && !FileManager.default.fileExists(atPath: run))
  }

  @Test func submitChainsTrainArrayAndMergeAndRecordsIDs() throws {
    let (config, run) = try makeConfig()
    let fake = try FakeSlurm()
    let result = try SlurmSubmitter(runner: fake.runner, now: { Date(timeIntervalSince1970: 1_800_000_000) }).submit(
      SlurmSubmitRequest(configPath: config, shards: 4, options: SlurmOptions(maxParallel: 2), train: true, cascadeBinary: "/opt/bin/cascade"))
    let s = run + "/slurm/"
    #expect(fake.sbatchCalls() == [
      ["--parsable", s + "train.sbatch"],
      ["--parsable", "--dependency=afterok:100", s + "apply.sbatch"],
      ["--parsable", "--dependency=afterok:101", s + "merge.sbatch"],
    ])
    #expect(result.submission == SlurmJobRecord.Submission(
      submitted: "2027-01-15T08:00:00Z", resume: false, tasks: [0, 1, 2, 3], array: "0-3%2", train: "100", apply: "101", merge: "102"))
    let record = try #require(try SlurmJobRecord.load(runDirectory: run))
    #expect(record.shards == 4 && record.submissions == [result.submission!])
    #expect(record.latestTask(shard: 3)?.id == "101_3")
    #expect(FileManager.default.fileExists(atPath: s + "logs"))
    #expect(try String(contentsOfFile: s + "apply.sbatch", encoding: .utf8).contains("--array=0-3%2\n"))
  }

  @Test func dryRunWritesScriptsOnly() throws {
    let (config, run) = try makeConfig()
    let fake = try FakeSlurm()
    let result = try SlurmSubmitter(runner: fake.runner).submit(
      SlurmSubmitRequest(configPath: config, shards: 3, dryRun: true, cascadeBinary: "/opt/bin/cascade"))
    #expect(fake.sbatchCalls().isEmpty)
    #expect(result.submission == nil)
    #expect(listFiles(run) == ["slurm/apply.sbatch", "slurm/merge.sbatch"])
    #expect(result.commands == [
      ["sbatch", "--parsable", run + "/slurm/apply.sbatch"],
      ["sbatch", "--parsable", "--dependency=afterok:<apply id>", run + "/slurm/merge.sbatch"],
    ])
  }

  @Test func freshSubmitDropsShardsOfAnEarlierRun() throws {
    let (config, run) = try makeConfig()
    try writeShard(run: run, shard: 5, shards: 6)
    let fake = try FakeSlurm()
    _ = try SlurmSubmitter(runner: fake.runner).submit(SlurmSubmitRequest(configPath: config, shards: 2, cascadeBinary: "/x"))
    #expect(!FileManager.default.fileExists(atPath: run + "/shards"))
  }

  @Test func resumeSubmitsOnlyIncompleteShards() throws {
    let (config, run) = try makeConfig()
    let fake = try FakeSlurm(scontrolOutput: """
      JobId=100 ArrayJobId=100 ArrayTaskId=0 JobState=COMPLETED Reason=None
      JobId=103 ArrayJobId=100 ArrayTaskId=1 JobState=CANCELLED Reason=None
      JobId=104 ArrayJobId=100 ArrayTaskId=2 JobState=COMPLETED Reason=None
      JobId=105 ArrayJobId=100 ArrayTaskId=3 JobState=FAILED Reason=NonZeroExitCode
      JobId=101 JobState=CANCELLED Reason=DependencyNeverSatisfied
      """)
    let submitter = SlurmSubmitter(runner: fake.runner)
    _ = try submitter.submit(SlurmSubmitRequest(configPath: config, shards: 4, options: SlurmOptions(maxParallel: 2), cascadeBinary: "/x"))
    // Shards 0 and 2 completed; 1 never wrote a manifest; 3's output no longer matches its manifest.
    try writeShard(run: run, shard: 0, shards: 4)
    try writeShard(run: run, shard: 2, shards: 4)
    try writeShard(run: run, shard: 3, shards: 4)
    try AtomicFile.write("truncated", to: run + "/shards/3/scores/signal/a.h5")

    let status = try RunStatus.load(runDirectory: run, runner: fake.runner)
    #expect(status.shards.map(\.state) == [.done, .failed, .done, .failed])
    #expect(status.shards.map(\.job) == ["100_0", "100_1", "100_2", "100_3"])
    #expect(status.shards.map(\.detail) == ["manifest verified", "CANCELLED", "manifest verified", "corrupt (manifest or outputs do not match)"])
    #expect(status.jobs.map(\.state) == ["CANCELLED 1, COMPLETED 2, FAILED 1", "CANCELLED"])

    let result = try submitter.submit(SlurmSubmitRequest(configPath: config, shards: 4, options: SlurmOptions(maxParallel: 2),
                                                         resume: true, cascadeBinary: "/x"))
    #expect(result.tasks == [1, 3] && result.skipped == [0, 2])
    #expect(fake.sbatchCalls().suffix(2) == [
      ["--parsable", "--array=1,3%2", run + "/slurm/apply.sbatch"],
      ["--parsable", "--dependency=afterok:102", run + "/slurm/merge.sbatch"],
    ])
    let record = try #require(try SlurmJobRecord.load(runDirectory: run))
    #expect(record.submissions.count == 2)
    #expect(record.latestTask(shard: 1)?.id == "102_1")
    #expect(record.latestTask(shard: 0)?.id == "100_0")
    // The kept shards are untouched by a resume.
    #expect(shardStates(runDirectory: run, shards: 4)[0] == .done)
  }

  @Test func resumeWithEveryShardCompleteSubmitsOnlyTheMerge() throws {
    let (config, run) = try makeConfig()
    let fake = try FakeSlurm()
    for i in 0..<2 { try writeShard(run: run, shard: i, shards: 2) }
    let result = try SlurmSubmitter(runner: fake.runner).submit(SlurmSubmitRequest(configPath: config, shards: 2, resume: true, cascadeBinary: "/x"))
    #expect(result.tasks.isEmpty)
    #expect(fake.sbatchCalls() == [["--parsable", run + "/slurm/merge.sbatch"]])
    #expect(result.submission?.apply == nil && result.submission?.merge == "100")
  }

  @Test func submittingWhileEarlierJobsRunIsRefused() throws {
    let (config, _) = try makeConfig()
    let fake = try FakeSlurm(scontrolOutput: """
      JobId=100 ArrayJobId=100 ArrayTaskId=0 JobState=COMPLETED Reason=None
      JobId=102 ArrayJobId=100 ArrayTaskId=1 JobState=RUNNING Reason=None
      JobId=101 JobState=PENDING Reason=Dependency
      """)
    let submitter = SlurmSubmitter(runner: fake.runner)
    _ = try submitter.submit(SlurmSubmitRequest(configPath: config, shards: 2, cascadeBinary: "/x"))
    #expect(throws: UserError("jobs of an earlier submission of this run are still queued or running (100_1 RUNNING, 101 PENDING); wait for them or scancel them first")) {
      try submitter.submit(SlurmSubmitRequest(configPath: config, shards: 2, resume: true, cascadeBinary: "/x"))
    }
    #expect(fake.sbatchCalls().count == 2)
  }

  @Test func resumeWithAnotherShardCountIsRefused() throws {
    let (config, _) = try makeConfig()
    let fake = try FakeSlurm()
    let submitter = SlurmSubmitter(runner: fake.runner)
    _ = try submitter.submit(SlurmSubmitRequest(configPath: config, shards: 2, cascadeBinary: "/x"))
    #expect(throws: UserError.self) {
      try submitter.submit(SlurmSubmitRequest(configPath: config, shards: 3, resume: true, cascadeBinary: "/x"))
    }
  }

  @Test func sbatchFailureNamesTheScriptAndWhatWasAlreadySubmitted() throws {
    let (config, run) = try makeConfig()
    let fake = try FakeSlurm(failOn: "merge.sbatch")
    #expect(throws: UserError("sbatch merge.sbatch: sbatch: error: Batch job submission failed: Invalid partition name specified; already submitted: 100 (scancel 100 to withdraw them)")) {
      try SlurmSubmitter(runner: fake.runner).submit(SlurmSubmitRequest(configPath: config, shards: 2, cascadeBinary: "/x"))
    }
    // The array that did go in is on record, so status and resume know about it.
    let record = try #require(try SlurmJobRecord.load(runDirectory: run))
    #expect(record.submissions.map(\.apply) == ["100"] && record.submissions.map(\.merge) == [nil])
  }

  @Test func withoutSbatchTheErrorPointsToDryRun() throws {
    let (config, _) = try makeConfig()
    let runner = ToolRunner(environment: ["PATH": TestPaths.temporaryDirectory("empty-path")])
    #expect(throws: UserError("sbatch: command not found on PATH (is this a SLURM submit host? --dry-run writes the scripts only)")) {
      try SlurmSubmitter(runner: runner).submit(SlurmSubmitRequest(configPath: config, shards: 2, cascadeBinary: "/x"))
    }
  }

  @Test func statusWithoutSlurmToolsUsesManifestsOnly() throws {
    let (_, run) = try makeConfig()
    try writeShard(run: run, shard: 1, shards: 3)
    let runner = ToolRunner(environment: ["PATH": TestPaths.temporaryDirectory("empty-path")])
    let status = try RunStatus.load(runDirectory: run, runner: runner)
    #expect(status.shards.map(\.state) == [.pending, .done, .pending])
    #expect(status.slurmSource == nil && status.jobs.isEmpty)
    #expect(status.rendered().hasPrefix("run \(run): 3 shards: 1 done, 2 pending, 0 failed\n"))
    #expect(throws: UserError.self) { try RunStatus.load(runDirectory: run + "/nope", runner: runner) }
  }
}

/// The two commands end to end through the built executable.
@Suite struct SubmitStatusCommandTests {
  @Test func dryRunPrintsTheCommandsAndScriptsRunThisExecutable() throws {
    let (config, run) = try makeConfig()
    let r = try runCascade(["submit", config, "--scheduler", "slurm", "--shards", "2", "--train", "--dry-run"])
    #expect(r.status == 0)
    #expect(r.stdout == """
      wrote \(run)/slurm/train.sbatch
      wrote \(run)/slurm/apply.sbatch
      wrote \(run)/slurm/merge.sbatch
      would run: sbatch --parsable \(run)/slurm/train.sbatch
      would run: sbatch --parsable '--dependency=afterok:<train id>' \(run)/slurm/apply.sbatch
      would run: sbatch --parsable '--dependency=afterok:<apply id>' \(run)/slurm/merge.sbatch

      """)
    // Jobs run the very executable that wrote the scripts, by its resolved absolute path.
    let binary = URL(fileURLWithPath: TestPaths.cascadeBinary).resolvingSymlinksInPath().path
    let apply = try String(contentsOfFile: run + "/slurm/apply.sbatch", encoding: .utf8)
    #expect(apply.contains("exec \(SlurmScripts.shellQuote(binary)) apply \(SlurmScripts.shellQuote(config)) --shard \"${SLURM_ARRAY_TASK_ID}/2\"\n"))
  }

  @Test func badArgumentsAreOneLineErrors() throws {
    let (config, _) = try makeConfig()
    let pbs = try runCascade(["submit", config, "--scheduler", "pbs", "--shards", "2"])
    #expect(pbs.status == 1 && pbs.stderr == "cascade: error: The value 'pbs' is invalid for '--scheduler <scheduler>'. Please provide one of 'slurm'.\n")
    let zero = try runCascade(["submit", config, "--scheduler", "slurm", "--shards", "0", "--dry-run"])
    #expect(zero.status == 1 && zero.stderr == "cascade: error: --shards 0: must be at least 1\n")
    let status = try runCascade(["status", "/nonexistent/run"])
    #expect(status.status == 1 && status.stderr == "cascade: error: /nonexistent/run: no such run directory\n")
  }

  @Test func statusJSONCountsShards() throws {
    let (_, run) = try makeConfig()
    try writeShard(run: run, shard: 0, shards: 2)
    let r = try runCascade(["status", run, "--json"], environment: ["PATH": TestPaths.temporaryDirectory("empty-path")])
    #expect(r.status == 0)
    let json = try JSONValue.parse(r.stdout, source: "status")
    #expect(json["shards"] == 2 && json["done"] == 1 && json["pending"] == 1 && json["failed"] == 0)
    #expect(json["slurm_source"] == .null)
  }
}
