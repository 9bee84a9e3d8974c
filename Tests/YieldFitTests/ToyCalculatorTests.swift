import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

@Suite struct ToyCalculatorTests {
  /// numpy.percentile(v, [2.275…, 15.87…, 50, 84.13…, 97.72…]) for v = [0, 1, …, 9] and [3, 1, 2].
  @Test func percentilesAsNumpy() {
    let p = ToyCalculator.percentiles((0..<10).map(Double.init), [2.27501319, 15.86552539, 50.0, 84.13447461, 97.72498681])
    let numpy = [0.20475118710000002, 1.4278972851, 4.5, 7.5721027149, 8.7952488129]
    for (a, b) in zip(p, numpy) { #expect(abs(a - b) < 1e-12) }
    #expect(ToyCalculator.percentiles([3, 1, 2], [50]) == [2])
    #expect(ToyCalculator.tailFraction([0, 0, 1, 2, 3], 1) == 0.6)
    #expect(ToyCalculator.tailFraction([0, 0, 1, 2, 3], 0) == 1)
    #expect(ToyCalculator.tailFraction([0, 1], 5) == 0)
  }

  /// Toys have the model's mean: main bins Poisson(ν), aux N(θ, σ) for staterror / normsys.
  @Test func samplerMeans() throws {
    let model = try Model(workspace: closureWorkspace())
    let sampler = ToySampler(model: model, pars: model.inits)
    let n = 4000
    var main = [Double](repeating: 0, count: model.binCount)
    var aux = [Double](repeating: 0, count: model.parameterCount)
    var aux2 = [Double](repeating: 0, count: model.parameterCount)
    for k in 0..<n {
      let t = sampler.toy(seed: 5, hypothesis: 0, index: k)
      for b in 0..<main.count { main[b] += t.main[b] / Double(n) }
      for i in 0..<aux.count { aux[i] += t.aux[i] / Double(n); aux2[i] += t.aux[i] * t.aux[i] / Double(n) }
      #expect(t.main.allSatisfy { $0 == $0.rounded() && $0 >= 0 })
    }
    let nu = model.expectedMain(model.inits)
    for b in 0..<nu.count { #expect(abs(main[b] - nu[b]) < 4 * (nu[b] / Double(n)).squareRoot(), "bin \(b)") }
    let jes = model.parameterIndex("jes")!
    #expect(abs(aux[jes]) < 4 / Double(n).squareRoot())
    #expect(abs(aux2[jes] - aux[jes] * aux[jes] - 1) < 0.1)
    let st = model.parameterIndex("stat_SR[0]")!
    #expect(abs(aux[st] - 1) < 4 * 0.03 / Double(n).squareRoot())
    // Same seed and index: same toy; another index: another toy.
    #expect(sampler.toy(seed: 5, hypothesis: 0, index: 7) == sampler.toy(seed: 5, hypothesis: 0, index: 7))
    #expect(sampler.toy(seed: 5, hypothesis: 0, index: 7) != sampler.toy(seed: 5, hypothesis: 1, index: 7))
  }

  @Test func identicalForAnyThreadCountAndConsistentWithAsymptotics() throws {
    let (fitter, data, _) = try publishFit()
    var settings = ToySettings()
    settings.toys = 300
    settings.seed = 11
    settings.threads = 1
    let one = try ToyCalculator(fitter: fitter, data: data, statistic: .qtilde, settings: settings).hypotest(mu: 1.5)
    settings.threads = 2
    let two = try ToyCalculator(fitter: fitter, data: data, statistic: .qtilde, settings: settings).hypotest(mu: 1.5)
    #expect(one.result.clsObserved == two.result.clsObserved && one.result.clsExpected == two.result.clsExpected)
    #expect(
      try JSONValueEncoder().encode(ToysFile(settings: settings, hypotest: one, significance: nil)).serialized()
        == JSONValueEncoder().encode(ToysFile(settings: settings, hypotest: two, significance: nil)).serialized())
    let asym = try AsymptoticCalculator(fitter: fitter, data: data, statistic: .qtilde).hypotest(mu: 1.5)
    // Many events per bin and q̃ > 0 (at q̃ = 0 toys give CLs = 1, asymptotics 0.5): the toys agree with the asymptotic CLs within 4 binomial errors.
    #expect(abs(one.result.clsObserved - asym.clsObserved) < 4 * one.clsError, "\(one.result.clsObserved) vs \(asym.clsObserved)")
    #expect(one.result.clsExpected == one.result.clsExpected.sorted())
    #expect(one.failedSignalPlusBackground == 0 && one.failedBackgroundOnly == 0)
  }

  /// Toy fits that cannot converge (an EDM limit no fit reaches) are counted; above the limit it is an error.
  @Test func failedToysAreCountedAgainstTheLimit() throws {
    let ws = try publishWorkspace()
    var options = MinimizerOptions()
    options.convergedEDM = 1e-300
    let fitter = Fitter(model: try Model(workspace: ws), options: options)
    var settings = ToySettings()
    settings.toys = 20
    #expect(throws: UserError("toys: 40 of 40 toy fits did not converge, more than the limit 0.1 (--toy-failure-limit)")) {
      try ToyCalculator(fitter: fitter, data: try fitter.model.observedData(ws), statistic: .qtilde, settings: settings).hypotest(mu: 1)
    }
    settings.failureLimit = 2
    #expect(throws: UserError("--toy-failure-limit: must be between 0 and 1")) {
      try ToyCalculator(fitter: fitter, data: try fitter.model.observedData(ws), statistic: .qtilde, settings: settings)
    }
  }

  @Test func cliToysJSONAndLimitRefused() throws {
    let dir = TestPaths.temporaryDirectory("fit-toys")
    try publishWorkspace().write(to: dir + "/ws.json")
    var files: [String] = []
    for threads in ["1", "2"] {
      let r = try runCascade([
        "fit", dir + "/ws.json", "--hypotest", "1", "--significance", "--calculator", "toys", "--toys", "50", "--seed", "3",
        "--threads", threads, "--out", dir + "/t" + threads,
      ])
      #expect(r.status == 0, "\(r.stderr)")
      files.append(try String(contentsOfFile: dir + "/t\(threads)/toys.json", encoding: .utf8))
      #expect(
        try String(contentsOfFile: dir + "/t\(threads)/result.json", encoding: .utf8)
          == String(contentsOfFile: dir + "/t1/result.json", encoding: .utf8))
    }
    #expect(files[0] == files[1])
    let j = try JSONValue.parse(files[0], source: "toys.json")
    #expect(j.objectValue!.keys == ["calculator", "seed", "toys", "failure_limit", "hypotest", "significance"])
    #expect(j["toys"] == 50 && j["seed"] == 3)
    #expect(j["hypotest"]!["cls_exp"]!.arrayValue!.count == 5)
    let result = try JSONValue.load(path: dir + "/t1/result.json")
    #expect(result["hypotest"]!["cls_obs"] == j["hypotest"]!["cls_obs"])
    let bad = try runCascade(["fit", dir + "/ws.json", "--limit", "--calculator", "toys"])
    #expect(bad.status == 1 && bad.stderr.hasPrefix("cascade: error: --limit uses the asymptotic calculator"))
  }
}
