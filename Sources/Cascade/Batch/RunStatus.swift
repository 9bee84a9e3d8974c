import CascadeSupport
import Foundation

/// `cascade status RUN_DIR`: each shard's state from its manifest, refined by what SLURM says
/// about the recorded jobs (when `sacct`, `scontrol` or `squeue` is available).
///
/// Its `status --json` form is the `Encodable` conformance (keys in the order below).
public struct RunStatus: Encodable, Sendable {
  /// A shard's state as `cascade status` reports it (`done`, `pending` or `failed` in JSON).
  public enum State: String, Codable, Sendable {
    /// Manifest present and every output matches it.
    case done
    /// No complete manifest yet: queued, running, or never submitted.
    case pending
    /// Its task ended without a manifest (failed, cancelled, timed out), or its outputs are corrupt.
    case failed
  }

  /// One shard's state (`shard_states` entry; `job` left out when none is recorded).
  public struct Shard: Codable, Sendable, Equatable {
    public var index: Int
    public var state: State
    /// Why, in a few words: `manifest verified`, `RUNNING`, `CANCELLED`, `corrupt outputs`, …
    public var detail: String
    /// The SLURM array task that last ran this shard (`13_2`), if recorded.
    public var job: String?
    enum CodingKeys: String, CodingKey {
      case index = "shard"
      case state, detail, job
    }
  }

  /// A job of the latest submission (`state` is null when SLURM does not know it; `reason`
  /// left out when none).
  public struct Job: Codable, Sendable, Equatable {
    /// `train`, `apply` or `merge`.
    public var kind: String
    public var id: String
    /// SLURM state, or nil when no SLURM tool knows the job.
    public var state: String?
    public var reason: String?

    enum CodingKeys: String, CodingKey { case kind, id, state, reason }

    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(kind, forKey: .kind)
      try c.encode(id, forKey: .id)
      try c.encodeNullable(state, forKey: .state)
      try c.encodeIfPresent(reason, forKey: .reason)
    }

    /// A job of `kind` (`train`, `apply` or `merge`) with SLURM id `id`, the state SLURM reports
    /// (nil when no tool knows it) and the reason a pending job waits, if any.
    public init(kind: String, id: String, state: String?, reason: String?) {
      self.kind = kind
      self.id = id
      self.state = state
      self.reason = reason
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      kind = try c.decode(String.self, forKey: .kind)
      id = try c.decode(String.self, forKey: .id)
      state = try c.decodeNullable(String.self, forKey: .state)
      reason = try c.decodeIfPresent(String.self, forKey: .reason)
    }
  }

  public var runDirectory: String
  public var shards: [Shard]
  /// Jobs of the latest submission.
  public var jobs: [Job]
  /// Which SLURM tool answered (`sacct`, `scontrol`, `squeue`), or nil.
  public var slurmSource: String?

  /// How many shards are in state `s`.
  public func count(_ s: State) -> Int { shards.filter { $0.state == s }.count }

  /// Reads manifests and `slurm/jobs.json`; asks SLURM through `runner` about the recorded jobs.
  public static func load(runDirectory: String, runner: ToolRunner = ToolRunner()) throws -> RunStatus {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDir), isDir.boolValue else {
      throw UserError("\(runDirectory): no such run directory")
    }
    let record = try SlurmJobRecord.load(runDirectory: runDirectory)
    guard let count = try record?.shards ?? shardCountFromManifests(runDirectory: runDirectory) else {
      throw UserError("\(runDirectory): no shards/ and no slurm/jobs.json; nothing was submitted or sharded here")
    }

    let allIDs = record?.submissions.flatMap(\.jobIDs) ?? []
    let answer = SlurmQuery.states(of: allIDs, runner: runner)
    let slurm = answer?.states ?? [:]

    let manifestStates = shardStates(runDirectory: runDirectory, shards: count)
    var shards: [Shard] = []
    for (i, m) in manifestStates.enumerated() {
      let task = record?.latestTask(shard: i)
      let js = task.flatMap { slurm[$0.id] }
      var shard = Shard(index: i, state: .pending, detail: "", job: task?.id)
      switch m {
      case .done:
        shard.state = .done
        shard.detail = "manifest verified"
      case .corrupt:
        shard.state = .failed
        shard.detail = "corrupt (manifest or outputs do not match)"
      case .pending:
        if let js, js.isFailure {
          shard.state = .failed
          shard.detail = js.state
        } else if let js, js.state == "COMPLETED" {
          // The task exited 0 but its manifest is gone: nothing merge would accept.
          shard.detail = "no manifest (task COMPLETED)"
        } else if let js {
          shard.detail = js.reason.map { "\(js.state) (\($0))" } ?? js.state
        } else {
          shard.detail = task == nil ? "not submitted" : "no manifest"
        }
      }
      shards.append(shard)
    }

    var jobs: [Job] = []
    if let latest = record?.submissions.last {
      for (kind, id) in [("train", latest.train), ("apply", latest.apply), ("merge", latest.merge)] {
        guard let id else { continue }
        var job = Job(kind: kind, id: id, state: nil, reason: nil)
        if kind == "apply" {
          job.state = arraySummary(id: id, tasks: latest.tasks, states: slurm)
        } else if let s = slurm[id] {
          job.state = s.state
          job.reason = s.reason
        }
        jobs.append(job)
      }
    }
    return RunStatus(runDirectory: runDirectory, shards: shards, jobs: jobs, slurmSource: answer?.source)
  }

  /// `COMPLETED 3, RUNNING 1` for the tasks of an array job, or nil when SLURM knows none.
  static func arraySummary(id: String, tasks: [Int], states: [String: SlurmJobState]) -> String? {
    var counts: [String: Int] = [:]
    for t in tasks { if let s = states["\(id)_\(t)"] { counts[s.state, default: 0] += 1 } }
    guard !counts.isEmpty else { return nil }
    return counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
  }

  /// Without `slurm/jobs.json` (shards run by hand), the shard count recorded in any manifest.
  static func shardCountFromManifests(runDirectory: String) throws -> Int? {
    let dir = runDirectory + "/shards"
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return nil }
    for e in entries.sorted() {
      guard let i = Int(e), FileManager.default.fileExists(atPath: ShardManifest.path(runDirectory: runDirectory, shard: i)),
        let m = try? ShardManifest.load(runDirectory: runDirectory, shard: i)
      else { continue }
      return m.shards
    }
    return nil
  }

  /// The human-readable table `cascade status` prints.
  public func rendered() -> String {
    var out = "run \(runDirectory): \(shards.count) shards: \(count(.done)) done, \(count(.pending)) pending, \(count(.failed)) failed\n"
    let width = max(5, String(shards.count - 1).count)
    out += "shard".padding(toLength: width, withPad: " ", startingAt: 0) + "  state    job          detail\n"
    for s in shards {
      out += String(s.index).padding(toLength: width, withPad: " ", startingAt: 0) + "  "
      out += s.state.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
      out += (s.job ?? "-").padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + s.detail + "\n"
    }
    for j in jobs {
      let state = j.state.map { s in j.reason.map { "\(s) (\($0))" } ?? s } ?? "unknown to SLURM"
      out += "\(j.kind) job \(j.id): \(state)\n"
    }
    if !jobs.isEmpty && slurmSource == nil { out += "(no sacct/scontrol/squeue answered: SLURM states unknown)\n" }
    return out
  }

  enum CodingKeys: String, CodingKey {
    case run, shards, done, pending, failed
    case shardStates = "shard_states"
    case jobs
    case slurmSource = "slurm_source"
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(runDirectory, forKey: .run)
    try c.encode(shards.count, forKey: .shards)
    try c.encode(count(.done), forKey: .done)
    try c.encode(count(.pending), forKey: .pending)
    try c.encode(count(.failed), forKey: .failed)
    try c.encode(shards, forKey: .shardStates)
    try c.encode(jobs, forKey: .jobs)
    try c.encodeNullable(slurmSource, forKey: .slurmSource)
  }
}
