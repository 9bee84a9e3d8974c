/// Template bins with Σw ≤ 0 are set to this, so every expected yield stays positive.
public let clippedTemplateYield = 1e-6

/// Why a template bin was clipped to `clippedTemplateYield`.
public enum ClipReason: String, Sendable, Codable {
  /// No MC event in the bin (Σw = 0 and Σw² = 0): empty by construction, nothing to warn about.
  case empty
  /// Events whose weights sum to ≤ 0 (negative weights outweigh the positive ones, or cancel).
  case negative
}

/// One clipped bin of a template.
public struct ClippedBin: Sendable, Equatable, Codable {
  /// Bin index (0-based) within the region's binning.
  public var bin: Int
  public var reason: ClipReason
  /// The bin's Σw and Σw² before clipping.
  public var sumw: Double
  public var sumw2: Double

  /// Bin `bin`, clipped for `reason`, with its Σw and Σw² before clipping.
  public init(bin: Int, reason: ClipReason, sumw: Double, sumw2: Double) {
    self.bin = bin
    self.reason = reason
    self.sumw = sumw
    self.sumw2 = sumw2
  }
}

/// The clipped bins of one (region, sample) template.
public struct ClippedTemplate: Sendable, Equatable, Codable {
  public var region: String
  public var sample: String
  /// The clipped bins, ascending.
  public var bins: [ClippedBin]

  /// The clipped `bins` of `sample`'s template in `region`.
  public init(region: String, sample: String, bins: [ClippedBin]) {
    self.region = region
    self.sample = sample
    self.bins = bins
  }

  /// True when some bin had events with a non-positive sum of weights (not merely empty).
  public var hasNegativeBins: Bool { bins.contains { $0.reason == .negative } }

  /// The clipped bins of a template with `sumw` / `sumw2` per bin (every bin with Σw ≤ 0 or NaN),
  /// nil when none is clipped.
  public static func clipped(region: String, sample: String, sumw: [Double], sumw2: [Double]) -> ClippedTemplate? {
    var bins: [ClippedBin] = []
    for b in 0..<sumw.count where !(sumw[b] > 0) {
      let empty = sumw[b] == 0 && sumw2[b] == 0
      bins.append(ClippedBin(bin: b, reason: empty ? .empty : .negative, sumw: sumw[b], sumw2: sumw2[b]))
    }
    return bins.isEmpty ? nil : ClippedTemplate(region: region, sample: sample, bins: bins)
  }
}
