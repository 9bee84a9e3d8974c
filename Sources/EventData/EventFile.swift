import CascadeSupport

/// How a file stores its table.
public enum TableLayout: String, Sendable {
  /// A group of 1-D datasets, one per column (h5py, and what `cascade` writes).
  case columns
  /// One compound (structured) dataset (numpy structured arrays).
  case compound
  /// pandas `to_hdf(format="table")`: a compound dataset `<group>/table` with an `index` field.
  case pytables
  case csv
  /// A ROOT `TTree` (flat numeric branches); the table path is the tree's path in the file.
  case root
}

/// Options for opening an event file.
public struct EventFileOptions: Sendable {
  /// HDF5 table path (group or dataset); nil = `/events`, else the only table in the file.
  /// ROOT: the tree's path ("events", "dir/tree", optionally ";cycle"); nil = the only tree.
  public var table: String?
  /// CSV field delimiter.
  public var delimiter: UInt8 = UInt8(ascii: ",")
  /// Worker threads for CSV parsing (0 = all cores). Results do not depend on it.
  public var threads: Int = 0
  /// pandas/PyTables tables carry the DataFrame's row index as a field `index`; it is not
  /// event data, so it is left out of the schema unless this is set.
  public var includePandasIndex: Bool = false
  /// Options with the defaults of the command line: the default table, comma-separated CSV, all
  /// cores, and the pandas index left out.
  public init(table: String? = nil, delimiter: UInt8 = UInt8(ascii: ","), threads: Int = 0, includePandasIndex: Bool = false) {
    self.table = table
    self.delimiter = delimiter
    self.threads = threads
    self.includePandasIndex = includePandasIndex
  }
}

/// A readable event file (CSV, HDF5 or ROOT): its schema up front, rows on demand in blocks.
///
/// ```swift
/// let f = try openEventFile("samples/toy/signal.h5")
/// for try block in f.blocks(of: 65_536, columns: ["pt", "weight"]) { … }
/// ```
public protocol EventFileReader: AnyObject {
  var path: String { get }
  var layout: TableLayout { get }
  /// The table path inside the file ("/events"; the file name for CSV).
  var tablePath: String { get }
  var rowCount: Int { get }
  var schema: [(name: String, dtype: DType)] { get }
  /// Reads rows `range` of `columns` (nil = all columns, in file order).
  func read(columns: [String]?, rows: Range<Int>) throws -> EventTable
  /// Why `name` is not a column though the file has something by that name (a ROOT branch
  /// of a type that cannot be read), or nil.
  func unavailableColumnReason(_ name: String) -> String?
}

extension EventFileReader {
  /// Formats whose every stored column is readable (CSV, HDF5) never have a reason.
  public func unavailableColumnReason(_ name: String) -> String? { nil }

  public var columnNames: [String] { schema.map(\.name) }

  /// Every row of `columns` (nil = all, in file order) in one table. Use ``blockRanges(of:)`` and
  /// ``read(columns:rows:)`` instead for files that need not fit in memory.
  public func readAll(columns: [String]? = nil) throws -> EventTable {
    try read(columns: columns, rows: 0..<rowCount)
  }

  /// Row ranges of at most `size` rows covering the table.
  public func blockRanges(of size: Int) -> [Range<Int>] {
    ParallelBlocks.blockRanges(count: rowCount, blockSize: size)
  }

  /// Checks that every name exists; the error names the file and the column.
  public func requireColumns(_ names: [String]) throws {
    let have = Set(columnNames)
    for n in names where !have.contains(n) {
      if let why = unavailableColumnReason(n) { throw UserError("\(path): \(why)") }
      var msg = "\(path): column \"\(n)\" not found"
      if let near = nearestName(to: n, in: columnNames) { msg += " (did you mean \"\(near)\"?)" }
      throw UserError(msg)
    }
  }
}

/// Column types and options for a streaming writer.
public struct EventFileWriteOptions: Sendable {
  /// gzip level 0…9 for HDF5 (0 = no compression).
  public var gzipLevel: Int = 4
  /// HDF5 chunk length in rows.
  public var chunkRows: Int = 65_536
  /// String attributes on the table group (HDF5) — e.g. provenance JSON.
  public var attributes: [String: String] = [:]
  /// CSV field delimiter.
  public var delimiter: UInt8 = UInt8(ascii: ",")
  /// HDF5 group that receives the columns.
  public var table: String = "/events"
  /// Threads compressing HDF5 chunks (0 = all cores); never changes the bytes.
  public var threads: Int = 0
  /// Options for a new file; the defaults match what `cascade` writes (gzip 4, 65 536-row chunks,
  /// comma-separated CSV, columns under `/events`).
  public init(
    gzipLevel: Int = 4, chunkRows: Int = 65_536, attributes: [String: String] = [:],
    delimiter: UInt8 = UInt8(ascii: ","), table: String = "/events"
  ) {
    self.gzipLevel = gzipLevel
    self.chunkRows = chunkRows
    self.attributes = attributes
    self.delimiter = delimiter
    self.table = table
  }
}

/// Appends blocks of rows to a new file; `finish()` renames the complete file into place.
/// A writer that is dropped without `finish()` leaves nothing behind.
public protocol EventFileWriter: AnyObject {
  func append(_ table: EventTable) throws
  func finish() throws
}
