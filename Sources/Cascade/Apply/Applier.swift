import CascadeSupport
import EventData
import Foundation

/// Streams input files through the trained cascade and writes, under `root`,
/// `scores/<sample>/<stem>.h5` (kept columns + `score_<stage>`, `region`, `fold`) and the
/// purified samples `regions/<region>/<sample>.h5`. Memory is bounded by the block size.
public struct Applier {
  public let config: CascadeConfig
  public let router: StageRouter
  public var progress: (String) -> Void = { _ in }

  /// `router` holds the trained stage models; `progress` receives a line per input piece applied (default: silent).
  public init(config: CascadeConfig, router: StageRouter, progress: @escaping (String) -> Void = { _ in }) {
    self.config = config
    self.router = router
    self.progress = progress
  }

  /// What one apply wrote: the output paths and the event counts per sample and region.
  public struct Summary: Sendable {
    /// Output files relative to `root`.
    public var outputs: [String] = []
    /// Events per (sample, region index).
    public var events: [String: [Int]] = [:]
    /// With ``Applier/scoring``: every stage's scores of every applied event, in the order of
    /// ``CascadeScorer/scoreAll(_:models:extraColumns:)`` when every file is applied.
    public var scored: ScoredEvents?
  }

  /// When set, each block is scored by every stage once (``CascadeScorer/score(_:models:isMC:threads:outOfFold:)``),
  /// routed from those scores, and kept in ``Summary/scored`` with these extra columns: `cascade run`
  /// hands them to the evaluation instead of reading and scoring every event again. Memory then
  /// grows with the inputs (as the evaluation's does); plain `apply` leaves it nil and streams.
  public var scoring: ScoringRequest?

  /// What ``scoring`` keeps besides every stage's scores, and the scores it can reuse.
  public struct ScoringRequest: Sendable {
    public var extraColumns: [String]
    /// Out-of-fold scores of every MC event by every stage, from training
    /// (``CascadePipeline/Trained/outOfFold``): used for the MC events instead of scoring them
    /// again, when their count matches the inputs'.
    public var trainedScores: [[Double]]?
    /// Keeps `extraColumns` (e.g. the fit observable) besides every stage's features.
    public init(extraColumns: [String], trainedScores: [[Double]]? = nil) {
      self.extraColumns = extraColumns
      self.trainedScores = trainedScores
    }
  }

  /// Row counts of every input file (config order), for planning shards.
  public static func inputFiles(_ config: CascadeConfig, sampleIndices: [Int], files: Set<String>?) throws -> [(sampleIndex: Int, file: String, rows: Int)] {
    var out: [(Int, String, Int)] = []
    for si in sampleIndices {
      let s = config.samples[si]
      for f in s.files where files == nil || files!.contains(f) {
        out.append((si, f, try openEventFile(f, options: EventFileOptions(table: s.table)).rowCount))
      }
    }
    return out
  }

  /// The columns copied from the sample's inputs, checked to exist with one dtype in every file.
  func copiedSchema(sampleIndex si: Int) throws -> [(name: String, dtype: DType)] {
    let sample = config.samples[si]
    var schema: [(name: String, dtype: DType)]?
    for f in sample.files {
      let r = try openEventFile(f, options: EventFileOptions(table: sample.table))
      if let keep = sample.keepColumns { try r.requireColumns(keep) }
      let own = sample.keepColumns.map { keep in keep.map { k in r.schema.first { $0.name == k }! } } ?? r.schema
      if let schema {
        for (a, b) in zip(schema, own) where a.name != b.name || a.dtype != b.dtype {
          throw UserError("\(f): column \"\(b.name)\" is \(b.dtype.rawValue) but \(a.dtype.rawValue) in \(sample.files[0]) (sample \"\(sample.name)\")")
        }
        if schema.count != own.count {
          throw UserError("\(f): has columns \(own.map(\.name)), \(sample.files[0]) has \(schema.map(\.name)) (sample \"\(sample.name)\")")
        }
      } else {
        schema = own
      }
    }
    return schema ?? []
  }

  /// The copied columns a `new_columns` score file keeps: those the run reads back from it
  /// (event number, the sample's weight, the fit observable), in copied order.
  static func friendColumns(_ config: CascadeConfig, sample: SampleConfig, copied: [(name: String, dtype: DType)]) -> [(name: String, dtype: DType)] {
    let wanted = Set([config.eventNumber, sample.weight, config.fit?.value["observable"]?.stringValue].compactMap { $0 })
    return copied.filter { wanted.contains($0.name) }
  }

  /// `regionSamples`: samples whose region files are written (nil = all). A partial apply
  /// (`--files`) that does not cover every file of a sample writes only its score files, so a
  /// purified sample is never replaced by part of itself.
  public func apply(pieces: [InputPiece], to root: String, regionSamples: Set<Int>? = nil) throws -> Summary {
    var summary = Summary()
    let regions = router.regions
    let stageNames = config.stages.map(\.name)
    var neededFeatures = Array(Set(config.stages.flatMap(\.features))).sorted()
    let scoredColumns = scoring.map { CascadeScorer.columns(router.stages, extraColumns: $0.extraColumns) }
    for c in scoredColumns ?? [] where !neededFeatures.contains(c) { neededFeatures.append(c) }
    var scored = scoredColumns.map { ScoredEvents(stages: router.stages.count, columns: $0) }
    let isMC = config.samples.map(\.isMC)
    // Training's scores follow the MC events in input order, as this loop does (samples in
    // config order, files and rows in order): a cursor walks them.
    let mcRows = pieces.filter { isMC[$0.sampleIndex] }.reduce(0) { $0 + $1.rows.count }
    let trained = scoring?.trainedScores.flatMap { t in t.count == router.stages.count && t.allSatisfy { $0.count == mcRows } ? t : nil }
    var mcCursor = 0
    let bySample = Dictionary(grouping: pieces, by: \.sampleIndex)
    for si in bySample.keys.sorted() {
      let sample = config.samples[si]
      let copied = try copiedSchema(sampleIndex: si)
      let newColumns = stageNames.map { ("score_\($0)", DType.float64) } + [("region", .int8), ("fold", .int8)]
      let outSchema = copied + newColumns
      let scoreSchema = config.scoreFiles == .kept ? outSchema : Self.friendColumns(config, sample: sample, copied: copied) + newColumns
      let regionsJSON = JSONValue(regions).serialized(pretty: false)
      let stagesJSON = JSONValue(stageNames).serialized(pretty: false)
      var regionWriters: [AlignedWriter] = []
      for r in regions where regionSamples?.contains(si) ?? true {
        let meta: JSONValue = ["sample": .string(sample.name), "region": .string(r)]
        let attrs = [OutputLayout.metadataKey: meta.serialized(pretty: false), "regions": regionsJSON, "stages": stagesJSON]
        let rel = OutputLayout.regionFile(region: r, sample: sample.name)
        regionWriters.append(try AlignedWriter(path: root + "/" + rel, schema: outSchema, options: OutputLayout.writeOptions(attributes: attrs)))
        summary.outputs.append(rel)
      }
      var counts = [Int](repeating: 0, count: regions.count)
      for piece in bySample[si]! {
        let reader = try openEventFile(piece.file, options: EventFileOptions(table: sample.table, threads: config.training.threads))
        var readColumns = copied.map(\.name)
        for c in neededFeatures + [config.eventNumber, sample.weight].compactMap({ $0 }) where !readColumns.contains(c) { readColumns.append(c) }
        // The variations' own columns are read in the same pass; shared columns once.
        let plan = VariationPlan(config: config, sample: sample)
        for c in plan.inputColumns where !readColumns.contains(c) { readColumns.append(c) }
        try reader.requireColumns(readColumns)
        let meta: JSONValue = ["sample": .string(sample.name), "source": .string((piece.file as NSString).lastPathComponent)]
        let attrs = [OutputLayout.metadataKey: meta.serialized(pretty: false), "regions": regionsJSON, "stages": stagesJSON]
        let rel = OutputLayout.scoresFile(sample: sample.name, file: piece.file)
        let scoresWriter = try AlignedWriter(path: root + "/" + rel, schema: scoreSchema, options: OutputLayout.writeOptions(attributes: attrs))
        summary.outputs.append(rel)
        var variationWriter: AlignedWriter?
        if !plan.isEmpty {
          let vrel = OutputLayout.variationEventsFile(sample: sample.name, file: piece.file)
          variationWriter = try AlignedWriter(path: root + "/" + vrel, schema: plan.schema, options: OutputLayout.writeOptions(attributes: attrs))
          summary.outputs.append(vrel)
        }
        progress("apply \(sample.name): \(piece.file) rows \(piece.rows.lowerBound)..<\(piece.rows.upperBound)")
        for block in ParallelBlocks.blockRanges(count: piece.rows.count, blockSize: config.training.chunkRows) {
          let rows = (piece.rows.lowerBound + block.lowerBound)..<(piece.rows.lowerBound + block.upperBound)
          let table = try reader.read(columns: readColumns, rows: rows)
          // Same policy as training: NaN features are missing values, ±inf features and non-finite
          // weights are errors.
          if let w = sample.weight { try requireFiniteWeights(table, column: w, file: piece.file, firstRow: rows.lowerBound) }
          let folds = try FoldRule(config).folds(table: table, file: piece.file, firstRow: rows.lowerBound)
          var cache: [String: [Float]] = [:]
          func feature(_ name: String) throws -> [Float] {
            if let c = cache[name] { return c }
            let v = try EventLoader.featureValues(table, column: name, file: piece.file, firstRow: rows.lowerBound)
            cache[name] = v
            return v
          }
          let routed: StageRouter.Routed
          if let scoredColumns {
            var block = LoadedEvents()
            block.sampleIndex = .init(repeating: Int32(si), count: table.rowCount)
            block.weights = try EventLoader.trueWeights(table, weight: sample.weight, scale: sample.scale, file: piece.file, firstRow: rows.lowerBound)
            block.folds = folds
            for c in scoredColumns { block.columns[c] = try feature(c) }
            var known: [[Double]]?
            if let trained, isMC[si] {
              known = trained.map { Array($0[mcCursor..<(mcCursor + table.rowCount)]) }
              mcCursor += table.rowCount
            }
            let s = CascadeScorer.score(block, models: router.stages, isMC: isMC, threads: router.threads, outOfFold: known)
            routed = StageRouter.routed(s)
            scored!.append(s)
          } else {
            routed = try router.route(count: table.rowCount, folds: folds, features: feature)
          }
          if let variationWriter {
            try variationWriter.append(try plan.evaluate(
              table: table, folds: folds, nominal: routed, router: router, nominalFeature: feature, file: piece.file, firstRow: rows.lowerBound))
          }
          var out = try table.selecting(copied.map(\.name))
          for (s, name) in stageNames.enumerated() { try out.append(Column("score_\(name)", .float64(routed.scores[s]))) }
          try out.append(Column("region", .int8(routed.region)))
          try out.append(Column("fold", .int8(folds.map { Int8($0) })))
          try scoresWriter.append(config.scoreFiles == .kept ? out : try out.selecting(scoreSchema.map(\.name)))
          for r in regions.indices {
            let mask = routed.region.map { $0 == Int8(r) }
            let n = mask.lazy.filter { $0 }.count
            counts[r] += n
            if n > 0, !regionWriters.isEmpty { try regionWriters[r].append(out.filter(mask)) }
          }
        }
        try scoresWriter.finish()
        try variationWriter?.finish()
      }
      for w in regionWriters { try w.finish() }
      summary.events[sample.name] = counts
    }
    summary.scored = scored
    return summary
  }
}

/// Throws naming file, row (0-based data row) and column at the first non-finite weight.
public func requireFiniteWeights(_ table: EventTable, column: String, file: String, firstRow: Int) throws {
  let w = try table.column(named: column).float64Values()
  if let bad = w.firstIndex(where: { !$0.isFinite }) {
    throw UserError("\(file): row \(firstRow + bad), column \"\(column)\": weight is not finite (\(w[bad]))")
  }
}
