import Cascade
import CascadeSupport
import EventData
import Foundation

/// `tables/systematics.{md,json}`: for every systematic with events, sample and side, the yield
/// of each region (nominal and varied), its relative change, and — for `shift` variations, the
/// only ones that move events — the migration matrix: the fraction of the nominal yield of each
/// region that the variation routes to every region. Weight variations never migrate (routing
/// unchanged); file variations are other events, so they have yields but no matrix. The fit adds
/// its pruning decisions.
public enum SystematicsTable {
  /// The file's name in `tables/`.
  public static let fileName = "systematics.json"

  /// One systematic, sample and side: yields per region and (shift variations) the migration.
  public struct Row: Codable, Sendable, Equatable {
    public var systematic: String
    public var type: String
    public var sample: String
    public var side: String
    public var regions: [String]
    /// Σw per region (all events, weights × scale), nominal and varied.
    public var nominal: [Double]
    public var varied: [Double]
    /// varied / nominal − 1 per region (nil where the nominal yield is 0).
    public var change: [Double?]
    /// migration[from][to]: fraction of the nominal yield of region `from` routed to `to`.
    public var migration: [[Double]]?
  }

  /// `tables/systematics.json`, written by `write` and read back by the report.
  public struct File: Codable, Sendable, Equatable {
    public var systematics: [Row]
    /// The fit's pruning decisions (empty until `cascade fit` ran).
    public var pruning: [PruningDecision]
  }

  /// Computes the rows from the run's apply outputs and writes `tables/systematics.{json,md}`
  /// with `pruning` (the fit's decisions, empty from `cascade evaluate`).
  public static func write(_ config: CascadeConfig, runDirectory: String, pruning: [PruningDecision]) throws {
    let file = File(systematics: try compute(config, runDirectory: runDirectory), pruning: pruning)
    let dir = runDirectory + "/tables"
    try AtomicFile.createDirectory(dir)
    try JSONFile.write(file, to: dir + "/" + fileName)
    try AtomicFile.write(markdown(file, regions: config.regions), to: dir + "/systematics.md")
  }

  /// Reads each sample's score files (nominal region, weight) with their variation files.
  public static func compute(_ config: CascadeConfig, runDirectory run: String) throws -> [Row] {
    let regions = config.regions, nr = regions.count
    var rows: [Row] = []
    for sample in config.mcSamples {
      let plan = VariationPlan(config: config, sample: sample)
      var nominal = [Double](repeating: 0, count: nr)
      var weightYields: [String: [Double]] = [:]
      var matrices: [String: [[Double]]] = [:]
      for f in sample.files {
        let scores = try openEventFile(OutputLayout.scoresPath(root: run, sample: sample.name, file: f))
        let cols = ["region"] + (sample.weight.map { [$0] } ?? [])
        let varied = plan.isEmpty ? nil : try openEventFile(run + "/" + OutputLayout.variationEventsFile(sample: sample.name, file: f))
        for block in scores.blockRanges(of: 1 << 18) {
          let t = try scores.read(columns: cols, rows: block)
          let r = try t.column(named: "region").float64Values().map { Int($0) }
          let w = try sample.weight.map { try t.column(named: $0).float64Values() } ?? .init(repeating: 1, count: t.rowCount)
          let u = try varied?.read(columns: plan.schema.map(\.name), rows: block)
          for i in 0..<t.rowCount where r[i] >= 0 && r[i] < nr { nominal[r[i]] += w[i] * sample.scale }
          guard let u else { continue }
          for wv in plan.weights {
            let wv2 = try u.column(named: OutputLayout.variationWeightColumn(wv.variation)).float64Values()
            var y = weightYields[wv.variation.key] ?? .init(repeating: 0, count: nr)
            for i in 0..<t.rowCount where r[i] >= 0 && r[i] < nr { y[r[i]] += wv2[i] * sample.scale }
            weightYields[wv.variation.key] = y
          }
          for sv in plan.shifts {
            let rv = try u.column(named: OutputLayout.variationRegionColumn(sv.variation)).float64Values().map { Int($0) }
            var m = matrices[sv.variation.key] ?? .init(repeating: .init(repeating: 0, count: nr), count: nr)
            for i in 0..<t.rowCount where r[i] >= 0 && r[i] < nr && rv[i] >= 0 && rv[i] < nr { m[r[i]][rv[i]] += w[i] * sample.scale }
            matrices[sv.variation.key] = m
          }
        }
      }
      for s in config.systematics where s.hasTemplates && s.appliesTo(sample: sample) {
        for side in s.sides {
          let v = Variation(systematic: s.name, side: side)
          var varied: [Double]
          var migration: [[Double]]?
          switch s.kind {
          case .weight:
            varied = weightYields[v.key] ?? nominal
          case .shift:
            let m = matrices[v.key] ?? []
            varied = (0..<nr).map { b in m.reduce(0) { $0 + $1[b] } }
            migration = m.enumerated().map { a, row in row.map { nominal[a] != 0 ? $0 / nominal[a] : 0 } }
          default:
            varied = try alternativeYields(v, sample: sample, regions: nr, run: run)
          }
          let change: [Double?] = zip(varied, nominal).map { $1 != 0 ? $0 / $1 - 1 : nil }
          rows.append(Row(
            systematic: s.name, type: s.kind.typeName, sample: sample.name, side: side.rawValue, regions: regions,
            nominal: nominal, varied: varied, change: change, migration: migration))
        }
      }
    }
    return rows
  }

  static func alternativeYields(_ v: Variation, sample: SampleConfig, regions nr: Int, run: String) throws -> [Double] {
    let root = run + "/" + OutputLayout.variationFilesRoot(v)
    let dir = root + "/scores/" + sample.name
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".h5") }.sorted()
    guard !names.isEmpty else { throw UserError("\(dir): no score files of the variation (run `cascade apply` first)") }
    var y = [Double](repeating: 0, count: nr)
    for n in names {
      let reader = try openEventFile(dir + "/" + n)
      let cols = ["region"] + (sample.weight.map { [$0] } ?? [])
      for block in reader.blockRanges(of: 1 << 18) {
        let t = try reader.read(columns: cols, rows: block)
        let r = try t.column(named: "region").float64Values().map { Int($0) }
        let w = try sample.weight.map { try t.column(named: $0).float64Values() } ?? .init(repeating: 1, count: t.rowCount)
        for i in 0..<t.rowCount where r[i] >= 0 && r[i] < nr { y[r[i]] += w[i] * sample.scale }
      }
    }
    return y
  }

  static func percent(_ x: Double?) -> String {
    guard let x else { return "–" }
    return String(format: "%+.2f %%", 100 * x)
  }

  /// `tables/systematics.md`: yield changes, migration matrices and the pruning decisions.
  public static func markdown(_ file: File, regions: [String]) -> String {
    var out = "# Systematic variations\n\nYield change (varied / nominal − 1) per region; shift variations also migrate events between regions.\n"
    var names: [String] = []
    for r in file.systematics where !names.contains(r.systematic) { names.append(r.systematic) }
    for name in names {
      let rows = file.systematics.filter { $0.systematic == name }
      out += "\n## \(name) (\(rows[0].type))\n\n| sample | side | " + regions.joined(separator: " | ") + " |\n|---|---|" + regions.map { _ in "---:" }.joined(separator: "|") + "|\n"
      for r in rows { out += "| \(r.sample) | \(r.side) | " + r.change.map(percent).joined(separator: " | ") + " |\n" }
      for r in rows {
        guard let m = r.migration else { continue }
        out += "\nMigration of \(r.sample), \(r.side) (row: nominal region, column: varied region; fraction of the nominal yield):\n\n"
        out += "| from \\ to | " + regions.joined(separator: " | ") + " |\n|---|" + regions.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for (a, row) in m.enumerated() { out += "| \(regions[a]) | " + row.map { String(format: "%.4f", $0) }.joined(separator: " | ") + " |\n" }
      }
    }
    if !file.pruning.isEmpty {
      out += "\n## Pruning\n\n| systematic | region | sample | modifier | effect | threshold | decision |\n|---|---|---|---|---:|---:|---|\n"
      for p in file.pruning {
        out += "| \(p.systematic) | \(p.region) | \(p.sample) | \(p.modifier) | \(String(format: "%.5f", p.effect)) | \(String(format: "%.5f", p.threshold)) | \(p.kept ? "kept" : "dropped (\(p.reason ?? ""))") |\n"
      }
    }
    return out
  }
}

/// One pruning decision of the fit: a (systematic, region, sample) modifier kept or dropped, and
/// why. Written by the fit to `systematics/pruning.json` and into `tables/systematics.json`.
public struct PruningDecision: Codable, Sendable, Equatable {
  public var systematic: String
  public var region: String
  public var sample: String
  /// `normsys` or `histosys`.
  public var modifier: String
  /// |factor − 1| for a normsys, the largest relative bin deviation for a histosys.
  public var effect: Double
  public var threshold: Double
  public var kept: Bool
  /// Why it was dropped (`below threshold`, `shape: false`, `nominal yield <= 0`); nil if kept.
  public var reason: String?

  /// A decision; `reason` nil means kept.
  public init(systematic: String, region: String, sample: String, modifier: String, effect: Double, threshold: Double, reason: String?) {
    self.systematic = systematic
    self.region = region
    self.sample = sample
    self.modifier = modifier
    self.effect = effect
    self.threshold = threshold
    self.kept = reason == nil
    self.reason = reason
  }
}
