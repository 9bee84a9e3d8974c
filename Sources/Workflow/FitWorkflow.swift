import Analysis
import Cascade
import CascadeSupport
import Foundation
import YieldFit

/// What `cascade fit` is asked to do: a pyhf workspace, or a cascade run.
public struct FitWorkflowRequest: Sendable {
  /// The pyhf JSON workspace (nil with `runDirectory`).
  public var workspace: String?
  /// A cascade run to fit (`--run`).
  public var runDirectory: String?
  /// Directory for workspace.json, result.json, yields.{md,csv} and prepost.json.
  public var output: String?
  /// Interpolation codes as typed, e.g. `normsys=code1,histosys=code0`.
  public var interpolation: String?
  /// Comma-separated parameters for MINOS intervals, as typed.
  public var minos: String?
  /// Print the result as JSON instead of text.
  public var json = false
  /// POI, measurement, Asimov, hypothesis test, limit and significance; `interpolation` and
  /// `minos` above fill in the rest.
  public var fit = FitRequest()

  /// A request with the default fit (best fit and HESSE/MINOS errors only).
  public init() {}
}

/// `cascade fit`: HistFactory fit of a pyhf workspace, or of a cascade run's regions.
public enum FitWorkflow {
  /// Fits, writes the outputs (with `output`, or into `<run>/fit`) and prints the summary.
  public static func fit(_ request: FitWorkflowRequest, console: Console) throws {
    var fitRequest = request.fit
    if let interp = request.interpolation { fitRequest.interpolation = try InterpolationSettings.parse(interp) }
    if let minos = request.minos { fitRequest.minos = ColumnList.parse(minos) }

    let path: String
    var outDir = request.output
    var edges: [String: [Double]] = [:]
    if let runDir = request.runDirectory, request.workspace == nil, request.output == nil,
      FileManager.default.fileExists(atPath: runDir + "/config.json"),
      let config = try? CascadeConfig.load(runDirectory: runDir), config.fit != nil
    {
      // A cascade run with a fit block: build the workspace from its regions, then fit.
      guard
        let result = try SystematicFit.fit(
          config, runDirectory: runDir, asimov: fitRequest.asimov, request: fitRequest, warn: { console.warn($0) })
      else { return }
      try report(result, outDir: runDir + "/fit", json: request.json, console: console)
      return
    }
    if let runDir = request.runDirectory {
      guard request.workspace == nil else { throw UserError("give either WORKSPACE.json or --run RUN_DIR, not both") }
      path = runDir + "/fit/workspace.json"
      guard FileManager.default.fileExists(atPath: path) else {
        throw UserError("\(path): not found (run the cascade with a \"fit\" block first)")
      }
      outDir = outDir ?? runDir + "/fit"
      edges = (try? previousEdges(runDir + "/fit/prepost.json")) ?? [:]
    } else {
      guard let w = request.workspace else { throw UserError("missing WORKSPACE.json (or --run RUN_DIR)") }
      path = w
    }
    let ws = try WorkspaceReader.read(path: path)
    let result = try performFit(workspace: ws, request: fitRequest)
    if let outDir { try writeFitOutputs(run: result, directory: outDir, edges: edges) }
    try report(result, outDir: outDir, json: request.json, console: console)
  }

  private static func report(_ result: FitRun, outDir: String?, json: Bool, console: Console) throws {
    if json {
      console.write(try JSONFile.text(result.summary.file))
    } else {
      console.write(result.summary.text())
      if let outDir { console.line("outputs written to \(outDir)") }
    }
  }

  /// Bin edges of a previous prepost.json, so refits of a run keep the observable's binning.
  static func previousEdges(_ path: String) throws -> [String: [Double]] {
    guard FileManager.default.fileExists(atPath: path) else { return [:] }
    let prepost = try JSONFile.load(PrePostFile.self, from: path)
    return Dictionary(prepost.regions.map { ($0.name, $0.edges) }, uniquingKeysWith: { _, last in last })
  }
}
