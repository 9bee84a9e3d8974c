import ArgumentParser
import Workflow
import YieldFit

/// `cascade fit WORKSPACE.json` / `cascade fit --run RUN_DIR`: HistFactory fit of a pyhf workspace.
struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a pyhf JSON workspace: best fit, HESSE/MINOS uncertainties, CLs, upper limits, significance.",
    discussion: """
      Reads a pyhf workspace (schema 1.0.0; strict: unknown keys or wrong types are errors naming the JSON path), builds the HistFactory likelihood exactly as pyhf (twice_nll identical), and minimises it with a bounded Newton method using the exact Hessian.

      Uncertainties are HESSE (MINUIT's convention for bounded parameters, as pyhf+iminuit and ROOT report); the POI and --minos parameters also get profile-likelihood (MINOS) intervals, printed as signed errors [lower, upper].

      Inference uses the asymptotic formulae of arXiv:1007.1727 with pyhf's conventions: the expected band is ordered +2, +1, 0, -1, -2 sigma; with --test-stat q0, --hypotest reports p0 instead of CLs. --limit finds the 95% CL upper limit (observed and expected band) by root finding within the POI's bounds (test statistic qtilde unless --test-stat q).

      --json prints one object with the keys converged, twice_nll, edm, poi, parameters (each with name, value, error, minos as [lo, hi] or null, and fixed) and correlation (a matrix); hypotest (mu, test_stat, cls_obs, cls_exp with 5 values), limit (observed, expected with 5 values) and significance (observed, expected) only when asked.

      --out DIR writes workspace.json, result.json, yields.md, yields.csv and prepost.json there.

      --run RUN_DIR fits a cascade run: the workspace is built from RUN_DIR/regions with the config's fit block (without one, RUN_DIR/fit/workspace.json is refitted); outputs go to RUN_DIR/fit.
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

  @Option(name: .customLong("test-stat"), help: "Test statistic.")
  var testStat: TestStatistic = .qtilde

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
    var request = FitWorkflowRequest()
    request.workspace = workspace
    request.runDirectory = runDirectory
    request.output = out
    request.interpolation = interp
    request.minos = minos
    request.json = json
    request.fit.poi = poi
    request.fit.measurement = measurement
    request.fit.asimov = asimov
    request.fit.testStatistic = testStat
    request.fit.hypotestMu = hypotest
    request.fit.limit = limit
    request.fit.significance = significance
    try FitWorkflow.fit(request, console: .standard())
  }
}
