import ArgumentParser
import Analysis
import Cascade
import CascadeSupport
import Foundation
import YieldFit

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check a config: schema, names, files and globs, and that every column exists in every file.",
    discussion: """
      Each problem is printed on its own line with its JSON path, e.g.
        stages[1].features[2]: column "ht" not found in samples/toy/ttbar.h5
      Exits 1 if there is any problem.
      """)

  @Argument(help: "The JSON config file.") var config: String

  func run() throws {
    let cfg = try CascadeConfig.load(path: config)
    let problems = ConfigValidation.problems(cfg)
    if !problems.isEmpty {
      for p in problems { FileHandle.standardError.write(Data("\(config): \(p)\n".utf8)) }
      throw ExitCode(1)
    }
    let files = cfg.samples.reduce(0) { $0 + $1.files.count }
    print("\(config): OK — \(cfg.samples.count) samples (\(files) files), \(cfg.stages.count) stages, regions \(cfg.regions.joined(separator: ", "))")
  }
}
