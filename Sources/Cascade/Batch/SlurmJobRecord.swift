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
public struct SlurmJobRecord: Codable, Sendable, Equatable {
  /// One `cascade submit` (its job ids; absent ids were never submitted).
  public struct Submission: Codable, Sendable, Equatable {
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

    /// A submission made at `submitted` (ISO 8601, UTC) running `tasks` as `--array=array`, with the
    /// job ids `sbatch` returned (nil for jobs that were not submitted).
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

  /// A record for the run of the config at absolute path `config`, sharded `shards` ways.
  public init(config: String, shards: Int, submissions: [Submission] = []) {
    self.config = config
    self.shards = shards
    self.submissions = submissions
  }

  /// Where the record of `runDirectory` lives: `<run>/slurm/jobs.json`.
  public static func path(runDirectory: String) -> String { runDirectory + "/slurm/jobs.json" }

  /// The most recent submission that ran `shard`, with that task's id.
  public func latestTask(shard: Int) -> (submission: Submission, id: String)? {
    for s in submissions.reversed() {
      if let id = s.taskID(shard: shard) { return (s, id) }
    }
    return nil
  }

  enum CodingKeys: String, CodingKey { case scheduler, config, shards, submissions }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode("slurm", forKey: .scheduler)
    try c.encode(config, forKey: .config)
    try c.encode(shards, forKey: .shards)
    try c.encode(submissions, forKey: .submissions)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    guard try c.decode(String.self, forKey: .scheduler) == "slurm" else {
      throw DecodingError.dataCorruptedError(forKey: .scheduler, in: c, debugDescription: "only \"slurm\" is supported")
    }
    config = try c.decode(String.self, forKey: .config)
    shards = try c.decode(Int.self, forKey: .shards)
    submissions = try c.decode([Submission].self, forKey: .submissions)
  }

  /// Writes the record atomically to ``path(runDirectory:)``, replacing the previous one.
  public func write(runDirectory: String) throws {
    try JSONFile.write(self, to: Self.path(runDirectory: runDirectory))
  }

  /// The record of `runDirectory`, or nil when nothing was ever submitted from it.
  public static func load(runDirectory: String) throws -> SlurmJobRecord? {
    let path = path(runDirectory: runDirectory)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try JSONFile.load(SlurmJobRecord.self, from: path)
  }
}
