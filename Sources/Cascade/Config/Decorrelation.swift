import Boosting
import CascadeSupport

/// A stage's `"decorrelate"` option: keep the stage from learning (and so sculpting) the fit
/// observable. `{"observable": "m_lg", "method": "reweight" | "flatness", "strength": λ, "bins": n}`.
///
/// - `reweight` (planing): the stage's background training weights are reweighted, in `bins`
///   equal-signal-weight bins of the observable, to the signal's distribution of it (factor
///   ((S_b/S)/(B_b/B))^λ, λ = `strength`, default 1 = full planing), fold by fold;
/// - `flatness`: gradient-boosting loss = logistic loss + λ × a bin-flatness penalty on the
///   background's score in `bins` equal-weight bins of the observable (`FlatnessPenalty`).
///
/// Training weights only: evaluation, cutflows and templates always use the true weights.
public struct Decorrelation: Sendable, Equatable {
  /// The `method` key: training-weight planing (`reweight`) or the loss penalty (`flatness`).
  public enum Method: String, Sendable, CaseIterable { case reweight, flatness }
  public var observable: String
  public var method: Method
  public var strength: Double
  public var bins: Int

  /// Decorrelation from column `observable`; `strength` λ ≥ 0 (default 1) and `bins` in 2...1000
  /// (default 20), as `parse` checks.
  public init(observable: String, method: Method, strength: Double = 1, bins: Int = 20) {
    self.observable = observable
    self.method = method
    self.strength = strength
    self.bins = bins
  }

  static let keys = ["observable", "method", "strength", "bins"]

  /// Parses the block; `boost` is the stage's booster (flatness needs gradient boosting).
  static func parse(_ c: JSONCursor, boost: BoostType) throws -> Decorrelation {
    let o = try c.object(allowed: keys)
    let observable = try o.required("observable").string()
    guard !observable.isEmpty else { throw try o.required("observable").error("must not be empty") }
    let mc = try o.required("method")
    let m = try mc.string()
    guard let method = Method(rawValue: m) else { throw mc.error("must be reweight or flatness (found \"\(m)\")") }
    if method == .flatness, boost != .gradient { throw mc.error("flatness needs \"boost\": \"gradient\"") }
    var d = Decorrelation(observable: observable, method: method)
    if let s = o.optional("strength") {
      d.strength = try s.finiteDouble()
      guard d.strength >= 0 else { throw s.error("must be ≥ 0") }
    }
    if let b = o.optional("bins") {
      d.bins = try b.int()
      guard (2...1000).contains(d.bins) else { throw b.error("must be between 2 and 1000") }
    }
    return d
  }

  public var jsonValue: JSONValue {
    .object(JSONObject([
      ("observable", .string(observable)), ("method", .string(method.rawValue)),
      ("strength", JSONValue(strength)), ("bins", JSONValue(bins)),
    ]))
  }
}
