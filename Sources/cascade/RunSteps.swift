import Cascade
import CascadeSupport

/// The steps after apply, shared by `run` and the batch merge job.
enum RunSteps {
  static func afterApply(_ config: CascadeConfig, asimov: Bool, progress: @escaping (String) -> Void, quiet: Bool) throws {
    if !quiet { print("run directory: \(config.output)") }
  }
}
