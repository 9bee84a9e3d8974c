import Cascade
import Testing

@testable import Analysis

/// Symmetrisation, smoothing and the norm/shape split against numbers worked out by hand.
@Suite struct TemplateOperationsTests {
  func close(_ a: [Double], _ b: [Double], _ tol: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol }
  }

  @Test func oneSidedMirrorsUp() {
    let s = TemplateOperations.symmetrize(nominal: [10, 20], up: [12, 18], down: nil, mode: .oneSided)
    #expect(s.up == [12, 18])
    #expect(s.down == [8, 22])
  }

  @Test func twoSidedAveragesTheSides() {
    let s = TemplateOperations.symmetrize(nominal: [10, 20], up: [12, 18], down: [9, 21], mode: .twoSided)
    #expect(s.up == [11.5, 18.5])
    #expect(s.down == [8.5, 21.5])
    let none = TemplateOperations.symmetrize(nominal: [10, 20], up: [12, 18], down: [9, 21], mode: .none)
    #expect(none.up == [12, 18] && none.down == [9, 21])
  }

  @Test func smoothingRemovesAnIsolatedSpike() {
    #expect(TemplateOperations.smooth353QHTwice([0, 0, 10, 0, 0]) == [0, 0, 0, 0, 0])
  }

  @Test func smoothingKeepsAStraightLine() {
    #expect(close(TemplateOperations.smooth353QHTwice([1, 2, 3, 4, 5]), [1, 2, 3, 4, 5]))
  }

  /// [1,3,2,5,4]: medians 3-5-3 give [1,2,3,4,4] (end rules keep 1 and 4), hanning gives
  /// [1,2,3,3.75,4]; the residuals [0,1,-1,1.25,0] smooth to zero, so that is the result.
  @Test func smoothingByHand() {
    #expect(close(TemplateOperations.smooth353QHTwice([1, 3, 2, 5, 4]), [1, 2, 3, 3.75, 4]))
    #expect(close(TemplateOperations.medians353([1, 3, 2, 5, 4]), [1, 2, 3, 4, 4]))
    #expect(close(TemplateOperations.hanning([1, 2, 3, 4, 4]), [1, 2, 3, 3.75, 4]))
  }

  /// A flat plateau at a maximum becomes a quadratic: y[2] = −z[0]/2 + z[2]/0.75 + z[4]/6.
  @Test func quadraticInterpolationOfAFlatTop() {
    let quadratic: [Double] = [0, 5, 5 / 0.75, 5, 0]
    #expect(close(TemplateOperations.quadraticFlats([0, 5, 5, 5, 0]), quadratic))
    #expect(TemplateOperations.quadraticFlats([0, 5, 5, 5, 9]) == [0, 5, 5, 5, 9])  // monotone: untouched
  }

  @Test func smoothingTheRatioKeepsTheNominalShape() {
    // A constant 10 % excess with one noisy bin: the ratio smooths back to 1.1 everywhere.
    let nominal: [Double] = [100, 200, 300, 200, 100]
    let up: [Double] = [110, 220, 390, 220, 110]
    #expect(close(TemplateOperations.smoothRatio(nominal: nominal, varied: up), [110, 220, 330, 220, 110], 1e-9))
  }

  @Test func normShapeSplit() throws {
    let s = try #require(TemplateOperations.splitNormShape(nominal: [10, 30], up: [12, 30], down: [8, 30], minimumBin: 1e-6))
    #expect(abs(s.hi - 1.05) < 1e-12 && abs(s.lo - 0.95) < 1e-12)
    let hiData: [Double] = [480.0 / 42, 1200.0 / 42], loData: [Double] = [320.0 / 38, 1200.0 / 38]
    #expect(close(s.hiData, hiData))
    #expect(close(s.loData, loData))
    #expect(abs(TemplateOperations.normEffect(s) - 0.05) < 1e-12)
    let largest: Double = (10 - 320.0 / 38) / 10
    #expect(abs(TemplateOperations.shapeEffect(s, nominal: [10, 30]) - largest) < 1e-12)
  }

  @Test func nonPositiveVariationsAreClipped() throws {
    let s = try #require(TemplateOperations.splitNormShape(nominal: [10, 10], up: [25, -5], down: [-3, 1], minimumBin: 1e-6))
    #expect(s.hi == 1 && s.hiData == [25, 1e-6])  // Σ up = 20: factor 1; the negative bin clipped
    #expect(s.lo == TemplateOperations.minimumFactor)  // Σ down = −2 ≤ 0
    #expect(s.loData == [10, 10])  // no shape from a side without a positive yield
    #expect(TemplateOperations.splitNormShape(nominal: [0, 0], up: [1, 1], down: [1, 1], minimumBin: 1e-6) == nil)
  }
}
