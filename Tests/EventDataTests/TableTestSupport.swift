import Foundation
import CascadeSupport
import Testing
import TestSupport

@testable import EventData

/// Bit-exact equality of two tables (NaN payloads included), with a readable failure.
func expectIdentical(_ a: EventTable, _ b: EventTable, _ note: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(a.columnNames == b.columnNames, "\(note) names", sourceLocation: sourceLocation)
  #expect(a.rowCount == b.rowCount, "\(note) rows", sourceLocation: sourceLocation)
  for (x, y) in zip(a.columns, b.columns) {
    #expect(x.dtype == y.dtype, "\(note) \(x.name) dtype", sourceLocation: sourceLocation)
    #expect(bitPatterns(x.data) == bitPatterns(y.data), "\(note) \(x.name) values", sourceLocation: sourceLocation)
  }
}

func bitPatterns(_ d: ColumnData) -> [UInt64] {
  switch d {
  case .float32(let v): v.map { UInt64($0.bitPattern) }
  case .float64(let v): v.map { $0.bitPattern }
  case .int8(let v): v.map { UInt64(bitPattern: Int64($0)) }
  case .int16(let v): v.map { UInt64(bitPattern: Int64($0)) }
  case .int32(let v): v.map { UInt64(bitPattern: Int64($0)) }
  case .int64(let v): v.map { UInt64(bitPattern: $0) }
  case .uint8(let v): v.map { UInt64($0) }
  case .uint16(let v): v.map { UInt64($0) }
  case .uint32(let v): v.map { UInt64($0) }
  case .uint64(let v): v
  case .bool(let v): v.map { $0 ? 1 : 0 }
  }
}

/// A deterministic pseudo-random generator for test data (SplitMix64).
struct TestRNG {
  var state: UInt64
  init(_ seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// A table with every dtype, and NaN, ±Inf, −0, extremes and subnormals in the float columns.
func allTypesTable(rows: Int, seed: UInt64 = 1) throws -> EventTable {
  var rng = TestRNG(seed)
  let specials: [Double] = [.nan, .infinity, -.infinity, -0.0, 5e-324, .greatestFiniteMagnitude, -1e-300, 0.1]
  var f64: [Double] = [], f32: [Float] = []
  for i in 0..<rows {
    if i < specials.count {
      f64.append(specials[i])
      f32.append(Float(specials[i]))
    } else {
      f64.append((rng.uniform() - 0.5) * pow(10, Double(Int(rng.next() % 20)) - 10))
      f32.append(Float((rng.uniform() - 0.3) * 300))
    }
  }
  func ints<T: FixedWidthInteger>(_: T.Type) -> [T] {
    (0..<rows).map { i in i == 0 ? T.min : i == 1 ? T.max : T(truncatingIfNeeded: rng.next()) }
  }
  return try EventTable(columns: [
    Column("f64", .float64(f64)), Column("f32", .float32(f32)),
    Column("i8", .int8(ints(Int8.self))), Column("i16", .int16(ints(Int16.self))),
    Column("i32", .int32(ints(Int32.self))), Column("i64", .int64(ints(Int64.self))),
    Column("u8", .uint8(ints(UInt8.self))), Column("u16", .uint16(ints(UInt16.self))),
    Column("u32", .uint32(ints(UInt32.self))), Column("u64", .uint64(ints(UInt64.self))),
    Column("flag", .bool((0..<rows).map { _ in rng.next() & 1 == 1 })),
  ])
}

func writeText(_ text: String, _ name: String, in dir: String) -> String {
  let path = dir + "/" + name
  FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
  return path
}

/// The message of the `UserError` thrown by `body` (nil when none is thrown).
func userErrorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let e as UserError {
    return e.message
  } catch {
    return "unexpected error type: \(error)"
  }
}
