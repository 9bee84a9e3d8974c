/// The `decorrelate` option a stage was trained with, as recorded in `models/<stage>.json` and
/// `train-summary.json` (key `decorrelate`, present only for decorrelated stages, so files of
/// configs without the option keep their bytes).
public struct DecorrelationRecord: Codable, Sendable, Equatable {
  public var observable: String
  /// `reweight` or `flatness`.
  public var method: String
  public var strength: Double
  public var bins: Int

  /// The recorded option: fit-observable column, method name (`reweight` or `flatness`), λ and bin count.
  public init(observable: String, method: String, strength: Double, bins: Int) {
    self.observable = observable
    self.method = method
    self.strength = strength
    self.bins = bins
  }

  /// The record of a config's option.
  public init(_ d: Decorrelation) {
    self.init(observable: d.observable, method: d.method.rawValue, strength: d.strength, bins: d.bins)
  }
}
