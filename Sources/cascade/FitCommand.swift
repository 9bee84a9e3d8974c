import ArgumentParser
import Analysis
import Cascade
import CascadeSupport
import Foundation
import YieldFit

/// `cascade fit WORKSPACE.json` / `cascade fit --run RUN_DIR`: HistFactory fit of a pyhf workspace.
struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a pyhf JSON workspace: best fit, HESSE/MINOS uncertainties, CLs, upper limits, significance.",
    discussion: """
      Reads a pyhf workspace (schema 1.0.0; strict: unknown keys or wrong types are errors naming
      the JSON path), builds the HistFactory likelihood exactly as pyhf (twice_nll identical),
      and minimises it with a bounded Newton method using the exact Hessian. Uncertainties are
      HESSE (MINUIT's convention for bounded parameters, as pyhf+iminuit and ROOT report);
      the POI and --minos parameters also get profile-likelihood (MINOS) intervals, printed as
      signed errors [lower, upper].
      Inference uses the asymptotic formulae of arXiv:1007.1727 with pyhf's conventions: the
      expected band is ordered +2, +1, 0, -1, -2 sigma; with --test-stat q0, --hypotest reports
      p0 instead of CLs. --limit finds the 95% CL upper limit (observed and expected band) by
      root finding within the POI's bounds (test statistic qtilde unless --test-stat q).
      --json prints {"converged","twice_nll","edm","poi","parameters":[{"name","value","error",
      "minos":[lo,hi]|null,"fixed"}],"correlation":[[...]],"hypotest":{"mu","test_stat",
      "cls_obs","cls_exp":[5]},"limit":{"observed","expected":[5]},"significance":{"observed",
      "expected"}} (the last three only when asked). --out DIR writes workspace.json,
      result.json, yields.md, yields.csv and prepost.json there.
      --run RUN_DIR fits a cascade run: the workspace is built from RUN_DIR/regions with the
      config's fit block (without one, RUN_DIR/fit/workspace.json is refitted); outputs go to RUN_DIR/fit.
      """
  )

  @Argument(help: "pyhf JSON workspace.")
  var workspace: String?

  @Option(name: .long, help: "Parameter of interest (default: the measurement's).")
  var poi: String?

  @Option(name: .long, help: "Measurement to use (default: the first).")
  var measurement: String?

  @Flag(name: .long, help: "Fit the Asimov dataset (expected yields at the initial parameter values) instead of the observations.")
  var asimov = false

  @Option(name: .long, help: "Interpolation codes, e.g. normsys=code1,histosys=code0 (default code4 / code4p, as pyhf).")
  var interp: String?

  @Option(name: .long, help: "Hypothesis test at this POI value.")
  var hypotest: Double?

  @Option(name: .customLong("test-stat"), help: "Test statistic: q, qtilde (default) or q0.")
  var testStat: String = "qtilde"

  @Flag(name: .long, help: "95% CL CLs upper limit on the POI (observed and expected band).")
  var limit = false

  @Flag(name: .long, help: "Discovery significance Z0 (observed and expected).")
  var significance = false

  @Option(name: .long, help: "Comma-separated parameters for MINOS intervals (the POI always gets one).")
  var minos: String?

  @Flag(name: .long, help: "Print the result as JSON.")
  var json = false

  @Option(name: .long, help: "Write workspace.json, result.json, yields.{md,csv} and prepost.json to this directory.")
  var out: String?

  @Option(name: .customLong("run"), help: "Fit a cascade run: build the workspace from RUN_DIR/regions with the config's fit block (or refit RUN_DIR/fit/workspace.json) and write RUN_DIR/fit.")
  var runDirectory: String?

  func run() throws {
    var request = FitRequest()
    request.poi = poi
    request.measurement = measurement
    request.asimov = asimov
    if let interp { request.interpolation = try InterpolationSettings.parse(interp) }
    guard let stat = TestStatistic(rawValue: testStat) else {
      throw UserError("--test-stat must be q, qtilde or q0, not \"\(testStat)\"")
    }
    request.testStatistic = stat
    request.hypotestMu = hypotest
    request.limit = limit
    request.significance = significance
    if let minos { request.minos = minos.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

    let path: String
    var outDir = out
    var edges: [String: [Double]] = [:]
    if let runDir = runDirectory, workspace == nil, out == nil,
      FileManager.default.fileExists(atPath: runDir + "/config.json"),
      let config = try? CascadeConfig.load(runDirectory: runDir), config.fit != nil
    {
      // A cascade run with a fit block: build the workspace from its regions, then fit.
      guard let result = try SystematicFit.fit(config, runDirectory: runDir, asimov: asimov, request: request, warn: warnLine) else { return }
      report(result, outDir: runDir + "/fit")
      return
    }
    if let runDir = runDirectory {
      guard workspace == nil else { throw UserError("give either WORKSPACE.json or --run RUN_DIR, not both") }
      path = runDir + "/fit/workspace.json"
      guard FileManager.default.fileExists(atPath: path) else {
        throw UserError("\(path): not found (run the cascade with a \"fit\" block first)")
      }
      outDir = outDir ?? runDir + "/fit"
      edges = (try? previousEdges(runDir + "/fit/prepost.json")) ?? [:]
    } else {
      guard let w = workspace else { throw UserError("missing WORKSPACE.json (or --run RUN_DIR)") }
      path = w
    }
    let ws = try WorkspaceReader.read(path: path)
    let result = try performFit(workspace: ws, request: request)
    if let outDir { try writeFitOutputs(run: result, directory: outDir, edges: edges) }
    report(result, outDir: outDir)
  }

  private func warnLine(_ w: String) { FileHandle.standardError.write(Data("cascade: warning: \(w)\n".utf8)) }

  private func report(_ result: FitRun, outDir: String?) {
    if json {
      print(result.summary.json().serialized(), terminator: "")
    } else {
      print(result.summary.text(), terminator: "")
      if let outDir { print("outputs written to \(outDir)") }
    }
  }

  /// Bin edges of a previous prepost.json, so refits of a run keep the observable's binning.
  private func previousEdges(_ path: String) throws -> [String: [Double]] {
    guard FileManager.default.fileExists(atPath: path) else { return [:] }
    var out: [String: [Double]] = [:]
    for r in try JSONValue.load(path: path)["regions"]?.arrayValue ?? [] {
      if let name = r["name"]?.stringValue, let e = r["edges"]?.arrayValue?.compactMap(\.doubleValue) { out[name] = e }
    }
    return out
  }
}
