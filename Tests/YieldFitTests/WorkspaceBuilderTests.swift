import CascadeSupport
import Foundation
import TestSupport
import Testing

@testable import YieldFit

/// Workspaces from plain histogram templates (no cascade involved).
@Suite struct WorkspaceBuilderTests {
  let region = RegionHistograms(
    region: "SR",
    templates: [TemplateHistogram(sample: "sig", sumw: [5, 6], sumw2: [1, 1]), TemplateHistogram(sample: "bkg", sumw: [50, 40], sumw2: [4, 4])],
    data: nil)

  @Test func asimovAndMissingDataAndUnknownRegion() throws {
    let spec = TemplateWorkspaceSpec(edges: [0, 1, 2])
    let (ws, clipped) = try buildWorkspace(regions: [region], fit: spec, signalSamples: ["sig"], asimov: true)
    #expect(clipped.isEmpty)
    #expect(ws.observations == [Observation(name: "SR", data: [55, 46])])
    #expect(ws.measurements[0].poi == "mu_sig")
    let bkg = ws.channels[0].samples[1]
    #expect(bkg.modifiers == [Modifier(name: "mu_bkg", kind: .normfactor), Modifier(name: "staterror_SR", kind: .staterror([2, 2]))])
    #expect(throws: UserError(#"fit: region "SR" has no data histogram (no data sample); use --asimov"#)) {
      try buildWorkspace(regions: [region], fit: spec, signalSamples: ["sig"], asimov: false)
    }
    var unknown = spec
    unknown.regions = ["SRR"]
    #expect(throws: UserError(#"fit.regions: unknown region "SRR" (did you mean "SR"?) (regions: SR)"#)) {
      try buildWorkspace(regions: [region], fit: unknown, signalSamples: ["sig"], asimov: true)
    }
  }

  /// Σw ≤ 0 bins are clipped; empty ones (no event: Σw = Σw² = 0) are told apart from negative ones.
  @Test func clippedBinsAreReportedWithTheirReason() throws {
    var r = region
    r.templates[0] = TemplateHistogram(sample: "sig", sumw: [0, -0.5], sumw2: [0, 0.75])
    r.templates[1] = TemplateHistogram(sample: "bkg", sumw: [50, 0], sumw2: [4, 0])
    let (ws, clipped) = try buildWorkspace(regions: [r], fit: TemplateWorkspaceSpec(edges: [0, 1, 2]), signalSamples: ["sig"], asimov: true)
    #expect(clipped == [
      ClippedTemplate(region: "SR", sample: "sig", bins: [
        ClippedBin(bin: 0, reason: .empty, sumw: 0, sumw2: 0), ClippedBin(bin: 1, reason: .negative, sumw: -0.5, sumw2: 0.75),
      ]),
      ClippedTemplate(region: "SR", sample: "bkg", bins: [ClippedBin(bin: 1, reason: .empty, sumw: 0, sumw2: 0)]),
    ])
    #expect(clipped.map(\.hasNegativeBins) == [true, false])
    #expect(ws.channels[0].samples.map(\.data) == [[1e-6, 1e-6], [50, 1e-6]])
    // A zero sum from events whose weights cancel is not "empty".
    #expect(ClippedTemplate.clipped(region: "R", sample: "s", sumw: [0, 1], sumw2: [2, 1])?.bins == [ClippedBin(bin: 0, reason: .negative, sumw: 0, sumw2: 2)])
    #expect(ClippedTemplate.clipped(region: "R", sample: "s", sumw: [1, 2], sumw2: [1, 4]) == nil)
  }
}
