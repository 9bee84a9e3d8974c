import Analysis
import Cascade
import CascadeSupport
import Evaluation
import Foundation
import Report
import YieldFit

/// The steps after apply — evaluate, report, fit — shared by `run` and `evaluate`.
enum RunSteps {
  static func afterApply(_ config: CascadeConfig, asimov: Bool, progress: @escaping (String) -> Void, quiet: Bool) throws {
    try RunEvaluation.evaluate(config, progress: progress)
    if config.fit != nil {
      progress("fit \(config.output)/regions")
      try SystematicFit.fit(config, asimov: asimov) { FileHandle.standardError.write(Data("cascade: warning: \($0)\n".utf8)) }
    }
    progress("report \(config.output)/report/index.html")
    try writeReport(runDirectory: config.output)
    if !quiet { print("run directory: \(config.output)\nreport: \(config.output)/report/index.html") }
  }
}

extension CascadeConfig {
  /// Parses the `fit` block up front, so `train` rejects a bad one before hours of training
  /// rather than at the fit step (`validate` and `run` check it through ConfigValidation).
  func checkFitBlock() throws {
    if let block = fit { _ = try FitBlock.parse(block) }
  }
}
