/// The storage type of a column, named as numpy names it.
public enum DType: String, Sendable, CaseIterable, Codable {
  case float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool

  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
  public var isInteger: Bool { !isFloatingPoint && self != .bool }
  /// Bytes per value in memory and in HDF5 (bools one byte).
  public var byteWidth: Int {
    switch self {
    case .int8, .uint8, .bool: 1
    case .int16, .uint16: 2
    case .float32, .int32, .uint32: 4
    case .float64, .int64, .uint64: 8
    }
  }
}
