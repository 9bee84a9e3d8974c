import Boosting
import Cascade
import CascadeSupport

/// The run-level side of the sculpting diagnostics: which observable (the fit's, else the first
/// stage `decorrelate` observable), its bins, and writing `tables/sculpting.{md,json}`.
public enum SculptingRun {
  /// The observable the diagnostics follow, or nil when the run has neither a fit nor a
  /// decorrelated stage.
  public static func observable(_ config: CascadeConfig) -> String? {
    if let o = config.fit?.value["observable"]?.stringValue, !o.isEmpty { return o }
    return config.stages.lazy.compactMap { $0.decorrelate?.observable }.first
  }

  /// The fit block's edges ("edges", or "bins" + "range") when it has valid ones (the fit layer
  /// reports invalid blocks); else `fallbackBins` equal bins between the values' extremes.
  public static func edges(_ config: CascadeConfig, values: [Double], fallbackBins: Int = 20) -> [Double] {
    let fit = config.fit?.value
    if let e = fit?["edges"]?.arrayValue?.compactMap(\.doubleValue), e.count >= 2,
      zip(e, e.dropFirst()).allSatisfy({ $0 < $1 })
    {
      return e
    }
    if let n = fit?["bins"]?.doubleValue, n >= 1, n == n.rounded(), n <= 100_000,
      let r = fit?["range"]?.arrayValue?.compactMap(\.doubleValue), r.count == 2, r[0] < r[1]
    {
      let bins = Int(n)
      var e = (0...bins).map { r[0] + (r[1] - r[0]) * Double($0) / Double(bins) }
      e[bins] = r[1]
      return e
    }
    let finite = values.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max(), lo < hi else { return [] }
    return (0...fallbackBins).map { $0 == fallbackBins ? hi : lo + (hi - lo) * Double($0) / Double(fallbackBins) }
  }

  /// The diagnostics' input from the scored events (which must hold the observable's column).
  public static func input(_ config: CascadeConfig, observable: String, scored: ScoredEvents) -> SculptingInput {
    let ev = scored.events
    let values = (ev.columns[observable] ?? []).map(Double.init)
    let isMC = config.samples.map(\.isMC)
    let mcValues = values.indices.filter { isMC[Int(ev.sampleIndex[$0])] }.map { values[$0] }
    return SculptingInput(
      observable: observable, edges: edges(config, values: mcValues),
      sampleNames: config.samples.map(\.name), sampleRoles: config.samples.map(\.role.rawValue),
      stages: config.stages.map { st in
        (st.name, st.region, st.backgrounds.compactMap { b in config.samples.firstIndex { $0.name == b } })
      },
      sampleIndex: ev.sampleIndex, weight: ev.weights, value: values, exitStage: scored.exitStage, scores: scored.outOfFold)
  }

  /// Computes the rows, writes `tables/sculpting.{md,json}` atomically and reports every
  /// flagged row through `warn`. Returns the rows.
  @discardableResult
  public static func write(
    _ config: CascadeConfig, observable: String, scored: ScoredEvents, to tablesDirectory: String,
    warn: (String) -> Void = { _ in }
  ) throws -> [SculptingRow] {
    try write(config, observable: observable, rows: Sculpting.rows(input(config, observable: observable, scored: scored)), to: tablesDirectory, warn: warn)
  }

  /// Writes `tables/sculpting.{md,json}` of computed `rows` atomically and reports every flagged
  /// row through `warn`. Returns the rows.
  @discardableResult
  public static func write(
    _ config: CascadeConfig, observable: String, rows: [SculptingRow], to tablesDirectory: String,
    warn: (String) -> Void = { _ in }
  ) throws -> [SculptingRow] {
    try JSONFile.write(Sculpting.records(rows), to: tablesDirectory + "/sculpting.json")
    try AtomicFile.write(Sculpting.markdown(rows, observable: observable), to: tablesDirectory + "/sculpting.md")
    for w in Sculpting.warnings(rows, observable: observable) { warn(w) }
    return rows
  }
}
