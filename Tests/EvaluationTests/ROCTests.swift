import Testing
@testable import Evaluation

private func curve(_ s: [Double], _ ws: [Double]? = nil, _ b: [Double], _ wb: [Double]? = nil) -> ROCCurve {
  ROC.curve(
    signalScores: s, signalWeights: ws ?? s.map { _ in 1 }, backgroundScores: b,
    backgroundWeights: wb ?? b.map { _ in 1 })
}

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }

@Suite struct ROCTests {
  @Test func pointsAndAreaUnitWeights() {
    let c = curve([0.9, 0.8, 0.4], nil, [0.7, 0.3])
    let expected: [(Double, Double, Double)] = [
      (.infinity, 0, 0), (0.9, 1.0 / 3, 0), (0.8, 2.0 / 3, 0), (0.7, 2.0 / 3, 0.5), (0.4, 1, 0.5), (0.3, 1, 1),
    ]
    #expect(c.points.count == expected.count)
    for (p, e) in zip(c.points, expected) {
      #expect(p.threshold == e.0)
      #expect(close(p.signalEfficiency, e.1))
      #expect(close(p.backgroundEfficiency, e.2))
    }
    // 5 of the 6 signal-background pairs are ordered correctly.
    #expect(close(c.auc, 5.0 / 6))
  }

  @Test func tiesFormOneStepAndCountHalf() {
    let c = curve([0.5, 0.5], nil, [0.5, 0.2])
    #expect(c.points.map { $0.signalEfficiency } == [0, 1, 1])
    #expect(c.points.map { $0.backgroundEfficiency } == [0, 0.5, 1])
    #expect(close(c.auc, 0.75))
    // Everything tied: the diagonal.
    #expect(close(curve([1, 1, 1], nil, [1, 1]).auc, 0.5))
  }

  @Test func weightedArea() {
    // Weighted Mann–Whitney: (2·4 + 1·1) / (3·4) = 0.75.
    let c = curve([0.9, 0.1], [2, 1], [0.5, 0.05], [3, 1])
    #expect(close(c.auc, 0.75))
    #expect(close(c.points[2].backgroundEfficiency, 0.75))
    #expect(close(c.points[2].signalEfficiency, 2.0 / 3))
  }

  @Test func negativeWeightsStepBackwards() {
    let c = curve([0.9, 0.6, 0.2], [2, -0.5, 1], [0.7, 0.4, 0.1], [1, -0.25, 1.25])
    let sig = c.points.map { $0.signalEfficiency }, bkg = c.points.map { $0.backgroundEfficiency }
    let es: [Double] = [0, 0.8, 0.8, 0.6, 0.6, 1, 1], eb: [Double] = [0, 0, 0.5, 0.5, 0.375, 0.375, 1]
    #expect(zip(sig, es).allSatisfy { close($0, $1) })
    #expect(zip(bkg, eb).allSatisfy { close($0, $1) })
    // Σ w_s w_b [s > b] / (ΣS ΣB) = (4 − 0.5 + 1.25) / 5.
    #expect(close(c.auc, 0.95))
  }

  @Test func nonPositiveTotalGivesNaN() {
    #expect(curve([0.9], [-1], [0.1]).auc.isNaN)
    #expect(curve([0.9], nil, []).auc.isNaN)
  }

  @Test func signalEfficiencyAtFixedBackgroundEfficiency() {
    // 10 background events at 0.05 … 0.95, 4 signal events at 0.97, 0.96, 0.86, 0.66.
    let b = (1...10).map { Double($0) / 10 - 0.05 }
    let c = curve([0.97, 0.96, 0.86, 0.66], nil, b)
    #expect(close(c.signalEfficiency(atBackgroundEfficiency: 0.01), 0.5))
    #expect(close(c.signalEfficiency(atBackgroundEfficiency: 0.10), 0.75))
    #expect(close(c.signalEfficiency(atBackgroundEfficiency: 0.25), 0.75))
    #expect(close(c.signalEfficiency(atBackgroundEfficiency: 0.30), 1.0))
    // A diagonal segment (signal and background tied) is interpolated linearly.
    let d = curve([0.5], nil, [0.5])
    #expect(close(d.signalEfficiency(atBackgroundEfficiency: 0.3), 0.3))
    #expect(close(d.signalEfficiency(atBackgroundEfficiency: 0.01), 0.01))
  }

  @Test func thinningKeepsEndsAndBoundsSize() {
    var s = [Double](), bk = [Double]()
    var x: UInt64 = 12345
    func next() -> Double {
      x = x &* 6364136223846793005 &+ 1442695040888963407
      return Double(x >> 11) / Double(1 << 53)
    }
    for _ in 0..<20000 { s.append(next().squareRoot()); bk.append(next() * next()) }
    let c = curve(s, nil, bk)
    let t = c.thinned()
    #expect(t.first == c.points.first)
    #expect(t.last == c.points.last)
    #expect(t.count < 2500)
    #expect(t.count > 200)
  }

  @Test func labelsMinusOneAreIgnored() {
    let scores: [Double] = [0.9, 0.8, 0.7, 0.1]
    let c = ROC.curve(
      scores: scores, weights: [1, 1, 1, 1], label: [1, -1, 0, 0], order: ROC.descendingOrder(scores))
    #expect(close(c.auc, 1))
    #expect(c.points.count == 4)
  }
}
