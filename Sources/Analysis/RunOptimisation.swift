import Cascade
import CascadeSupport
import Foundation
import YieldFit

/// The fit-driven working points of a run: the `ThresholdSearch` that `cascade train` runs
/// between training and writing the models, and `tables/optimisation.{md,json}`.
///
/// BLINDING: the objective is evaluated on the Asimov dataset (expected counts at the nominal
/// parameters) of templates made from MC events only; the search receives the training load,
/// which reads MC samples only, and never opens a data file.
public enum RunOptimisation {
  /// What the record says about the objective's model and what the search holds fixed.
  static func notes(_ config: CascadeConfig, fit: FitBlock) -> [String] {
    var notes = [
      "Blind: the objective is the Asimov fit (expected counts at nominal parameters, nominal auxiliary data) of MC templates; no data event is read.",
      "The stage models are those trained at the start working points; candidate thresholds re-route the cached out-of-fold scores of every MC event (later stages are not re-trained on the new survivors).",
      "Templates are built as the run's fit builds them (same binning, regions, normfactors, staterror, clipping of empty bins).",
      "Fixed (non-optimised) stages keep the threshold solved at training.",
    ]
    let names = config.systematics.map(\.name) + fit.systematics.map(\.name)
    if names.isEmpty {
      notes.append("No systematics: the objective includes MC statistics (staterror) and the normalisations only.")
    } else {
      notes.append(
        "Systematics in the objective's model: \(names.joined(separator: ", ")); weight, shift and files variations are re-routed from their own cached scores "
          + "(shifted columns re-scored by every stage reading one, alternative samples scored whole), then symmetrised, smoothed and pruned as the run's fit does.")
    }
    return notes
  }

  /// The search for `config`, or nil when no stage's working point is optimised (a stale
  /// `tables/optimisation.*` of an earlier training is then removed).
  public static func search(_ config: CascadeConfig, progress: @escaping (String) -> Void = { _ in }) throws -> ThresholdSearch? {
    let tables = RunDirectory(config.output).tables
    guard config.optimisesWorkingPoints, let block = config.fit else {
      for name in [OptimisationRecord.jsonName, OptimisationRecord.markdownName] { try? FileManager.default.removeItem(atPath: tables + "/" + name) }
      return nil
    }
    let fit = try FitBlock.parse(block)
    if let first = RunFit.problems(config, fit: fit).first { throw UserError("\(config.path): \(first)") }
    return ThresholdSearch(doubleColumns: [fit.observable]) { trained in
      let start = Date()
      let record = try optimise(trained, fit: fit, progress: progress)
      try write(record, tablesDirectory: tables)
      progress(String(format: "optimise: %.1f s", Date().timeIntervalSince(start)))
      return record.stages.map(\.threshold)
    }
  }

  /// The search on `trained` with the run's fit block (nominal templates plus the block's systematics).
  public static func optimise(_ trained: TrainedStages, fit: FitBlock, progress: (String) -> Void = { _ in }) throws -> OptimisationRecord {
    let config = trained.config
    let signals = config.samples.filter { $0.role == .signal }.map(\.name)
    let optimised = config.stages.indices.filter { config.stages[$0].workingPoint.objective != nil }
    guard let objective = optimised.first.flatMap({ config.stages[$0].workingPoint.objective }) else {
      throw UserError("\(config.path): no stage has an optimised working point")
    }
    // The systematics' variations, from MC only, scored once by the trained stages.
    let variations = config.systematics.contains(where: \.hasTemplates)
      ? try VariationCache.load(config, models: trained.models, fit: fit) : nil
    let fitted = fit.regions ?? config.regions
    let optimiser = WorkingPointOptimiser(
      cache: TemplateCache(trained, fit: fit), objective: AsimovObjective(objective), optimised: optimised,
      startThresholds: trained.models.map(\.threshold), stageNames: config.stages.map(\.name), signalSamples: Set(signals),
      budget: config.optimisationBudget
    ) { thresholds, all in
      // As SystematicFit builds the run's fit: the fitted regions in the fit's order, the
      // config's modifiers added to the block's.
      let regions = fitted.compactMap { name in all.first { $0.region == name } }
      var block = fit
      if !config.systematics.isEmpty {
        let templates = variations?.templates(thresholds: thresholds) ?? VariationTemplates()
        block.systematics += SystematicModifiers.build(config, nominal: regions, variations: templates, fittedRegions: fitted).systematics
      }
      return try buildWorkspace(regions: regions, fit: block.workspace, signalSamples: signals, asimov: true).workspace
    }
    do {
      return try optimiser.run(notes: notes(config, fit: fit), progress: progress)
    } catch let e as UserError {
      throw UserError("\(config.path): \(e.message)")
    }
  }

  /// Writes `tables/optimisation.json` and `.md` (each atomically).
  public static func write(_ record: OptimisationRecord, tablesDirectory: String) throws {
    try JSONFile.write(record, to: tablesDirectory + "/" + OptimisationRecord.jsonName)
    try AtomicFile.write(Array(record.markdown().utf8), to: tablesDirectory + "/" + OptimisationRecord.markdownName)
  }
}
