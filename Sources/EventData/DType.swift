/// The storage type of a column, named as numpy names it.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool

  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
  public var isInteger: Bool { !isFloatingPoint && self != .bool }
}
