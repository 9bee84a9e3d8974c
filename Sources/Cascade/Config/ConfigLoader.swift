import Boosting
import CascadeSupport
import EventData
import Foundation

extension CascadeConfig {
  static let topKeys = ["name", "output", "event_number", "samples", "bdt", "stages", "training", "fit", "keep_columns", "description", "optimisation", "systematics", "score_files"]
  static let sampleKeys = ["name", "role", "files", "weight", "scale", "table", "keep_columns"]
  static let stageKeys = ["name", "background", "region", "features", "bdt", "working_point", "decorrelate"]
  static let trainingKeys = ["folds", "seed", "balance_classes", "negative_weights", "threads", "chunk_rows"]
  static let workingPointKeys = ["signal_efficiency", "background_efficiency", "threshold", "maximize", "optimize", "of", "start"]

  /// Loads and checks a config: structure (unknown keys with suggestions, types, ranges) and
  /// names (unique samples and stages, backgrounds that are background samples). Globs are
  /// resolved; file contents are checked by `validateInputs`.
  ///
  /// ```swift
  /// let config = try CascadeConfig.load(path: "configs/toy.json")
  /// ```
  public static func load(path: String) throws -> CascadeConfig {
    try load(path: path, resolvingAgainst: path)
  }

  /// Loads `path` with its relative paths resolved as if the file were at `base` (the copy in
  /// a run directory resolves against the original config's location).
  public static func load(path: String, resolvingAgainst base: String) throws -> CascadeConfig {
    guard let data = FileManager.default.contents(atPath: path) else { throw UserError("\(path): cannot read config file") }
    var config = try parse(bytes: [UInt8](data), source: path, resolvingAgainst: base)
    config.path = path
    return config
  }

  /// Parses config text (`source` names it in errors); relative paths resolve against `base`.
  /// Every malformed input is a `UserError` (the fuzz target `fuzz-config` checks this).
  public static func parse(bytes: [UInt8], source: String, resolvingAgainst base: String) throws -> CascadeConfig {
    var h = StableHash()
    h.combine(bytes: bytes)
    let root = JSONCursor(try JSONValue.parse(bytes, source: source), source: source)
    var config = try parse(root, path: base, checksum: h.hex)
    config.path = source
    return config
  }

  /// The config a run was made with: its `config.json` copy, paths resolved against the
  /// original location recorded in `manifest.json`.
  public static func load(runDirectory: String) throws -> CascadeConfig {
    let run = RunDirectory(runDirectory)
    let copy = runDirectory + "/config.json"
    guard FileManager.default.fileExists(atPath: copy) else { throw UserError("\(runDirectory): not a run directory (no config.json)") }
    var base = copy
    if let m = try? JSONValue.load(path: run.manifest), let original = m["config"]?["path"]?.stringValue {
      base = original
    }
    var config = try load(path: copy, resolvingAgainst: base)
    config.output = runDirectory
    return config
  }

  static func parse(_ root: JSONCursor, path: String, checksum: String) throws -> CascadeConfig {
    let top = try root.object(allowed: topKeys)
    let name = try top.required("name").string()
    guard !name.isEmpty else { throw try top.required("name").error("must not be empty") }
    let output = resolve(try top.optional("output")?.string() ?? "../runs/\(name)", against: path)
    let eventNumber = try top.optional("event_number")?.string()
    let globalKeep = try top.optional("keep_columns")?.strings()

    var training = TrainingConfig()
    if let t = try top.optional("training")?.object(allowed: trainingKeys) {
      if let c = t.optional("folds") {
        training.folds = try c.int()
        guard (1...100).contains(training.folds) else { throw c.error("must be between 1 and 100") }
      }
      if let c = t.optional("seed") {
        let s = try c.int()
        guard s >= 0 else { throw c.error("must be non-negative") }
        training.seed = UInt64(s)
      }
      if let c = t.optional("balance_classes") { training.balanceClasses = try c.bool() }
      if let c = t.optional("negative_weights") {
        let s = try c.string()
        guard let p = NegativeWeightPolicy(rawValue: s) else {
          throw c.error("must be one of ignore, abs, keep (found \"\(s)\")")
        }
        training.negativeWeights = p
      }
      if let c = t.optional("threads") {
        training.threads = try c.int()
        guard training.threads >= 0 else { throw c.error("must be ≥ 0 (0 = all cores)") }
      }
      if let c = t.optional("chunk_rows") {
        training.chunkRows = try c.int()
        guard training.chunkRows >= 1 else { throw c.error("must be ≥ 1") }
      }
    }

    var bdt = BoostParameters()
    bdt.seed = training.seed
    bdt.threads = training.threads
    bdt.balanceClasses = training.balanceClasses
    bdt.negativeWeights = training.negativeWeights
    if let b = top.optional("bdt") { bdt = try bdt.overriding(with: b) }

    // Samples
    var samples: [SampleConfig] = []
    let sampleCursors = try top.required("samples").array()
    guard !sampleCursors.isEmpty else { throw try top.required("samples").error("at least one sample is required") }
    for sc in sampleCursors {
      let s = try sc.object(allowed: sampleKeys)
      let sname = try s.required("name").string()
      guard !sname.isEmpty, !sname.contains("/") else { throw try s.required("name").error("must be a non-empty name without '/'") }
      if samples.contains(where: { $0.name == sname }) { throw try s.required("name").error("duplicate sample name \"\(sname)\"") }
      let roleCursor = try s.required("role")
      let roleText = try roleCursor.string()
      guard let role = SampleRole(rawValue: roleText) else {
        throw roleCursor.error("must be signal, background or data (found \"\(roleText)\")")
      }
      let filesCursor = try s.required("files")
      let patterns = try filesCursor.stringOrStrings()
      guard !patterns.isEmpty else { throw filesCursor.error("at least one file is required") }
      var files: [String] = []
      for (i, p) in patterns.enumerated() {
        let full = resolve(p, against: path)
        let matches = expandGlob(full)
        let at = filesCursor.value.arrayValue == nil ? filesCursor : filesCursor.element(i, .string(p))
        if matches.isEmpty { throw at.error("no file matches \"\(p)\"") }
        if matches.count == 1, matches[0] == full, !FileManager.default.fileExists(atPath: full) {
          throw at.error("file not found: \(full)")
        }
        for m in matches where !files.contains(m) { files.append(m) }
      }
      // Score files are named by input stem: two inputs of a sample may not share one.
      var stems: [String: String] = [:]
      for f in files {
        let stem = fileStem(f)
        if let other = stems[stem] { throw filesCursor.error("\(other) and \(f) share the file name stem \"\(stem)\"") }
        stems[stem] = f
      }
      var scale = 1.0
      if let c = s.optional("scale") {
        scale = try c.finiteDouble()
      }
      samples.append(SampleConfig(
        name: sname, role: role, files: files, weight: try s.optional("weight")?.string(), scale: scale,
        table: try s.optional("table")?.string(), keepColumns: try s.optional("keep_columns")?.strings() ?? globalKeep))
    }
    let sampleNames = samples.map(\.name)
    if !samples.contains(where: { $0.role == .signal }) {
      throw try top.required("samples").error("no sample has role \"signal\"")
    }

    // Stages
    var stages: [StageConfig] = []
    let stageCursors = try top.required("stages").array()
    guard !stageCursors.isEmpty else { throw try top.required("stages").error("at least one stage is required") }
    for sc in stageCursors {
      let s = try sc.object(allowed: stageKeys)
      let sname = try s.required("name").string()
      guard !sname.isEmpty, sname.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
        throw try s.required("name").error("must be non-empty and use only letters, digits, '_' and '-'")
      }
      if stages.contains(where: { $0.name == sname }) { throw try s.required("name").error("duplicate stage name \"\(sname)\"") }
      let bc = try s.required("background")
      let backgrounds = try bc.stringOrStrings()
      guard !backgrounds.isEmpty else { throw bc.error("at least one background sample is required") }
      for (i, b) in backgrounds.enumerated() {
        let at = bc.value.arrayValue == nil ? bc : bc.element(i, .string(b))
        guard let sample = samples.first(where: { $0.name == b }) else {
          var msg = "\"\(b)\" is not a sample"
          if let near = nearestName(to: b, in: sampleNames) { msg += " (did you mean \"\(near)\"?)" }
          throw at.error(msg)
        }
        guard sample.role == .background else { throw at.error("sample \"\(b)\" has role \(sample.role.rawValue), not background") }
      }
      let region = try s.optional("region")?.string()
        ?? (backgrounds.count == 1 ? "CR_\(backgrounds[0])" : "CR_\(sname)")
      guard region != signalRegion, !region.isEmpty, !region.contains("/") else {
        throw (s.optional("region") ?? sc).error("region name \"\(region)\" is not allowed")
      }
      if stages.contains(where: { $0.region == region }) {
        throw (s.optional("region") ?? sc).error("region \"\(region)\" is used by two stages")
      }
      let fc = try s.required("features")
      let features = try fc.strings()
      guard !features.isEmpty else { throw fc.error("at least one feature is required") }
      if Set(features).count != features.count { throw fc.error("features must be unique") }
      var stageBDT = bdt
      if let b = s.optional("bdt") { stageBDT = try bdt.overriding(with: b) }
      let wp = try parseWorkingPoint(try s.required("working_point"))
      let decorrelate = try s.optional("decorrelate").map { try Decorrelation.parse($0, boost: stageBDT.boost) }
      stages.append(StageConfig(
        name: sname, backgrounds: backgrounds, region: region, features: features, bdt: stageBDT, workingPoint: wp,
        decorrelate: decorrelate))
    }

    var config = CascadeConfig(
      path: path, name: name, output: output, eventNumber: eventNumber, samples: samples, bdt: bdt,
      stages: stages, training: training, fit: top.optional("fit"), checksum: checksum)
    if let sc = top.optional("systematics") {
      config.systematics = try parseSystematics(sc, samples: samples, regions: config.regions, base: path)
    }
    config.pruning = try parsePruning(config.fit)
    if let c = top.optional("score_files") {
      let v = try c.string()
      guard let columns = ScoreFileColumns(rawValue: v) else {
        throw c.error("must be one of \(ScoreFileColumns.allCases.map(\.rawValue).joined(separator: ", ")) (found \"\(v)\")")
      }
      config.scoreFiles = columns
    }
    if let oc = top.optional("optimisation") {
      let o = try oc.object(allowed: ["budget"])
      if let b = o.optional("budget") {
        config.optimisationBudget = try b.int()
        guard config.optimisationBudget >= 1 else { throw b.error("must be ≥ 1 (objective evaluations)") }
      }
    }
    try checkOptimisedStages(config, stageCursors: stageCursors, top: top)
    return config
  }

  /// Optimised stages share one objective (the search is joint) and need a `fit` block.
  static func checkOptimisedStages(_ config: CascadeConfig, stageCursors: [JSONCursor], top: JSONObjectCursor) throws {
    var first: FitObjective?
    for (i, s) in config.stages.enumerated() {
      guard let o = s.workingPoint.objective else { continue }
      let at = try stageCursors[i].object().required("working_point")
      if top.optional("fit") == nil { throw at.error("optimising a working point needs a \"fit\" block (the objective is the fit's expected precision)") }
      if let f = first, f != o {
        throw at.error("every optimised stage must have the same objective (the thresholds are chosen jointly)")
      }
      first = o
    }
  }

  static func parseWorkingPoint(_ c: JSONCursor) throws -> WorkingPoint {
    let o = try c.object(allowed: workingPointKeys)
    if let oc = o.optional("optimize") { return try parseOptimized(oc, in: o) }
    for k in ["of", "start"] where o.optional(k) != nil { throw o.optional(k)!.error("only allowed with \"optimize\"") }
    guard o.keys.count == 1, let key = o.keys.first else {
      throw c.error("give exactly one of signal_efficiency, background_efficiency, threshold, maximize")
    }
    let v = try o.required(key)
    switch key {
    case "signal_efficiency", "background_efficiency":
      let e = try v.double()
      guard e > 0, e < 1 else { throw v.error("must be strictly between 0 and 1 (found \(JSONValue.format(e)))") }
      return key == "signal_efficiency" ? .signalEfficiency(e) : .backgroundEfficiency(e)
    case "threshold":
      return .threshold(try v.finiteDouble())
    default:
      let s = try v.string()
      guard s == "significance" else { throw v.error("only \"significance\" can be maximised (found \"\(s)\")") }
      return .maximizeSignificance
    }
  }

  /// `{"optimize": "expected_poi_error" | "expected_significance" | "expected_error", "of": P, "start": WP}`.
  static func parseOptimized(_ oc: JSONCursor, in o: JSONObjectCursor) throws -> WorkingPoint {
    for k in ["signal_efficiency", "background_efficiency", "threshold", "maximize"] where o.optional(k) != nil {
      throw o.optional(k)!.error("give either \"optimize\" (with \"start\") or a fixed working point, not both")
    }
    let name = try oc.string()
    let objective: FitObjective
    switch name {
    case "expected_poi_error": objective = .expectedPOIError
    case "expected_significance": objective = .expectedSignificance
    case "expected_error":
      guard let p = o.optional("of") else { throw oc.error("\"expected_error\" needs \"of\": the parameter (e.g. \"mu_ttbar\")") }
      let parameter = try p.string()
      guard !parameter.isEmpty else { throw p.error("must not be empty") }
      objective = .expectedError(of: parameter)
    default:
      var msg = "must be expected_poi_error, expected_significance or expected_error (found \"\(name)\")"
      if let near = nearestName(to: name, in: ["expected_poi_error", "expected_significance", "expected_error"]) { msg += " (did you mean \"\(near)\"?)" }
      throw oc.error(msg)
    }
    if case .expectedError = objective {} else if let p = o.optional("of") { throw p.error("only allowed with \"expected_error\"") }
    var start = defaultOptimisationStart
    if let sc = o.optional("start") {
      start = try parseWorkingPoint(sc)
      if start.objective != nil { throw sc.error("the start must be a fixed working point") }
    }
    return .optimize(objective, start: start)
  }

  /// Where an optimised stage starts without `start`.
  public static let defaultOptimisationStart = WorkingPoint.signalEfficiency(0.9)
}

/// File name without directory and extension: `samples/toy/wjets_1.h5` → `wjets_1`.
public func fileStem(_ path: String) -> String {
  ((path as NSString).lastPathComponent as NSString).deletingPathExtension
}
