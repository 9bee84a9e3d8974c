import Analysis
import Cascade
import CascadeSupport
import Evaluation
import Foundation
import Report
import YieldFit

/// What `cascade apply` is asked to do.
public struct ApplyRequest: Sendable {
  /// The config file.
  public var config: String
  /// Directory holding `<stage>.json` models (default: `<run>/models`).
  public var models: String?
  /// Apply only to these input files (all when empty).
  public var files: [String] = []
  /// Apply only to this sample.
  public var sample: String?
  /// Part `i/N` of a sharded apply, as typed.
  public var shard: String?
  /// Run directory (default: the config's output).
  public var output: String?
  /// Worker threads overriding the config's.
  public var threads: Int?

  /// A request to apply the cascade of `config` to all its inputs.
  public init(config: String) { self.config = config }
}

/// The cascade's commands: `validate`, `train`, `apply`, `evaluate`, `run`, `merge`, `status`.
public enum CascadeWorkflow {
  /// Prints every problem of the config on stderr (`<config>: <JSON path>: …`) and throws
  /// `ProblemsReported`, or prints a one-line OK summary.
  public static func validate(_ configPath: String, console: Console) throws {
    let cfg = try CascadeConfig.load(path: configPath)
    let problems = ConfigValidation.problems(cfg)
    if !problems.isEmpty {
      for p in problems { console.writeError("\(configPath): \(p)\n") }
      throw ProblemsReported(exitCode: 1)
    }
    let files = cfg.samples.reduce(0) { $0 + $1.files.count }
    console.line(
      "\(configPath): OK — \(cfg.samples.count) samples (\(files) files), \(cfg.stages.count) stages, regions \(cfg.regions.joined(separator: ", "))")
  }

  /// Trains every stage; a bad `fit` block is rejected first, before hours of training.
  public static func train(_ configPath: String, threads: Int?, console: Console) throws {
    var cfg = try CascadeConfig.load(path: configPath)
    try checkFitBlock(cfg)
    if let threads { cfg.setThreads(threads) }
    let models = try CascadePipeline.train(cfg, progress: console.progress, search: RunOptimisation.search(cfg, progress: console.progress))
    console.note("trained \(models.count) stages → \(RunDirectory(cfg.output).models)")
  }

  /// Scores and routes the requested inputs (all, some files, one sample, or one shard).
  public static func apply(_ request: ApplyRequest, console: Console) throws {
    var cfg = try CascadeConfig.load(path: request.config)
    if let threads = request.threads { cfg.setThreads(threads) }
    var options = CascadePipeline.ApplyOptions()
    options.modelsDirectory = request.models
    options.files = request.files.isEmpty ? nil : request.files
    options.sample = request.sample
    options.shard = try request.shard.map { try ShardSpec(parsing: $0) }
    options.output = request.output
    let summary = try CascadePipeline.apply(cfg, options: options, progress: console.progress)
    console.note("wrote \(summary.outputs.count) files")
  }

  /// Writes tables/ for a trained and applied cascade, given its config or its run directory.
  public static func evaluate(_ configOrRun: String, threads: Int?, console: Console) throws {
    var cfg = try loadConfig(configOrRun)
    if let threads { cfg.setThreads(threads) }
    try RunEvaluation.evaluate(cfg, progress: console.progress) { console.warn($0) }
    console.note("tables: \(RunDirectory(cfg.output).tables)")
  }

  /// The whole chain: validate → train → apply → evaluate → fit (with a fit block) → report.
  public static func run(_ configPath: String, threads: Int?, asimov: Bool, console: Console) throws {
    var cfg = try CascadeConfig.load(path: configPath)
    if let threads { cfg.setThreads(threads) }
    console.progress("validate \(configPath)")
    let problems = ConfigValidation.problems(cfg)
    if let first = problems.first { throw UserError("\(configPath): \(first)") }
    let trained = try CascadePipeline.train(
      cfg, progress: console.progress, search: RunOptimisation.search(cfg, progress: console.progress), keepingScores: true)
    // Every score is computed once: training's out-of-fold scores of the MC events go to the
    // apply pass, which keeps every score the evaluation needs.
    var options = CascadePipeline.ApplyOptions()
    options.scoring = RunEvaluation.scoring(cfg)
    options.trainedScores = trained.outOfFold
    let applied = try CascadePipeline.apply(cfg, options: options, progress: console.progress)
    try afterApply(cfg, scored: applied.scored, asimov: asimov, console: console)
  }

  /// The steps after apply: evaluate → fit (when the config has a fit block) → report;
  /// `scored` are the apply pass's scores when it kept them.
  public static func afterApply(_ config: CascadeConfig, scored: ScoredEvents? = nil, asimov: Bool, console: Console) throws {
    try RunEvaluation.evaluate(config, scored: scored, progress: console.progress) { console.warn($0) }
    if config.fit != nil {
      console.progress("fit \(config.output)/regions")
      try SystematicFit.fit(config, asimov: asimov) { console.warn($0) }
    }
    console.progress("report \(config.output)/report/index.html")
    try writeReport(runDirectory: config.output)
    console.note("run directory: \(config.output)\nreport: \(config.output)/report/index.html")
  }

  /// Joins the shards of a sharded apply.
  public static func merge(_ runDirectory: String, console: Console) throws {
    let summary = try Merger.merge(runDirectory: runDirectory, progress: console.progress)
    console.note("merged \(summary.shards) shards into \(summary.outputs.count) files")
  }

  /// Prints which shards of a sharded run are done, pending or failed, as text or JSON.
  public static func status(_ runDirectory: String, json: Bool, console: Console) throws {
    let status = try RunStatus.load(runDirectory: runDirectory)
    console.write(json ? try JSONFile.text(status) : status.rendered())
  }

  /// A config file, or a run directory (its `config.json` copy).
  public static func loadConfig(_ path: String) throws -> CascadeConfig {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
      return try CascadeConfig.load(runDirectory: path)
    }
    return try CascadeConfig.load(path: path)
  }

  /// Parses the `fit` block up front, so `train` rejects a bad one before hours of training
  /// rather than at the fit step (`validate` and `run` check it through ConfigValidation).
  static func checkFitBlock(_ config: CascadeConfig) throws {
    if let block = config.fit { _ = try FitBlock.parse(block) }
  }
}
