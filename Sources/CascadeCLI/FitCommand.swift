import ArgumentParser
import CascadeSupport
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

      --impacts ranks every free parameter but the POI by its impact on the POI: the POI's shift when the parameter is fixed at its best fit ± its HESSE error (post-fit) and at its nominal value ± its constraint width (pre-fit, constrained parameters only) and the rest refitted; with pulls and constraints, in fit/impacts.json (keys poi, targets, impacts [name, pull, constraint, prefit, postfit], failed_refits). --impacts-on adds the shifts of further parameters (normfactors). The refits run on --threads threads; the result does not depend on the thread count.

      --breakdown splits the total uncertainty of the POI and of every free normfactor into statistical (all constrained parameters fixed at their best fit) and systematic parts, and per group (--groups FILE with {"jes": ["jes_*"], ...}, or the config's fit.groups with --run) by quadrature subtraction of refits with the group fixed; in fit/breakdown.json and in the headline of yields.md.

      --calculator toys computes --hypotest and --significance from --toys pseudo-experiments per hypothesis drawn from the fitted model (main data Poisson, auxiliary data from each constraint), as pyhf's ToyCalculator; --seed fixes them for any thread count. Toys whose fits do not converge are left out and counted; more than --toy-failure-limit (a fraction) of them is an error. Details in fit/toys.json.

      A fit that does not converge (EDM above the limit, or a Hessian that is not positive definite) writes its outputs with converged: false, prints one line saying what failed and exits with status 3; a free parameter ending at a bound is a warning naming it. --strategy and --tolerance tune the minimiser as MINUIT's options do.

      Published likelihoods: --patch FILE (RFC 6902 JSON Patch, repeatable, applied in order) and --patchset FILE --patch-name NAME (a pyhf patchset) patch the workspace before the fit, so `cascade fit BkgOnly.json --patch signal.json --hypotest 1` is `pyhf cls BkgOnly.json -p signal.json`. --poi none fits without POI; so does a workspace whose measurement names a POI that is not in the model (a background-only workspace), with a warning.
      """
  )

  @Argument(help: "pyhf JSON workspace.")
  var workspace: String?

  @Option(name: .long, help: "Parameter of interest (default: the measurement's); none for a background-only fit.")
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

  @Flag(name: .long, help: "Impacts, pulls and constraints of every free parameter but the POI, ranked; written to fit/impacts.json.")
  var impacts = false

  @Option(name: .customLong("impacts-on"), help: "Comma-separated further parameters (normfactors) whose shifts --impacts also reports.")
  var impactsOn: String?

  @Flag(name: .long, help: "Split the POI's and normfactors' uncertainties into stat, syst and groups; written to fit/breakdown.json.")
  var breakdown = false

  @Option(name: .long, help: "JSON file of breakdown groups, {\"jes\": [\"jes_*\"], ...} (globs; with --run the config's fit.groups are the default).")
  var groups: String?

  @Option(name: .long, help: "Calculator for --hypotest and --significance.")
  var calculator: InferenceCalculator = .asymptotic

  @Option(name: .long, help: "Pseudo-experiments per hypothesis with --calculator toys.")
  var toys: Int = 1000

  @Option(name: .long, help: "Seed of the toys; the same seed gives the same results for any thread count.")
  var seed: Int = 0

  @Option(name: .customLong("toy-failure-limit"), help: "Largest fraction of toys whose fits may fail (they are left out and counted); more is an error.")
  var toyFailureLimit: Double = 0.1

  @Option(name: .long, help: "Worker threads for refits and toys (0 = all cores); never changes the results.")
  var threads: Int = 0

  @Option(name: .long, help: "Minimiser strategy as MINUIT: 0 fast (one start), 1 default (retries when a fit fails), 2 thorough (every alternative start, the lowest minimum kept).")
  var strategy: Int?

  @Option(name: .long, help: "Convergence tolerance as MINUIT's: a minimum counts as converged below EDM 0.001 x TOLERANCE (default 0.001, EDM 1e-6).")
  var tolerance: Double?

  @Option(name: .long, help: "RFC 6902 JSON Patch applied to the workspace before the fit (repeatable, in order).")
  var patch: [String] = []

  @Option(name: .long, help: "pyhf patchset; applies the patch named by --patch-name.")
  var patchset: String?

  @Option(name: .customLong("patch-name"), help: "Name of the patch to apply from --patchset.")
  var patchName: String?

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
    request.fit.publish.impacts = impacts
    request.fit.publish.breakdown = breakdown
    request.fit.publish.calculator = calculator
    request.fit.publish.toys.toys = toys
    guard seed >= 0 else { throw UserError("--seed: must be 0 or positive") }
    request.fit.publish.toys.seed = UInt64(seed)
    request.fit.publish.toys.failureLimit = toyFailureLimit
    request.fit.publish.toys.threads = threads
    request.fit.publish.threads = threads
    request.impactsOn = impactsOn
    request.groupsFile = groups
    request.strategy = strategy
    request.tolerance = tolerance
    request.patches = patch
    request.patchset = patchset
    request.patchName = patchName
    try FitWorkflow.fit(request, console: .standard())
  }
}
