import CascadeSupport
import Foundation

/// What `cascade submit` was asked to do.
public struct SlurmSubmitRequest: Sendable {
  public var configPath: String
  public var shards: Int
  public var options: SlurmOptions
  /// Submit a training job first; the apply array waits for it.
  public var train: Bool
  /// Write the scripts, submit nothing.
  public var dryRun: Bool
  /// Submit only the shards without a complete manifest, plus a merge job.
  public var resume: Bool
  /// The `cascade` executable the jobs run.
  public var cascadeBinary: String

  /// A request to run the config at `configPath` (relative to the current directory) as `shards`
  /// array tasks with `cascadeBinary`; by default apply and merge only, submitted for real.
  public init(configPath: String, shards: Int, options: SlurmOptions = SlurmOptions(), train: Bool = false,
              dryRun: Bool = false, resume: Bool = false, cascadeBinary: String) {
    self.configPath = configPath
    self.shards = shards
    self.options = options
    self.train = train
    self.dryRun = dryRun
    self.resume = resume
    self.cascadeBinary = cascadeBinary
  }
}

/// What `cascade submit` did (or, on a dry run, would do).
public struct SlurmSubmitResult: Sendable {
  public var plan: SlurmJobPlan
  /// Scripts written, in submission order.
  public var scripts: [String]
  /// Shards the array runs.
  public var tasks: [Int]
  /// Shards a resume found complete and skipped.
  public var skipped: [Int]
  /// Each `sbatch` argument vector, in order; on a dry run job ids are `<train id>`/`<apply id>`.
  public var commands: [[String]]
  /// The recorded submission; nil on a dry run.
  public var submission: SlurmJobRecord.Submission?
}

/// `cascade submit --scheduler slurm`: writes the batch scripts of a sharded run and submits them
/// as train → apply array → merge, chained with `afterok` dependencies.
public struct SlurmSubmitter: Sendable {
  public var runner: ToolRunner
  /// Clock for the `submitted` field of `jobs.json`.
  public var now: @Sendable () -> Date

  /// A submitter that calls `sbatch` through `runner` and stamps submissions with `now()`; tests
  /// pass a fake runner and a fixed clock.
  public init(runner: ToolRunner = ToolRunner(), now: @escaping @Sendable () -> Date = { Date() }) {
    self.runner = runner
    self.now = now
  }

  /// Absolute config path, run directory (the config's `output`, resolved exactly as `cascade
  /// apply` resolves it) and config name. The whole config is loaded, so a broken config fails
  /// here, before any job is queued.
  public static func runTarget(configPath: String) throws -> (config: String, runDirectory: String, name: String) {
    let cwd = FileManager.default.currentDirectoryPath
    let config = URL(fileURLWithPath: configPath, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path
    guard FileManager.default.fileExists(atPath: config) else { throw UserError("\(configPath): no such config file") }
    let loaded = try CascadeConfig.load(path: config)
    return (config, loaded.output, loaded.name)
  }

  /// Writes the scripts of `request` under `<run>/slurm/`, then (unless a dry run) submits them in
  /// dependency order and appends the submission to `jobs.json`.
  ///
  /// - Throws: `UserError` for fewer than one shard, invalid options, a broken config, a resume
  ///   with a different shard count, jobs of an earlier submission still queued or running, or a
  ///   failing `sbatch` (the jobs submitted before it are recorded).
  public func submit(_ request: SlurmSubmitRequest) throws -> SlurmSubmitResult {
    guard request.shards >= 1 else { throw UserError("--shards \(request.shards): must be at least 1") }
    try SlurmScripts.validate(request.options)
    let target = try Self.runTarget(configPath: request.configPath)
    let plan = SlurmJobPlan(cascadeBinary: request.cascadeBinary, configPath: target.config, runDirectory: target.runDirectory,
                            name: target.name, shards: request.shards, options: request.options)
    let previous = try SlurmJobRecord.load(runDirectory: plan.runDirectory)
    if request.resume, let previous, previous.shards != request.shards {
      throw UserError("\(SlurmJobRecord.path(runDirectory: plan.runDirectory)): run was submitted with --shards \(previous.shards); resume with the same count")
    }
    if !request.dryRun, let previous { try refuseWhileActive(previous) }

    // Which shards the array runs.
    var tasks = Array(0..<request.shards)
    var skipped: [Int] = []
    if request.resume {
      let states = shardStates(runDirectory: plan.runDirectory, shards: request.shards)
      tasks = states.indices.filter { states[$0] != .done }
      skipped = states.indices.filter { states[$0] == .done }
    }

    // Scripts: always the full set, so they can also be resubmitted by hand.
    var jobs: [SlurmJobKind] = request.train ? [.train] : []
    if !tasks.isEmpty { jobs.append(.apply) }
    jobs.append(.merge)
    var written: [String] = []
    for job in SlurmJobKind.allCases where job != .train || request.train {
      let path = plan.scriptPath(job)
      try AtomicFile.write(try SlurmScripts.script(job, plan: plan), to: path)
      written.append(path)
    }
    try AtomicFile.createDirectory(plan.logDirectory)

    let fullArray = SlurmScripts.arraySpec(tasks: Array(0..<request.shards), maxParallel: request.options.maxParallel)
    let array = tasks.isEmpty ? "" : SlurmScripts.arraySpec(tasks: tasks, maxParallel: request.options.maxParallel)
    func arguments(_ job: SlurmJobKind, after dependency: String?) -> [String] {
      var args = ["--parsable"]
      if let dependency { args.append("--dependency=afterok:\(dependency)") }
      // The script's own --array covers every shard; a resume narrows it on the command line.
      if job == .apply, array != fullArray { args.append("--array=\(array)") }
      args.append(plan.scriptPath(job))
      return args
    }

    if request.dryRun {
      var commands: [[String]] = []
      var last: String? = nil
      for job in jobs {
        commands.append(["sbatch"] + arguments(job, after: last))
        last = "<\(job.rawValue) id>"
      }
      return SlurmSubmitResult(plan: plan, scripts: written, tasks: tasks, skipped: skipped, commands: commands, submission: nil)
    }

    // A fresh submission starts from no shards, so neither status nor merge can ever pick up a
    // shard left by an earlier run (possibly with another shard count).
    if !request.resume {
      let shardsDir = plan.runDirectory + "/shards"
      if FileManager.default.fileExists(atPath: shardsDir) {
        do { try FileManager.default.removeItem(atPath: shardsDir) } catch {
          throw UserError("\(shardsDir): cannot remove shards of the previous submission (\(error.localizedDescription))")
        }
      }
    }

    // A resume adds to the run's history; a fresh submission starts a new one.
    var record = SlurmJobRecord(config: plan.configPath, shards: plan.shards,
                                submissions: request.resume ? previous?.submissions ?? [] : [])
    var submission = SlurmJobRecord.Submission(submitted: Self.timestamp(now()), resume: request.resume, tasks: tasks,
                                               array: array, train: nil, apply: nil, merge: nil)
    var commands: [[String]] = []
    var last: String? = nil
    for job in jobs {
      let args = arguments(job, after: last)
      commands.append(["sbatch"] + args)
      let id: String
      do {
        id = try sbatch(args, script: plan.scriptPath(job))
      } catch let error as UserError {
        // Keep what was submitted on record, so status and resume can see it.
        if !submission.jobIDs.isEmpty {
          record.submissions.append(submission)
          try? record.write(runDirectory: plan.runDirectory)
          let done = submission.jobIDs.joined(separator: " ")
          throw UserError("\(error.message); already submitted: \(done) (scancel \(done) to withdraw them)")
        }
        throw error
      }
      switch job {
      case .train: submission.train = id
      case .apply: submission.apply = id
      case .merge: submission.merge = id
      }
      last = id
    }
    record.submissions.append(submission)
    try record.write(runDirectory: plan.runDirectory)
    return SlurmSubmitResult(plan: plan, scripts: written, tasks: tasks, skipped: skipped, commands: commands, submission: submission)
  }

  /// Runs `sbatch --parsable …` and returns the job id (`123`, or `123;cluster` → `123`).
  func sbatch(_ arguments: [String], script: String) throws -> String {
    let name = (script as NSString).lastPathComponent
    guard runner.locate("sbatch") != nil else {
      throw UserError("sbatch: command not found on PATH (is this a SLURM submit host? --dry-run writes the scripts only)")
    }
    let r = try runner.run("sbatch", arguments)
    guard r.status == 0 else { throw UserError("sbatch \(name): \(r.firstMessageLine)") }
    let line = r.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw UserError("sbatch \(name): unexpected output \(line.debugDescription), expected a job id")
    }
    return id
  }

  /// Submitting while earlier jobs of the same run are queued or running would run shards twice
  /// (two writers in one shard directory): refuse, naming them.
  func refuseWhileActive(_ record: SlurmJobRecord) throws {
    let ids = record.submissions.flatMap(\.jobIDs)
    guard let answer = SlurmQuery.states(of: ids, runner: runner) else { return }
    let active = answer.states.values
      .filter { $0.isActive && $0.reason != "DependencyNeverSatisfied" }
      .map { "\($0.id) \($0.state)" }
      .sorted()
    guard active.isEmpty else {
      throw UserError("jobs of an earlier submission of this run are still queued or running (\(active.joined(separator: ", "))); wait for them or scancel them first")
    }
  }

  static func timestamp(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: date)
  }
}
