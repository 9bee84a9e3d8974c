import CascadeSupport

/// Named typed columns of equal length: one block of events.
///
/// ```swift
/// var t = EventTable()
/// try t.append(Column("pt", .float32([20, 30])))
/// let pt = try t.column(named: "pt").float32Values()
/// ```
public struct EventTable: Sendable, Equatable {
  public private(set) var columns: [Column] = []
  public private(set) var rowCount: Int = 0

  /// A table with no columns and no rows; the first column appended sets the row count.
  public init() {}

  /// Columns must have equal lengths and unique names.
  public init(columns: [Column]) throws {
    for c in columns { try append(c) }
  }

  public var columnNames: [String] { columns.map(\.name) }
  public var schema: [(name: String, dtype: DType)] { columns.map { ($0.name, $0.dtype) } }

  /// Adds `column` after the existing ones. Throws (table-level message, without a file name) if
  /// its name is already taken or its length differs from ``rowCount``.
  public mutating func append(_ column: Column) throws {
    if columns.contains(where: { $0.name == column.name }) {
      throw UserError("duplicate column name \"\(column.name)\"")
    }
    if !columns.isEmpty && column.count != rowCount {
      throw UserError("column \"\(column.name)\" has \(column.count) rows, table has \(rowCount)")
    }
    if columns.isEmpty { rowCount = column.count }
    columns.append(column)
  }

  /// Replaces the column of the same name, or appends it.
  public mutating func set(_ column: Column) throws {
    if let i = columns.firstIndex(where: { $0.name == column.name }) {
      guard column.count == rowCount || columns.count == 1 else {
        throw UserError("column \"\(column.name)\" has \(column.count) rows, table has \(rowCount)")
      }
      columns[i] = column
      if columns.count == 1 { rowCount = column.count }
    } else {
      try append(column)
    }
  }

  /// The column called `name` (exact, case-sensitive match); throws `column "<name>" not found`.
  /// Callers that know the file prefix the message with it.
  public func column(named name: String) throws -> Column {
    guard let c = columns.first(where: { $0.name == name }) else {
      throw UserError("column \"\(name)\" not found")
    }
    return c
  }

  /// Whether a column is called exactly `name`.
  public func hasColumn(_ name: String) -> Bool { columns.contains { $0.name == name } }

  /// A table with only `names`, in that order.
  public func selecting(_ names: [String]) throws -> EventTable {
    try EventTable(columns: names.map { try column(named: $0) })
  }

  /// The rows at `indices` of every column, in that order (repeats allowed).
  public func take(_ indices: [Int]) -> EventTable {
    var t = EventTable()
    t.columns = columns.map { $0.take(indices) }
    t.rowCount = indices.count
    return t
  }

  /// Rows `range` of every column; `range` must lie within `0..<rowCount`.
  public func slice(_ range: Range<Int>) -> EventTable {
    var t = EventTable()
    t.columns = columns.map { $0.slice(range) }
    t.rowCount = range.count
    return t
  }

  /// The rows whose `mask` entry is `true`, in row order. `mask.count` must equal ``rowCount``
  /// (a precondition: masks are computed from the table, never read from the user).
  public func filter(_ mask: [Bool]) -> EventTable {
    precondition(mask.count == rowCount)
    var t = EventTable()
    t.columns = columns.map { $0.filter(mask) }
    t.rowCount = mask.lazy.filter { $0 }.count
    return t
  }

  /// Concatenates tables with the same column names and dtypes (in the first table's order).
  public static func concatenate(_ tables: [EventTable]) throws -> EventTable {
    guard let first = tables.first else { return EventTable() }
    var out = EventTable()
    for c in first.columns {
      var data = c.data
      for t in tables.dropFirst() {
        let other = try t.column(named: c.name)
        guard other.dtype == c.dtype else {
          throw UserError("column \"\(c.name)\": dtype \(other.dtype.rawValue) differs from \(c.dtype.rawValue)")
        }
        data = try ColumnData.concatenate(data, other.data)
      }
      try out.append(Column(c.name, data))
    }
    for t in tables.dropFirst() where t.columns.count != first.columns.count {
      throw UserError("tables have different columns: \(first.columnNames) vs \(t.columnNames)")
    }
    return out
  }
}

extension ColumnData {
  static func concatenate(_ a: ColumnData, _ b: ColumnData) throws -> ColumnData {
    switch (a, b) {
    case (.float32(let x), .float32(let y)): return .float32(x + y)
    case (.float64(let x), .float64(let y)): return .float64(x + y)
    case (.int8(let x), .int8(let y)): return .int8(x + y)
    case (.int16(let x), .int16(let y)): return .int16(x + y)
    case (.int32(let x), .int32(let y)): return .int32(x + y)
    case (.int64(let x), .int64(let y)): return .int64(x + y)
    case (.uint8(let x), .uint8(let y)): return .uint8(x + y)
    case (.uint16(let x), .uint16(let y)): return .uint16(x + y)
    case (.uint32(let x), .uint32(let y)): return .uint32(x + y)
    case (.uint64(let x), .uint64(let y)): return .uint64(x + y)
    case (.bool(let x), .bool(let y)): return .bool(x + y)
    default: throw UserError("cannot concatenate \(a.dtype.rawValue) with \(b.dtype.rawValue)")
    }
  }
}
