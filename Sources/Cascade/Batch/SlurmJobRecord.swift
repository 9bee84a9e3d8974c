import CascadeSupport
import Foundation

/// `<run>/slurm/jobs.json`: every SLURM submission of a run, oldest first, so `cascade status`
/// and `cascade submit --resume` know which job ran which shard.
///
/// ```json
/// {"scheduler": "slurm", "config": "/abs/config.json", "shards": 4,
///  "submissions": [{"submitted": "2026-11-25T20:01:02Z", "resume": false, "tasks": [0, 1, 2, 3],
///                   "array": "0-3%2", "train": "12", "apply": "13", "merge": "14"}]}
/// ```
public struct SlurmJobRecord: Sendable, Equatable {
  public struct Submission: Sendable, Equatable {
    /// UTC time of the submission (the only wall-clock value; it never enters data files).
    public var submitted: String
    public var resume: Bool
    /// Shards this submission's array runs (all of them, or those a resume found missing).
    public var tasks: [Int]
    /// The `--array` value used; empty when no array job was needed.
    public var array: String
    public var train: String?
    public var apply: String?
    /// Nil only when submitting stopped early (sbatch failed).
    public var merge: String?

    public init(submitted: String, resume: Bool, tasks: [Int], array: String, train: String?, apply: String?, merge: String?) {
      self.submitted = submitted
      self.resume = resume
      self.tasks = tasks
      self.array = array
      self.train = train
      self.apply = apply
      self.merge = merge
    }

    /// The SLURM id of the array task that ran `shard`, if this submission ran it.
    public func taskID(shard: Int) -> String? {
      guard let apply, tasks.contains(shard) else { return nil }
      return "\(apply)_\(shard)"
    }
    /// Every job id of this submission.
    public var jobIDs: [String] { [train, apply, merge].compactMap { $0 } }
  }

  public var config: String
  public var shards: Int
  public var submissions: [Submission]

  public init(config: String, shards: Int, submissions: [Submission] = []) {
    self.config = config
    self.shards = shards
    self.submissions = submissions
  }

  public static func path(runDirectory: String) -> String { runDirectory + "/slurm/jobs.json" }

  /// The most recent submission that ran `shard`, with that task's id.
  public func latestTask(shard: Int) -> (submission: Submission, id: String)? {
    for s in submissions.reversed() {
      if let id = s.taskID(shard: shard) { return (s, id) }
    }
    return nil
  }

  public var jsonValue: JSONValue {
    .object(JSONObject([
      ("scheduler", "slurm"), ("config", JSONValue(config)), ("shards", JSONValue(shards)),
      ("submissions", .array(submissions.map { s in
        var pairs: [(String, JSONValue)] = [
          ("submitted", JSONValue(s.submitted)), ("resume", .bool(s.resume)),
          ("tasks", .array(s.tasks.map { JSONValue($0) })), ("array", JSONValue(s.array)),
        ]
        if let t = s.train { pairs.append(("train", JSONValue(t))) }
        if let a = s.apply { pairs.append(("apply", JSONValue(a))) }
        if let m = s.merge { pairs.append(("merge", JSONValue(m))) }
        return .object(JSONObject(pairs))
      })),
    ]))
  }

  public func write(runDirectory: String) throws {
    try AtomicFile.write(jsonValue.serialized(), to: Self.path(runDirectory: runDirectory))
  }

  /// The record of `runDirectory`, or nil when nothing was ever submitted from it.
  public static func load(runDirectory: String) throws -> SlurmJobRecord? {
    let path = path(runDirectory: runDirectory)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    let root = try JSONCursor(JSONValue.load(path: path), source: path)
      .object(allowed: ["scheduler", "config", "shards", "submissions"])
    guard try root.required("scheduler").string() == "slurm" else { throw root.error("scheduler: only \"slurm\" is supported") }
    var record = SlurmJobRecord(config: try root.required("config").string(), shards: try root.required("shards").int())
    for c in try root.required("submissions").array() {
      let o = try c.object(allowed: ["submitted", "resume", "tasks", "array", "train", "apply", "merge"])
      record.submissions.append(Submission(
        submitted: try o.required("submitted").string(), resume: try o.required("resume").bool(),
        tasks: try o.required("tasks").array().map { try $0.int() }, array: try o.required("array").string(),
        train: try o.optional("train")?.string(), apply: try o.optional("apply")?.string(),
        merge: try o.optional("merge")?.string()))
    }
    return record
  }
}
