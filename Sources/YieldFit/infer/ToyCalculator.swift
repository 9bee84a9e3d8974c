import CascadeSupport
import Foundation

/// How many toys, from which seed, on how many threads, and how many failed toy fits to accept.
public struct ToySettings: Sendable, Equatable {
  public var toys = 1000
  public var seed: UInt64 = 0
  /// Worker threads (0 = all cores); never changes the results.
  public var threads = 0
  /// Largest accepted fraction of toys whose fits did not converge (they are left out).
  public var failureLimit = 0.1
  /// 1000 toys from seed 0 on all cores, accepting up to 10 % failed toy fits.
  public init() {}
}

/// A toy-based hypothesis test: the test as `HypotestResult` (`qAsimov` is NaN: there is no
/// Asimov dataset) with the binomial errors of its p-values and the toy counts.
public struct ToyHypotest: Sendable {
  public var result: HypotestResult
  /// Binomial standard errors of CLs+b, CLb and CLs (observed).
  public var clsbError: Double
  public var clbError: Double
  public var clsError: Double
  /// Toys per hypothesis (signal + background, background only) and how many failed.
  public var toys: Int
  public var failedSignalPlusBackground: Int
  public var failedBackgroundOnly: Int
}

/// Toy-based CLs and discovery significance with pyhf's `ToyCalculator` conventions: the
/// signal + background toys are drawn from the model at the conditional fit to the data at the
/// tested μ, the background-only toys at μ = 0 (for q₀: μ = 0 and μ = 1); p-values are the
/// fractions of toys with a test statistic ≥ the observed one; the expected band is the
/// 2.28 / 15.9 / 50 / 84.1 / 97.7 percentiles (linear interpolation, as numpy) of the p-values
/// of the background-only toys, smallest first (pyhf's +2σ … −2σ order).
///
/// A toy whose conditional or free fit does not converge is left out and counted; more than
/// `failureLimit` of them is an error.
public struct ToyCalculator: Sendable {
  public let fitter: Fitter
  public let data: FitData
  public let statistic: TestStatistic
  public let settings: ToySettings

  /// Toy-based tests of `statistic` on `data`; throws `UserError` without a POI, with fewer than one
  /// toy, or with a `failureLimit` outside 0...1.
  public init(fitter: Fitter, data: FitData, statistic: TestStatistic, settings: ToySettings) throws {
    guard fitter.model.poiIndex != nil else { throw UserError("hypothesis tests need a parameter of interest (use --poi)") }
    guard settings.toys >= 1 else { throw UserError("--toys: needs at least 1 toy") }
    guard settings.failureLimit >= 0, settings.failureLimit <= 1 else { throw UserError("--toy-failure-limit: must be between 0 and 1") }
    self.fitter = fitter
    self.data = data
    self.statistic = statistic
    self.settings = settings
  }

  /// The test statistic of every toy drawn at `pars` (nil for a toy whose fits did not converge).
  func distribution(pars: [Double], hypothesis: UInt64, mu: Double) -> [Double?] {
    let sampler = ToySampler(model: fitter.model, pars: pars)
    let stat = statistic, f = fitter, seed = settings.seed
    return ParallelBlocks.map(count: settings.toys, blockSize: 4, threads: settings.threads) { range in
      range.map { k -> Double? in
        let toy = sampler.toy(seed: seed, hypothesis: hypothesis, index: k)
        guard let r = try? f.profileRatio(stat, mu: mu, data: toy), r.conditional.converged, r.unconditional.converged else {
          return nil
        }
        return r.value
      }
    }.flatMap { $0 }
  }

  /// The toy-based test at `mu` (μ = 0 for q₀).
  public func hypotest(mu: Double) throws -> ToyHypotest {
    let testMu = statistic == .q0 ? 0 : mu
    let observed = try fitter.profileRatio(statistic, mu: testMu, data: data).value
    let sbPars = try fitter.fixedPOIFit(data, mu: testMu).values
    let bPars = try fitter.fixedPOIFit(data, mu: statistic == .q0 ? 1 : 0).values
    let sbAll = distribution(pars: sbPars, hypothesis: 0, mu: testMu)
    let bAll = distribution(pars: bPars, hypothesis: 1, mu: testMu)
    let sb = sbAll.compactMap { $0 }, b = bAll.compactMap { $0 }
    let failedSB = sbAll.count - sb.count, failedB = bAll.count - b.count
    let failed = failedSB + failedB, total = sbAll.count + bAll.count
    if Double(failed) > settings.failureLimit * Double(total) || sb.isEmpty || b.isEmpty {
      throw UserError(
        "toys: \(failed) of \(total) toy fits did not converge, more than the limit \(JSONValue.format(settings.failureLimit)) (--toy-failure-limit)")
    }
    let sbSorted = sb.sorted(), bSorted = b.sorted()
    func pvalues(_ q: Double) -> (clsb: Double, clb: Double, cls: Double) {
      let clsb = Self.tailFraction(sbSorted, q), clb = Self.tailFraction(bSorted, q)
      return (clsb, clb, clsb / clb)
    }
    let obs = pvalues(observed)
    // The expected band: percentiles of the p-values of the background-only toys.
    let perToy = b.map { pvalues($0) }
    let band = statistic == .q0 ? perToy.map(\.clsb) : perToy.map(\.cls)
    let expected = Self.percentiles(band, [2.27501319, 15.86552539, 50.0, 84.13447461, 97.72498681])
    func binomial(_ p: Double, _ n: Int) -> Double { (p * (1 - p) / Double(n)).squareRoot() }
    let eSB = binomial(obs.clsb, sb.count), eB = binomial(obs.clb, b.count)
    let eCLs = obs.cls * ((obs.clsb > 0 ? eSB / obs.clsb : 0).squared + (obs.clb > 0 ? eB / obs.clb : 0).squared).squareRoot()
    let result = HypotestResult(
      mu: testMu, testStatistic: statistic, q: observed, qAsimov: .nan, clsObserved: statistic == .q0 ? obs.clsb : obs.cls,
      clsExpected: expected, clsb: obs.clsb, clb: obs.clb)
    return ToyHypotest(
      result: result, clsbError: eSB, clbError: eB, clsError: statistic == .q0 ? eSB : eCLs, toys: settings.toys,
      failedSignalPlusBackground: failedSB, failedBackgroundOnly: failedB)
  }

  /// Z₀ from toys: p₀ observed from the μ = 0 toys, expected from the median p₀ of the μ = 1 toys.
  public func significance() throws -> (significance: Significance, test: ToyHypotest) {
    let test = try ToyCalculator(fitter: fitter, data: data, statistic: .q0, settings: settings).hypotest(mu: 0)
    let p = test.result.clsObserved, pe = test.result.clsExpected[2]
    let s = Significance(
      observed: StandardNormal.quantile(1 - p), expected: StandardNormal.quantile(1 - pe), pObserved: p, pExpected: pe)
    return (s, test)
  }

  /// Fraction of `sorted` (ascending) ≥ `q`.
  static func tailFraction(_ sorted: [Double], _ q: Double) -> Double {
    var lo = 0, hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] >= q { hi = mid } else { lo = mid + 1 }
    }
    return Double(sorted.count - lo) / Double(sorted.count)
  }

  /// numpy's default percentiles (linear interpolation between order statistics).
  static func percentiles(_ values: [Double], _ ps: [Double]) -> [Double] {
    let v = values.sorted()
    let n = v.count
    return ps.map { p in
      if n == 1 { return v[0] }
      let h = (Double(n - 1) * p / 100)
      let lo = Int(h.rounded(.down)), hi = min(n - 1, lo + 1)
      let f = h - Double(lo)
      return v[lo] + (v[hi] - v[lo]) * f
    }
  }
}

extension Double {
  fileprivate var squared: Double { self * self }
}
