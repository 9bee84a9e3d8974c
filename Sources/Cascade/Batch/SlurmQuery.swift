import CascadeSupport
import Foundation

/// The state SLURM reports for one job or array task.
public struct SlurmJobState: Sendable, Equatable {
  /// `"14"` for a plain job, `"13_2"` for task 2 of array job 13.
  public var id: String
  /// `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`, …
  public var state: String
  /// Why a pending job waits (`Dependency`, `JobArrayTaskLimit`, …), when known.
  public var reason: String?

  /// A state as parsed from `sacct`, `scontrol` or `squeue` output (state names upper-case, as
  /// SLURM prints them).
  public init(id: String, state: String, reason: String? = nil) {
    self.id = id
    self.state = state
    self.reason = reason
  }

  /// Ended without success: the shard needs resubmitting.
  public var isFailure: Bool {
    ["FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "REVOKED"]
      .contains(state)
  }
  /// Queued or running: resubmitting now would run the shard twice.
  public var isActive: Bool {
    ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING",
     "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "STOPPED"].contains(state)
  }
}

/// Asks SLURM about job ids: `sacct` when accounting is enabled (it remembers finished jobs),
/// else `scontrol show job` (queued, running and recently finished jobs), else `squeue` (queued
/// and running only).
public enum SlurmQuery {
  /// States of `jobIDs` (plain or array job ids) and their array tasks, keyed by
  /// `SlurmJobState.id`, plus the tool that answered; nil when no tool answered.
  public static func states(of jobIDs: [String], runner: ToolRunner) -> (source: String, states: [String: SlurmJobState])? {
    let ids = Set(jobIDs)
    guard !ids.isEmpty else { return nil }
    if runner.locate("sacct") != nil,
      let r = try? runner.run("sacct", ["-n", "-P", "-X", "-j", ids.sorted().joined(separator: ","), "-o", "JobID,State,Reason"]),
      r.status == 0
    {
      return ("sacct", keyed(parseSacct(r.stdout), keeping: ids))
    }
    if runner.locate("scontrol") != nil, let r = try? runner.run("scontrol", ["-o", "show", "job"]), r.status == 0 {
      return ("scontrol", keyed(parseScontrol(r.stdout), keeping: ids))
    }
    if runner.locate("squeue") != nil, let r = try? runner.run("squeue", ["-h", "-r", "-o", "%i|%T|%r"]), r.status == 0 {
      return ("squeue", keyed(parseSqueue(r.stdout), keeping: ids))
    }
    return nil
  }

  static func keyed(_ states: [SlurmJobState], keeping ids: Set<String>) -> [String: SlurmJobState] {
    var out: [String: SlurmJobState] = [:]
    for s in states {
      let job = s.id.split(separator: "_", maxSplits: 1).first.map(String.init) ?? s.id
      if ids.contains(job) { out[s.id] = s }
    }
    return out
  }

  /// `sacct -n -P -X -o JobID,State,Reason`: `13_0|COMPLETED|None`, `13_[2-3%2]|PENDING|…`,
  /// `14|CANCELLED by 0|None`.
  public static func parseSacct(_ text: String) -> [SlurmJobState] {
    text.split(whereSeparator: \.isNewline).flatMap { line -> [SlurmJobState] in
      let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      guard f.count >= 2, !f[0].isEmpty else { return [] }
      let state = f[1].split(separator: " ").first.map(String.init) ?? f[1]
      let reason = f.count > 2 && f[2] != "None" && !f[2].isEmpty ? f[2] : nil
      return expand(id: f[0]).map { SlurmJobState(id: $0, state: state, reason: reason) }
    }
  }

  /// `squeue -h -r -o '%i|%T|%r'`: `13_2|PENDING|JobArrayTaskLimit`.
  public static func parseSqueue(_ text: String) -> [SlurmJobState] {
    parseSacct(text)
  }

  /// `scontrol -o show job`: one line per job, `JobId=15 ArrayJobId=13 ArrayTaskId=2 …
  /// JobState=RUNNING Reason=None …`; pending array remainders show `ArrayTaskId=2-3%2`.
  public static func parseScontrol(_ text: String) -> [SlurmJobState] {
    text.split(whereSeparator: \.isNewline).flatMap { line -> [SlurmJobState] in
      var fields: [String: String] = [:]
      for token in line.split(separator: " ") {
        guard let eq = token.firstIndex(of: "=") else { continue }
        let key = String(token[..<eq])
        if fields[key] == nil { fields[key] = String(token[eq...].dropFirst()) }
      }
      guard let state = fields["JobState"], let jobID = fields["JobId"] else { return [] }
      let reason = fields["Reason"].flatMap { $0 == "None" ? nil : $0 }
      if let array = fields["ArrayJobId"], let tasks = fields["ArrayTaskId"] {
        return expand(id: "\(array)_[\(tasks)]").map { SlurmJobState(id: $0, state: state, reason: reason) }
      }
      return [SlurmJobState(id: jobID, state: state, reason: reason)]
    }
  }

  /// `13_[0-2,5%2]` → `13_0, 13_1, 13_2, 13_5`; `13_4` and `14` stay as they are.
  static func expand(id: String) -> [String] {
    guard let us = id.firstIndex(of: "_") else { return [id] }
    let job = id[..<us]
    var spec = String(id[id.index(after: us)...])
    guard spec.hasPrefix("[") || spec.contains("-") || spec.contains(",") else { return [id] }
    spec = spec.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    if let pct = spec.firstIndex(of: "%") { spec = String(spec[..<pct]) }
    var out: [String] = []
    for part in spec.split(separator: ",") {
      let stepParts = part.split(separator: ":")
      let step = stepParts.count > 1 ? max(1, Int(stepParts[1]) ?? 1) : 1
      let bounds = stepParts[0].split(separator: "-").compactMap { Int($0) }
      guard let lo = bounds.first else { continue }
      let hi = bounds.count > 1 ? bounds[1] : lo
      guard hi >= lo, hi - lo < 1_000_000 else { continue }
      for t in stride(from: lo, through: hi, by: step) { out.append("\(job)_\(t)") }
    }
    return out
  }
}
