import Boosting
import CascadeSupport
import EventData
import Foundation

/// The cascade's commands as library calls: `train`, `apply`, `merge`. The CLI only parses
/// arguments and calls these.
public enum CascadePipeline {
  /// Trains every stage and writes `models/<stage>.json`, `train-summary.json`, the config copy
  /// and the manifest's `train` section.
  /// With `search`, the thresholds of the optimised stages are chosen after training by
  /// re-routing the cached out-of-fold scores (the models stay as trained); a config with an
  /// optimised working point needs one.
  @discardableResult
  public static func train(
    _ config: CascadeConfig, progress: @escaping (String) -> Void = { _ in }, search: ThresholdSearch? = nil
  ) throws -> [StageModel] {
    try train(config, progress: progress, search: search, keepingScores: false).models
  }

  /// What ``train(_:progress:search:keepingScores:)`` returns.
  public struct Trained: Sendable {
    public var models: [StageModel]
    /// With `keepingScores`: every stage's out-of-fold score of every MC event,
    /// `outOfFold[stage][event]`, events in input order (MC samples in config order, files in
    /// order, rows in order) — what ``ApplyOptions/trainedScores`` takes.
    public var outOfFold: [[Double]]?
  }

  /// ``train(_:progress:search:)``, keeping every stage's out-of-fold scores of every MC event
  /// when asked (`cascade run` hands them to its apply pass: each score computed once).
  public static func train(
    _ config: CascadeConfig, progress: @escaping (String) -> Void = { _ in }, search: ThresholdSearch? = nil,
    keepingScores: Bool
  ) throws -> Trained {
    if config.optimisesWorkingPoints, search == nil {
      throw UserError("\(config.path): optimised working points need the fit layer's threshold search (use `cascade train` or `cascade run`)")
    }
    let problems = config.validateInputs()
    if let first = problems.first { throw UserError("\(config.path): \(first)") }
    let run = RunDirectory(config.output)
    let start = Date()
    let trainer = StageTrainer(config: config, progress: progress)
    let mc = config.samples.indices.filter { config.samples[$0].isMC }
    progress("loading \(mc.count) MC samples")
    let events = try EventLoader.load(
      config, sampleIndices: mc, columns: trainer.allFeatures(), doubleColumns: search?.doubleColumns ?? [])
    let trained = try trainer.train(events, keepingScores: search != nil || keepingScores)
    var (models, records) = (trained.models, trained.records)
    if let search {
      let thresholds = try search.choose(TrainedStages(config: config, events: events, models: models, scores: trained.scores))
      try ThresholdSearch.adopt(thresholds, models: &models, records: &records, config: config, events: events, scores: trained.scores)
    }
    try AtomicFile.replaceDirectories(in: run.path, names: ["models"]) { staging in
      for m in models { try m.write(modelsDirectory: staging + "/models") }
    }
    try JSONFile.write(TrainSummary(config, records: records), to: run.trainSummary)
    try run.writeConfigCopy(config)
    let absolute = config.path.hasPrefix("/") ? config.path : FileManager.default.currentDirectoryPath + "/" + config.path
    let configPath = (absolute as NSString).standardizingPath
    let inputs = try RunDirectory.describeInputs(config)
    let seconds = Date().timeIntervalSince(start)
    try run.updateManifest { m in
      m.config = RunManifest.ConfigRecord(path: configPath, checksum: config.checksum)
      m.inputs = inputs
      m.train = RunManifest.TrainRecord(
        seed: Int(config.training.seed), folds: config.training.folds,
        threads: ParallelBlocks.threadCount(config.training.threads), seconds: seconds,
        stageSeconds: OrderedMap(records.map { (key: $0.stage, value: $0.seconds) }))
    }
    return Trained(models: models, outOfFold: keepingScores ? trained.scores : nil)
  }

  /// The trained model of every config stage, in stage order, from `modelsDirectory` (default: the
  /// run's `models/`); throws `UserError` for a missing model or one that no longer matches the config.
  public static func loadStageModels(_ config: CascadeConfig, modelsDirectory: String? = nil) throws -> [StageModel] {
    let dir = modelsDirectory ?? RunDirectory(config.output).models
    return try config.stages.map { try StageModel.load(modelsDirectory: dir, stage: $0, folds: config.training.folds) }
  }

  /// What `apply` processes and where; all nil (the default) = every file of every sample, unsharded,
  /// with the run's own models, into the config's `output`.
  public struct ApplyOptions: Sendable {
    public var modelsDirectory: String?
    public var files: [String]?
    public var sample: String?
    public var shard: ShardSpec?
    /// Run directory override (default: the config's `output`).
    public var output: String?
    /// Keep every stage's scores of every event in the summary (``Applier/scoring``); honoured
    /// by a whole apply only (no `sample`, `files` or `shard`).
    public var scoring: Applier.ScoringRequest?
    /// With `scoring`: the out-of-fold scores training computed for every MC event
    /// (``Trained/outOfFold``), reused instead of scoring those events again.
    public var trainedScores: [[Double]]?
    /// Default options: everything nil.
    public init() {}
  }

  /// Applies the cascade. Unsharded: replaces `scores/` and `regions/` of the run directory.
  /// With a shard: writes `shards/<i>/` whole, its manifest last, then renames it into place.
  @discardableResult
  public static func apply(_ config: CascadeConfig, options: ApplyOptions, progress: @escaping (String) -> Void = { _ in }) throws -> Applier.Summary {
    let start = Date()
    let run = RunDirectory(options.output ?? config.output)
    let models = try loadStageModels(config, modelsDirectory: options.modelsDirectory)
    var sampleIndices = Array(config.samples.indices)
    if let name = options.sample {
      guard let i = config.samples.firstIndex(where: { $0.name == name }) else {
        var msg = "--sample: no sample named \"\(name)\""
        if let near = nearestName(to: name, in: config.samples.map(\.name)) { msg += " (did you mean \"\(near)\"?)" }
        throw UserError(msg)
      }
      sampleIndices = [i]
    }
    var fileFilter: Set<String>?
    if let files = options.files {
      let all = Set(config.samples.flatMap(\.files))
      var resolved: Set<String> = []
      for f in files {
        let std = (f as NSString).standardizingPath
        guard let match = all.first(where: { ($0 as NSString).standardizingPath == std }) else {
          throw UserError("--files: \(f) is not an input of any sample in \(config.path)")
        }
        resolved.insert(match)
      }
      fileFilter = resolved
    }
    let inputs = try Applier.inputFiles(config, sampleIndices: sampleIndices, files: fileFilter)
    let pieces = ShardPlanner.pieces(files: inputs, shard: options.shard)
    var applier = Applier(config: config, router: StageRouter(stages: models, threads: config.training.threads), progress: progress)
    if options.sample == nil, options.files == nil, options.shard == nil {
      applier.scoring = options.scoring
      applier.scoring?.trainedScores = options.trainedScores
    }

    if let shard = options.shard {
      let shardsDir = run.path + "/shards"
      let final = ShardManifest.directory(runDirectory: run.path, shard: shard.index)
      // A stale manifest must never vouch for outputs being rewritten.
      try? FileManager.default.removeItem(atPath: final + "/manifest.json")
      return try AtomicFile.replaceDirectories(in: shardsDir, names: ["\(shard.index)"]) { staging in
        let root = staging + "/\(shard.index)"
        var summary = try applier.apply(pieces: pieces, to: root)
        // Alternative samples are applied whole, each by one shard.
        if options.files == nil {
          summary.outputs += try applier.applyAlternativeSamples(sampleIndices: sampleIndices, to: root, shard: shard).outputs
        }
        let manifest = ShardManifest(
          shard: shard.index, shards: shard.count, configChecksum: config.checksum,
          inputs: pieces.map { .init(sample: config.samples[$0.sampleIndex].name, file: $0.file, rows: $0.rows) },
          outputs: try ShardManifest.describeOutputs(shardDirectory: root, relativePaths: summary.outputs))
        try JSONFile.write(manifest, to: root + "/manifest.json")
        return summary
      }
    }
    let summary: Applier.Summary
    if options.sample != nil || options.files != nil {
      // A partial apply updates only its own files (each written atomically), keeping the rest.
      let applied = Set(pieces.map(\.file))
      let complete = Set(sampleIndices.filter { config.samples[$0].files.allSatisfy(applied.contains) })
      for si in sampleIndices where !complete.contains(si) && pieces.contains(where: { $0.sampleIndex == si }) {
        progress("\(config.samples[si].name): not every file applied, region files left as they are")
      }
      var partial = try applier.apply(pieces: pieces, to: run.path, regionSamples: complete)
      if options.files == nil {
        partial.outputs += try applier.applyAlternativeSamples(sampleIndices: sampleIndices, to: run.path).outputs
      }
      summary = partial
    } else {
      summary = try AtomicFile.replaceDirectories(in: run.path, names: OutputLayout.applyDirectories(config)) { staging in
        var all = try applier.apply(pieces: pieces, to: staging)
        all.outputs += try applier.applyAlternativeSamples(sampleIndices: sampleIndices, to: staging).outputs
        return all
      }
    }
    let seconds = Date().timeIntervalSince(start)
    try run.updateManifest { m in
      m.apply = RunManifest.ApplyRecord(
        seconds: seconds, threads: ParallelBlocks.threadCount(config.training.threads), outputs: summary.outputs.count)
    }
    return summary
  }
}
