import CascadeSupport
import Foundation

/// Pre- and post-fit yields with uncertainties propagated from a covariance.
struct YieldPropagation {
  let model: Model

  /// Per sample and main bin: yields at `pars` and the Jacobian ∂ν_sb/∂θ_i (central differences)
  /// for the free components, in ascending index order (a fixed order keeps sums bit-identical).
  func jacobian(_ pars: [Double], free: [Bool], scale: [Double]) -> (yields: [[Double]], d: [(Int, [[Double]])]) {
    let base = model.expectedBySample(pars)
    var d: [(Int, [[Double]])] = []
    for i in 0..<pars.count where free[i] {
      let h = 1e-4 * (scale[i].isFinite && scale[i] > 0 ? scale[i] : 1)
      var up = pars, dn = pars
      up[i] += h
      dn[i] -= h
      let a = model.expectedBySample(up), b = model.expectedBySample(dn)
      d.append((i, zip(a, b).map { zip($0.0, $0.1).map { ($0.0 - $0.1) / (2 * h) } }))
    }
    return (base, d)
  }

  /// √(gᵀ C g) for a gradient g over the free components.
  static func sigma(_ g: [(Int, Double)], _ cov: [Double], _ n: Int) -> Double {
    var v = 0.0
    for (i, gi) in g { for (j, gj) in g { v += gi * cov[i * n + j] * gj } }
    return max(0, v).squareRoot()
  }
}

/// Writes a fit's outputs into `directory` (all atomically):
/// `workspace.json`, `result.json` (`FitResultFile`), `yields.md` and `yields.csv` (pre- and
/// post-fit yield per region and sample with uncertainties), and `prepost.json` (`PrePostFile`).
/// `edges` gives each region's bin edges (default: bin indices 0…n).
public func writeFitOutputs(run: FitRun, directory: String, edges: [String: [Double]] = [:]) throws {
  let model = run.model
  let result = run.summary.result
  let n = model.parameterCount
  // Pre-fit: constrained parameters at their constraint width, others without uncertainty.
  var preCov = [Double](repeating: 0, count: n * n)
  var preScale = [Double](repeating: 1, count: n)
  for s in model.parameterSets {
    for k in 0..<s.count where !s.fixed[k] {
      let i = s.offset + k
      let w: Double
      switch s.constraint {
      case .unconstrained: w = 0
      case .normal: w = s.sigmas[k]
      case .poisson: w = 1 / s.factors[k].squareRoot()
      }
      preCov[i * n + i] = w * w
      if w > 0 { preScale[i] = w }
    }
  }
  let prop = YieldPropagation(model: model)
  let free = (0..<n).map { !model.fixed[$0] }
  let postFree = (0..<n).map { !result.fixed[$0] }
  let pre = prop.jacobian(model.inits, free: free, scale: preScale)
  let post = prop.jacobian(result.values, free: postFree, scale: result.errors)

  func sum(_ rows: [[Double]], _ bins: Range<Int>, samples: [Int]) -> Double {
    samples.reduce(0.0) { acc, s in acc + bins.reduce(0.0) { $0 + rows[s][$1] } }
  }
  func gradient(_ d: [(Int, [[Double]])], _ bins: Range<Int>, samples: [Int]) -> [(Int, Double)] {
    d.map { ($0.0, sum($0.1, bins, samples: samples)) }
  }

  var csv = "region,sample,prefit,prefit_error,postfit,postfit_error\n"
  var md = "# Pre- and post-fit yields\n\nFit \(result.converged ? "converged" : "did NOT converge"); twice_nll = \(fmt(result.twiceNLL, 10)). "
  md += "Uncertainties: pre-fit from the constraint widths, post-fit from the fit covariance (with correlations).\n"
  var regionRecords: [PrePostFile.Region] = []
  for (ci, channel) in model.channelNames.enumerated() {
    let bins = model.channelBins[ci]
    let channelSpec = run.workspace.channels.first { $0.name == channel }!
    let samples = channelSpec.samples.map { s in model.sampleNames.firstIndex(of: s.name)! }
    md += "\n## \(channel)\n\n| sample | pre-fit | post-fit |\n|---|---:|---:|\n"
    var sampleRecords: [PrePostFile.Sample] = []
    for s in samples {
      let yPre = sum(pre.yields, bins, samples: [s]), ePre = YieldPropagation.sigma(gradient(pre.d, bins, samples: [s]), preCov, n)
      let yPost = sum(post.yields, bins, samples: [s]), ePost = YieldPropagation.sigma(gradient(post.d, bins, samples: [s]), result.covariance, n)
      let name = model.sampleNames[s]
      csv += "\(csvField(channel)),\(csvField(name)),\(num(yPre)),\(num(ePre)),\(num(yPost)),\(num(ePost))\n"
      md += "| \(name) | \(fmt(yPre, 6)) ± \(fmt(ePre, 3)) | \(fmt(yPost, 6)) ± \(fmt(ePost, 3)) |\n"
      sampleRecords.append(
        PrePostFile.Sample(name: name, prefit: bins.map { pre.yields[s][$0] }, postfit: bins.map { post.yields[s][$0] }))
    }
    let tPre = sum(pre.yields, bins, samples: samples), tePre = YieldPropagation.sigma(gradient(pre.d, bins, samples: samples), preCov, n)
    let tPost = sum(post.yields, bins, samples: samples), tePost = YieldPropagation.sigma(gradient(post.d, bins, samples: samples), result.covariance, n)
    let data = Array(run.data.main[bins])
    let dataSum = data.reduce(0, +)
    csv += "\(csvField(channel)),total,\(num(tPre)),\(num(tePre)),\(num(tPost)),\(num(tePost))\n"
    csv += "\(csvField(channel)),data,\(num(dataSum)),,\(num(dataSum)),\n"
    md += "| **total** | \(fmt(tPre, 6)) ± \(fmt(tePre, 3)) | \(fmt(tPost, 6)) ± \(fmt(tePost, 3)) |\n| data | \(fmt(dataSum, 6)) | \(fmt(dataSum, 6)) |\n"
    var binPreUnc: [Double] = [], binPostUnc: [Double] = [], binPre: [Double] = [], binPost: [Double] = []
    for b in bins {
      binPre.append(sum(pre.yields, b..<(b + 1), samples: samples))
      binPost.append(sum(post.yields, b..<(b + 1), samples: samples))
      binPreUnc.append(YieldPropagation.sigma(gradient(pre.d, b..<(b + 1), samples: samples), preCov, n))
      binPostUnc.append(YieldPropagation.sigma(gradient(post.d, b..<(b + 1), samples: samples), result.covariance, n))
    }
    let e = edges[channel] ?? (0...bins.count).map(Double.init)
    regionRecords.append(
      PrePostFile.Region(
        name: channel, edges: e, samples: sampleRecords, data: data, prefitTotal: binPre, prefitError: binPreUnc,
        postfitTotal: binPost, postfitError: binPostUnc))
  }
  let prepost = PrePostFile(regions: regionRecords)
  try AtomicFile.createDirectory(directory)
  try run.workspace.write(to: directory + "/workspace.json")
  try JSONFile.write(run.summary.file, to: directory + "/result.json")
  try AtomicFile.write(csv, to: directory + "/yields.csv")
  try AtomicFile.write(md, to: directory + "/yields.md")
  try JSONFile.write(prepost, to: directory + "/prepost.json")
}

private func num(_ x: Double) -> String { JSONValue.format(x) }
private func csvField(_ s: String) -> String { CSVField.quoted(s) }
