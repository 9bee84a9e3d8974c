import CascadeSupport
import Evaluation
import Foundation
import YieldFit

/// A small constructed run directory: a two-stage cascade (signal vs wjets → CR_wjets, signal vs
/// ttbar → CR_ttbar) on generated scores, its tables written by `writeEvaluation`, and fit outputs
/// in the layout the report reads. Deterministic: the same bytes on every call.
enum ExampleRun {
  struct Rng {
    var state: UInt64
    mutating func next() -> Double {  // SplitMix64 → [0, 1)
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
  }

  static let samples = ["signal", "wjets", "ttbar", "data"]
  static let roles = ["signal", "background", "background", "data"]
  static let thresholds = [0.3, 0.35]

  /// Scores of stage `k` for an event of true process `p` (0 signal, 1 wjets, 2 ttbar).
  static func score(_ rng: inout Rng, process p: Int, stage k: Int) -> Double {
    let u = rng.next(), v = rng.next()
    if p == 0 { return 1 - u * v }  // signal: peaks at 1
    if p == k + 1 { return u * v * 0.9 }  // the stage's target: peaks at 0
    return 0.25 + 0.7 * (u + v) / 2  // the other background: in between
  }

  static func write(to dir: String) throws {
    var rng = Rng(state: 2026)
    var sampleIndex = [Int32](), weight = [Double](), truth = [Int]()
    var scores: [[Double]] = [[], []], train: [[Double]] = [[], []]
    let counts = [(0, 3000, 0.05), (1, 4000, 0.5), (2, 3000, 0.2), (3, 2600, 1.0)]
    for (s, n, w) in counts {
      for i in 0..<n {
        // Data are a mixture of the three processes in proportion to their expected yields.
        let p = s < 3 ? s : (i < 160 ? 0 : (i < 1960 ? 1 : 2))
        sampleIndex.append(Int32(s))
        truth.append(p)
        // W+jets carries NLO-like negative weights on 5% of its events.
        weight.append(s == 1 && rng.next() < 0.05 ? -w : w)
        for k in 0..<2 {
          let x = score(&rng, process: p, stage: k)
          scores[k].append(x)
          // A model that saw the event pushes it a little further towards its class.
          train[k].append(min(1, max(0, x + (p == 0 ? 0.006 : -0.006) * rng.next())))
        }
      }
    }
    let flow = CascadeFlowInput(
      sampleNames: samples, sampleRoles: roles, stages: [("vs_wjets", "CR_wjets"), ("vs_ttbar", "CR_ttbar")],
      stageTargets: [[1], [2]], sampleIndex: sampleIndex, weight: weight, scores: scores, thresholds: thresholds)
    var stageInputs = [StageEvaluationInput]()
    for k in 0..<2 {
      // MC events reaching stage k: those not routed by an earlier stage.
      let reach = sampleIndex.indices.filter { e in sampleIndex[e] != 3 && (0..<k).allSatisfy { scores[$0][e] >= thresholds[$0] } }
      stageInputs.append(
        StageEvaluationInput(
          stage: flow.stages[k].name, region: flow.stages[k].region, sampleNames: Array(samples[0..<3]),
          sampleIsSignal: [true, false, false], targetSamples: [k + 1], sampleIndex: reach.map { sampleIndex[$0] },
          weight: reach.map { weight[$0] }, testScore: reach.map { scores[k][$0] }, trainScore: reach.map { train[k][$0] },
          threshold: thresholds[k],
          ranking: k == 0
            ? [(feature: "photon_iso", importance: 0.52), (feature: "photon_sieie", importance: 0.31), (feature: "dr_lg", importance: 0.17)]
            : [(feature: "n_bjets", importance: 0.47), (feature: "ht", importance: 0.33), (feature: "n_jets", importance: 0.20)]))
    }
    try writeEvaluation(stages: stageInputs, flow: flow, to: dir + "/tables")
    try writeFit(to: dir + "/fit", rng: &rng)
  }

  static func writeFit(to dir: String, rng: inout Rng) throws {
    let params: [(String, Double, Double, [Double]?, Bool)] = [
      ("mu_signal", 1.08, 0.21, [-0.2, 0.23], false), ("mu_wjets", 0.97, 0.031, nil, false),
      ("mu_ttbar", 1.04, 0.058, nil, false), ("alpha_jes", 0.31, 0.88, nil, false), ("lumi", 1.0, 0, nil, true),
    ]
    // Every parameter, the fixed one with 0 off the diagonal (as YieldFit writes it).
    let corr: [[Double]] = [
      [1, -0.31, -0.22, 0.12, 0], [-0.31, 1, -0.45, 0.05, 0], [-0.22, -0.45, 1, -0.18, 0], [0.12, 0.05, -0.18, 1, 0],
      [0, 0, 0, 0, 1],
    ]
    let result = FitResultFile(
      converged: true, twiceNLL: 123.4567, edm: 1.2e-7, poi: "mu_signal",
      parameters: params.map { FitResultFile.Parameter(name: $0.0, value: $0.1, error: $0.2, minos: $0.3, fixed: $0.4) },
      correlation: corr, limit: FitResultFile.Limit(observed: 1.52, expected: [2.31, 1.71, 1.19, 0.86, 0.64]))
    try JSONFile.write(result, to: dir + "/result.json")
    let edges = (0...14).map { 60 + 10 * Double($0) }
    let centres = (0..<14).map { 65 + 10 * Double($0) }
    let mus = [1.08, 0.97, 1.04]
    var regions: [PrePostFile.Region] = []
    for (region, scale) in [("CR_wjets", [2.0, 900, 60]), ("CR_ttbar", [1.0, 40, 300]), ("SR", [80.0, 60, 40])] {
      let shapes: [[Double]] = [
        centres.map { exp(-0.5 * pow(($0 - 125) / 8, 2)) },
        centres.map { exp(-($0 - 60) / 40) },
        centres.map { exp(-0.5 * pow(($0 - 140) / 40, 2)) },
      ]
      var sampleRecords: [PrePostFile.Sample] = []
      var post = [Double](repeating: 0, count: 14), preTotal = post
      for k in 0..<3 {
        let norm = shapes[k].reduce(0, +)
        let pre = shapes[k].map { scale[k] * $0 / norm }
        for b in 0..<14 { post[b] += pre[b] * mus[k]; preTotal[b] += pre[b] }
        sampleRecords.append(PrePostFile.Sample(name: samples[k], prefit: pre, postfit: pre.map { $0 * mus[k] }))
      }
      let data = post.map { ($0 + $0.squareRoot() * (rng.next() + rng.next() + rng.next() - 1.5) * 2).rounded() }
      // The layout `cascade fit` writes (YieldFit's writeFitOutputs).
      regions.append(
        PrePostFile.Region(
          name: region, edges: edges, samples: sampleRecords, data: data, prefitTotal: preTotal,
          prefitError: preTotal.map { 0.08 * $0 }, postfitTotal: post,
          postfitError: post.map { 0.03 * $0 + $0.squareRoot() * 0.2 }))
    }
    try JSONFile.write(PrePostFile(regions: regions), to: dir + "/prepost.json")
  }
}
