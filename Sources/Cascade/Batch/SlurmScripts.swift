import CascadeSupport
import Foundation

/// Resources requested from SLURM for every job `cascade submit` writes (all optional: an unset
/// value leaves the site default).
public struct SlurmOptions: Sendable, Equatable {
  public var partition: String?
  /// `--time`, in any SLURM time format (`30`, `1:00:00`, `1-00:00:00`).
  public var time: String?
  /// `--mem`, e.g. `4G`.
  public var memory: String?
  /// `--cpus-per-task`.
  public var cpus: Int?
  public var account: String?
  /// At most this many array tasks run at once (`--array=…%K`).
  public var maxParallel: Int?

  /// Options with every value unset by default, so the scripts ask for the site defaults.
  public init(partition: String? = nil, time: String? = nil, memory: String? = nil, cpus: Int? = nil,
              account: String? = nil, maxParallel: Int? = nil) {
    self.partition = partition
    self.time = time
    self.memory = memory
    self.cpus = cpus
    self.account = account
    self.maxParallel = maxParallel
  }
}

/// What the generated batch scripts run: absolute paths only, because jobs start in whatever
/// directory and environment the batch system chooses.
public struct SlurmJobPlan: Sendable, Equatable {
  /// The `cascade` executable the jobs run (the one that wrote the scripts).
  public var cascadeBinary: String
  public var configPath: String
  public var runDirectory: String
  /// Config `name`, used in job names.
  public var name: String
  public var shards: Int
  public var options: SlurmOptions

  /// A plan; every path must already be absolute (``SlurmSubmitter/runTarget(configPath:)``
  /// resolves them).
  public init(cascadeBinary: String, configPath: String, runDirectory: String, name: String, shards: Int, options: SlurmOptions) {
    self.cascadeBinary = cascadeBinary
    self.configPath = configPath
    self.runDirectory = runDirectory
    self.name = name
    self.shards = shards
    self.options = options
  }

  public var slurmDirectory: String { runDirectory + "/slurm" }
  public var logDirectory: String { slurmDirectory + "/logs" }
  /// The batch script of `job`: `<run>/slurm/<job>.sbatch`.
  public func scriptPath(_ job: SlurmJobKind) -> String { slurmDirectory + "/\(job.rawValue).sbatch" }

  /// `cascade-<config name>-<job>`, restricted to characters that are safe in job names and in
  /// the `%x` of log file names.
  public func jobName(_ job: SlurmJobKind) -> String {
    let safe = String(name.unicodeScalars.map { s -> Character in
      (s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_" || s == ".")) ? Character(s) : "_"
    })
    return "cascade-\(safe.isEmpty ? "run" : safe)-\(job.rawValue)"
  }
}

/// The three scripts of a batch run.
public enum SlurmJobKind: String, Sendable, CaseIterable {
  case train, apply, merge
}

/// Generates the `sbatch` scripts of `cascade submit`. Pure text generation, so it is unit-tested
/// without a batch system.
public enum SlurmScripts {
  /// `s` as one POSIX-shell word: single-quoted, with embedded single quotes spliced in as `'\''`.
  public static func shellQuote(_ s: String) -> String {
    "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// A path as the value of an `#SBATCH` directive, where `%` starts a filename pattern (`%%` is a
  /// literal percent) and sbatch splits on blanks unless the value is double-quoted. Double quotes
  /// and line breaks cannot be expressed there at all.
  /// `pattern` (a file name with SLURM `%` patterns) is appended to the escaped `directory`.
  static func directivePath(directory: String, pattern: String) throws -> String {
    if directory.contains("\"") || directory.contains("\n") || directory.contains("\r") {
      throw UserError("\(directory): a run directory for SLURM cannot contain double quotes or line breaks")
    }
    let escaped = directory.replacingOccurrences(of: "%", with: "%%") + "/" + pattern
    return escaped.contains(where: { $0 == " " || $0 == "\t" || $0 == "'" || $0 == "\\" }) ? "\"\(escaped)\"" : escaped
  }

  /// The `--array` value for `tasks`: consecutive indices collapse into ranges (`0-3`, `1,3`,
  /// `0-2,5`), followed by `%K` when at most K tasks may run at once.
  public static func arraySpec(tasks: [Int], maxParallel: Int?) -> String {
    let sorted = Array(Set(tasks)).sorted()
    var parts: [String] = []
    var i = 0
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
      parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
      i = j + 1
    }
    var spec = parts.joined(separator: ",")
    if let k = maxParallel { spec += "%\(k)" }
    return spec
  }

  /// The script for `job`. `apply.sbatch` covers every shard (`--array=0-(N-1)`); a resume
  /// overrides the array on the sbatch command line instead of rewriting the script.
  public static func script(_ job: SlurmJobKind, plan: SlurmJobPlan) throws -> String {
    let bin = shellQuote(plan.cascadeBinary)
    let config = shellQuote(plan.configPath)
    let run = shellQuote(plan.runDirectory)
    var lines = [
      "#!/bin/bash",
      "# Generated by cascade \(CascadeVersion.string) (`cascade submit`); rerun `cascade submit` rather than editing.",
    ]
    var directives = ["--job-name=\(plan.jobName(job))"]
    switch job {
    case .train:
      lines.append("# Trains every stage once; the apply array waits for it.")
      directives.append("--output=\(try directivePath(directory: plan.logDirectory, pattern: "%x-%j.out"))")
    case .apply:
      lines.append("# One array task per shard: task i runs `cascade apply --shard i/\(plan.shards)`.")
      directives.append("--array=\(arraySpec(tasks: Array(0..<plan.shards), maxParallel: plan.options.maxParallel))")
      directives.append("--output=\(try directivePath(directory: plan.logDirectory, pattern: "%x-%A_%a.out"))")
    case .merge:
      lines.append("# Runs after every array task succeeded: merges the shards, then evaluation, fit and report.")
      directives.append("--output=\(try directivePath(directory: plan.logDirectory, pattern: "%x-%j.out"))")
    }
    if job != .train {
      // A dependency that can never be satisfied (a failed shard) cancels this job instead of
      // leaving it pending forever; `cascade submit --resume` submits a fresh one.
      directives.append("--kill-on-invalid-dep=yes")
    }
    let o = plan.options
    if let p = o.partition { directives.append("--partition=\(p)") }
    if let a = o.account { directives.append("--account=\(a)") }
    if let t = o.time { directives.append("--time=\(t)") }
    if let m = o.memory { directives.append("--mem=\(m)") }
    if let c = o.cpus { directives.append("--cpus-per-task=\(c)") }
    lines += directives.map { "#SBATCH \($0)" }
    lines += ["", "set -euo pipefail"]
    switch job {
    case .train:
      lines.append("exec \(bin) train \(config)")
    case .apply:
      lines.append(": \"${SLURM_ARRAY_TASK_ID:?apply.sbatch must run as a job array task}\"")
      lines.append("exec \(bin) apply \(config) --shard \"${SLURM_ARRAY_TASK_ID}/\(plan.shards)\"")
    case .merge:
      // The order of `cascade run` after apply: tables, then the fit, then the report (which
      // shows the fit results when present).
      lines.append("\(bin) merge \(run)")
      lines.append("\(bin) evaluate \(run)")
      lines.append("\(bin) fit --run \(run)")
      lines.append("\(bin) report \(run)")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Rejects option values that would break out of their `#SBATCH` line.
  static func validate(_ options: SlurmOptions) throws {
    let named: [(String, String?)] = [
      ("--partition", options.partition), ("--time", options.time), ("--mem", options.memory), ("--account", options.account),
    ]
    for (flag, value) in named {
      guard let v = value else { continue }
      if v.isEmpty || v.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "#" }) {
        throw UserError("\(flag) \(v.debugDescription): must be one word without quotes, '#' or blanks")
      }
    }
    if let c = options.cpus, c < 1 { throw UserError("--cpus \(c): must be at least 1") }
    if let k = options.maxParallel, k < 1 { throw UserError("--max-parallel \(k): must be at least 1") }
  }
}

extension SlurmScripts {
  /// `s` unchanged when it is a plain shell word, else single-quoted (for printed commands).
  public static func shellQuoteIfNeeded(_ s: String) -> String {
    let plain = !s.isEmpty && s.unicodeScalars.allSatisfy {
      $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-:=,+%@".unicodeScalars.contains($0))
    }
    return plain ? s : shellQuote(s)
  }
}
