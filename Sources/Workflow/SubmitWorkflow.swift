import Cascade
import CascadeSupport

/// Batch systems `cascade submit` can drive.
public enum Scheduler: String, Sendable, CaseIterable {
  /// SLURM job arrays (sbatch, sacct/scontrol/squeue).
  case slurm
}

/// `cascade submit`: a sharded apply as a SLURM job array, then merge, evaluate, fit, report.
public enum SubmitWorkflow {
  /// Writes the job scripts, submits them (unless `dryRun`) and prints what was written and
  /// submitted, or the commands a dry run would have run.
  public static func submit(_ request: SlurmSubmitRequest, scheduler: Scheduler, console: Console) throws {
    switch scheduler {
    case .slurm: try submitSlurm(request, console: console)
    }
  }

  private static func submitSlurm(_ request: SlurmSubmitRequest, console: Console) throws {
    let result = try SlurmSubmitter().submit(request)
    for s in result.scripts { console.line("wrote \(s)") }
    if request.resume {
      let skipped = result.skipped.isEmpty ? "none" : result.skipped.map(String.init).joined(separator: ",")
      let todo = result.tasks.isEmpty ? "none" : result.tasks.map(String.init).joined(separator: ",")
      console.line("resume: shards complete: \(skipped); to run: \(todo)")
    }
    guard let submission = result.submission else {
      for c in result.commands { console.line("would run: " + c.map(SlurmScripts.shellQuoteIfNeeded).joined(separator: " ")) }
      return
    }
    if let t = submission.train { console.line("submitted train job \(t)") }
    if let a = submission.apply {
      console.line("submitted apply job array \(a) (--array=\(submission.array), \(submission.tasks.count) of \(request.shards) shards)")
    }
    if let m = submission.merge { console.line("submitted merge job \(m)") }
    let run = result.plan.runDirectory
    console.line("recorded in \(SlurmJobRecord.path(runDirectory: run)); follow with: cascade status \(SlurmScripts.shellQuoteIfNeeded(run))")
  }
}
