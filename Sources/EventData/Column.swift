/// Typed values of one column.
public enum ColumnData: Sendable, Equatable {
  case float32([Float])
  case float64([Double])
  case int8([Int8])
  case int16([Int16])
  case int32([Int32])
  case int64([Int64])
  case uint8([UInt8])
  case uint16([UInt16])
  case uint32([UInt32])
  case uint64([UInt64])
  case bool([Bool])

  public var dtype: DType {
    switch self {
    case .float32: .float32
    case .float64: .float64
    case .int8: .int8
    case .int16: .int16
    case .int32: .int32
    case .int64: .int64
    case .uint8: .uint8
    case .uint16: .uint16
    case .uint32: .uint32
    case .uint64: .uint64
    case .bool: .bool
    }
  }

  public var count: Int {
    switch self {
    case .float32(let v): v.count
    case .float64(let v): v.count
    case .int8(let v): v.count
    case .int16(let v): v.count
    case .int32(let v): v.count
    case .int64(let v): v.count
    case .uint8(let v): v.count
    case .uint16(let v): v.count
    case .uint32(let v): v.count
    case .uint64(let v): v.count
    case .bool(let v): v.count
    }
  }

  /// An empty column of `dtype`.
  public static func empty(_ dtype: DType) -> ColumnData {
    switch dtype {
    case .float32: .float32([])
    case .float64: .float64([])
    case .int8: .int8([])
    case .int16: .int16([])
    case .int32: .int32([])
    case .int64: .int64([])
    case .uint8: .uint8([])
    case .uint16: .uint16([])
    case .uint32: .uint32([])
    case .uint64: .uint64([])
    case .bool: .bool([])
    }
  }

  /// Applies `f` to the underlying array whatever its element type, keeping the type.
  @inlinable
  public func mapArray(_ f: (any ColumnArrayTransform)) -> ColumnData {
    switch self {
    case .float32(let v): .float32(f.apply(v))
    case .float64(let v): .float64(f.apply(v))
    case .int8(let v): .int8(f.apply(v))
    case .int16(let v): .int16(f.apply(v))
    case .int32(let v): .int32(f.apply(v))
    case .int64(let v): .int64(f.apply(v))
    case .uint8(let v): .uint8(f.apply(v))
    case .uint16(let v): .uint16(f.apply(v))
    case .uint32(let v): .uint32(f.apply(v))
    case .uint64(let v): .uint64(f.apply(v))
    case .bool(let v): .bool(f.apply(v))
    }
  }
}

/// A type-preserving operation on a column's array (take, slice, filter).
public protocol ColumnArrayTransform {
  func apply<T>(_ values: [T]) -> [T]
}

struct TakeRows: ColumnArrayTransform {
  let indices: [Int]
  func apply<T>(_ values: [T]) -> [T] { indices.map { values[$0] } }
}

struct SliceRows: ColumnArrayTransform {
  let range: Range<Int>
  func apply<T>(_ values: [T]) -> [T] { Array(values[range]) }
}

struct FilterRows: ColumnArrayTransform {
  let mask: [Bool]
  func apply<T>(_ values: [T]) -> [T] {
    var out: [T] = []
    out.reserveCapacity(values.count)
    for i in values.indices where mask[i] { out.append(values[i]) }
    return out
  }
}

/// A named, typed column of an event table.
public struct Column: Sendable, Equatable {
  public var name: String
  public var data: ColumnData

  /// A column called `name` holding `data`; the dtype and row count come from `data`.
  public init(_ name: String, _ data: ColumnData) {
    self.name = name
    self.data = data
  }

  public var dtype: DType { data.dtype }
  public var count: Int { data.count }

  /// The values as `Double` (exact for every type except 64-bit integers above 2^53).
  public func doubleValue(at i: Int) -> Double {
    switch data {
    case .float32(let v): Double(v[i])
    case .float64(let v): v[i]
    case .int8(let v): Double(v[i])
    case .int16(let v): Double(v[i])
    case .int32(let v): Double(v[i])
    case .int64(let v): Double(v[i])
    case .uint8(let v): Double(v[i])
    case .uint16(let v): Double(v[i])
    case .uint32(let v): Double(v[i])
    case .uint64(let v): Double(v[i])
    case .bool(let v): v[i] ? 1 : 0
    }
  }

  /// Feature values: every type converted to `Float` (NaN kept).
  public func float32Values() -> [Float] {
    switch data {
    case .float32(let v): v
    case .float64(let v): v.map { Float($0) }
    case .int8(let v): v.map { Float($0) }
    case .int16(let v): v.map { Float($0) }
    case .int32(let v): v.map { Float($0) }
    case .int64(let v): v.map { Float($0) }
    case .uint8(let v): v.map { Float($0) }
    case .uint16(let v): v.map { Float($0) }
    case .uint32(let v): v.map { Float($0) }
    case .uint64(let v): v.map { Float($0) }
    case .bool(let v): v.map { $0 ? 1 : 0 }
    }
  }

  /// Weight values: every type converted to `Double`.
  public func float64Values() -> [Double] {
    switch data {
    case .float64(let v): v
    default: (0..<count).map { doubleValue(at: $0) }
    }
  }

  /// Integer ids (event numbers) exactly; floating-point columns must hold whole numbers.
  public func int64Values(source: String = "") throws -> [Int64] {
    switch data {
    case .int64(let v): return v
    case .int8(let v): return v.map { Int64($0) }
    case .int16(let v): return v.map { Int64($0) }
    case .int32(let v): return v.map { Int64($0) }
    case .uint8(let v): return v.map { Int64($0) }
    case .uint16(let v): return v.map { Int64($0) }
    case .uint32(let v): return v.map { Int64($0) }
    case .uint64(let v):
      if let i = v.firstIndex(where: { $0 > UInt64(Int64.max) }) {
        throw UserError("\(source)column \"\(name)\" row \(i): value \(v[i]) does not fit in int64")
      }
      return v.map { Int64($0) }
    case .bool(let v): return v.map { $0 ? 1 : 0 }
    case .float32, .float64:
      var out = [Int64](repeating: 0, count: count)
      for i in 0..<count {
        let d = doubleValue(at: i)
        guard d.isFinite, d == d.rounded(), abs(d) < 9.2e18 else {
          throw UserError("\(source)column \"\(name)\" row \(i): \(d) is not an integer")
        }
        out[i] = Int64(d)
      }
      return out
    }
  }

  /// The rows at `indices`, in that order (repeats allowed); every index must be in `0..<count`.
  public func take(_ indices: [Int]) -> Column { Column(name, data.mapArray(TakeRows(indices: indices))) }
  /// The rows in `range`, which must lie within `0..<count`.
  public func slice(_ range: Range<Int>) -> Column { Column(name, data.mapArray(SliceRows(range: range))) }
  /// The rows whose `mask` entry is `true`, in row order; `mask` has one entry per row.
  public func filter(_ mask: [Bool]) -> Column { Column(name, data.mapArray(FilterRows(mask: mask))) }
}

import CascadeSupport
