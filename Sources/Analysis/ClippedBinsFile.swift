import CascadeSupport
import Foundation
import YieldFit

/// `fit/clipped-bins.json`: every template bin the run's fit clipped to `clippedTemplateYield`,
/// with the reason (`empty`: no MC event; `negative`: the events' weights sum to ≤ 0) and the
/// bin's Σw and Σw². Written by every fit of a run's regions, with an empty list when none was
/// clipped:
///
/// ```json
/// {"clipped_to": 1e-06, "templates": [{"region": "SR", "sample": "ttbar",
///   "bins": [{"bin": 3, "reason": "negative", "sumw": -0.4, "sumw2": 0.2}]}]}
/// ```
public struct ClippedBinsFile: Sendable, Equatable, Codable {
  /// The file's name inside `fit/`.
  public static let fileName = "clipped-bins.json"

  /// The yield a clipped bin is set to.
  public var clippedTo: Double
  /// Templates with clipped bins, in (region, sample) order.
  public var templates: [ClippedTemplate]

  enum CodingKeys: String, CodingKey {
    case clippedTo = "clipped_to"
    case templates
  }

  /// The file for `templates`, clipped to `clippedTemplateYield`.
  public init(templates: [ClippedTemplate], clippedTo: Double = clippedTemplateYield) {
    self.clippedTo = clippedTo
    self.templates = templates
  }

  /// The file as JSON, in the layout of every other output (keys sorted, JSONWriter's numbers).
  public func json() throws -> JSONValue {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try JSONValue.parse(Array(encoder.encode(self)), source: Self.fileName)
  }

  /// Writes the file atomically to `path`.
  public func write(to path: String) throws {
    try AtomicFile.write(json().serialized(), to: path)
  }

  /// Reads a file written by `write(to:)`.
  public static func read(path: String) throws -> ClippedBinsFile {
    guard let data = FileManager.default.contents(atPath: path) else { throw UserError("\(path): cannot read") }
    do {
      return try JSONDecoder().decode(ClippedBinsFile.self, from: data)
    } catch {
      throw UserError("\(path): not a clipped-bins file (\(error))")
    }
  }

  /// The one terminal line about `templates` (nil when no bin had a negative sum of weights:
  /// bins that are empty by construction are not worth a warning); `path` names the file.
  public static func warning(_ templates: [ClippedTemplate], path: String) -> String? {
    let negative = templates.filter(\.hasNegativeBins).count
    guard negative > 0 else { return nil }
    let subject = negative == 1 ? "1 template had" : "\(negative) templates had"
    return "fit: \(subject) bins with a negative sum of weights, clipped to \(clippedTemplateYield) (details in \(path))"
  }
}
