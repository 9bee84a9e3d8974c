import CascadeSupport
import Foundation

/// Streams an event table to CSV (header, then one line per row, `\n` line ends) through a
/// temporary file renamed into place by `finish()`.
///
/// Floats are written in the shortest text that parses back to the same value (Swift's
/// `description`), so CSV → table → CSV is exact; NaN as `nan`, infinities as `inf`/`-inf`,
/// bools as `true`/`false`, integers in decimal.
final class CSVEventWriter: EventFileWriter {
  private let path: String
  private let tmpPath: String
  private let schema: [(name: String, dtype: DType)]
  private let delimiter: UInt8
  private var handle: UnsafeMutablePointer<FILE>?
  private var finished = false

  init(path: String, schema: [(name: String, dtype: DType)], options: EventFileWriteOptions) throws {
    try validateSchema(schema, path: path)
    self.path = path
    self.schema = schema
    delimiter = options.delimiter
    tmpPath = try AtomicFile.temporaryPath(for: path)
    // Registered before it exists, so an interrupt between the two cannot leave it behind.
    TemporaryFiles.register(tmpPath)
    guard let fh = fopen(tmpPath, "wb") else {
      TemporaryFiles.unregister(tmpPath)
      throw UserError("\(path): cannot write (\(String(cString: strerror(errno))))")
    }
    handle = fh
    var header: [UInt8] = []
    for (i, (name, _)) in schema.enumerated() {
      if i > 0 { header.append(delimiter) }
      CSVEventWriter.appendName(name, delimiter: delimiter, to: &header)
    }
    header.append(CSVScan.newline)
    try write(header)
  }

  deinit {
    if !finished {
      if let h = handle { fclose(h) }
      unlink(tmpPath)
      TemporaryFiles.unregister(tmpPath)
    }
  }

  /// A column name as a header field (the project's one quoting rule).
  static func appendName(_ name: String, delimiter: UInt8, to out: inout [UInt8]) {
    CSVField.append(name, delimiter: delimiter, to: &out)
  }

  private func write(_ bytes: [UInt8]) throws {
    guard let h = handle else { return }
    if !bytes.isEmpty && fwrite(bytes, 1, bytes.count, h) != bytes.count {
      throw UserError("\(path): write failed (\(String(cString: strerror(errno))))")
    }
  }

  func append(_ table: EventTable) throws {
    precondition(!finished, "append after finish")
    var cols: [Column] = []
    for (name, dtype) in schema {
      guard let c = table.columns.first(where: { $0.name == name }) else {
        throw UserError("\(path): the block to write has no column \"\(name)\"")
      }
      guard c.dtype == dtype else {
        throw UserError("\(path): column \"\(name)\" is \(c.dtype.rawValue), the file's schema says \(dtype.rawValue)")
      }
      cols.append(c)
    }
    let rows = table.rowCount
    // Format row blocks in parallel; blocks are written in order.
    let blockRows = 8192
    let ranges = ParallelBlocks.blockRanges(count: rows, blockSize: blockRows)
    let step = 16
    var b = 0
    while b < ranges.count {
      let group = Array(ranges[b..<min(ranges.count, b + step)])
      let texts = ParallelBlocks.map(count: group.count, blockSize: 1, threads: 0) { r in
        CSVEventWriter.format(cols, rows: group[r.lowerBound], delimiter: self.delimiter)
      }
      for t in texts { try write(t) }
      b += step
    }
  }

  static func format(_ cols: [Column], rows: Range<Int>, delimiter: UInt8) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(rows.count * cols.count * 12)
    for r in rows {
      for (i, c) in cols.enumerated() {
        if i > 0 { out.append(delimiter) }
        appendValue(c.data, r, to: &out)
      }
      out.append(CSVScan.newline)
    }
    return out
  }

  @inline(__always)
  static func appendValue(_ data: ColumnData, _ r: Int, to out: inout [UInt8]) {
    switch data {
    case .float32(let v): appendFloat(v[r], to: &out)
    case .float64(let v): appendFloat(v[r], to: &out)
    case .int8(let v): appendInteger(v[r], to: &out)
    case .int16(let v): appendInteger(v[r], to: &out)
    case .int32(let v): appendInteger(v[r], to: &out)
    case .int64(let v): appendInteger(v[r], to: &out)
    case .uint8(let v): appendInteger(v[r], to: &out)
    case .uint16(let v): appendInteger(v[r], to: &out)
    case .uint32(let v): appendInteger(v[r], to: &out)
    case .uint64(let v): appendInteger(v[r], to: &out)
    case .bool(let v): out += v[r] ? Array("true".utf8) : Array("false".utf8)
    }
  }

  @inline(__always)
  static func appendFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(_ x: F, to out: inout [UInt8]) {
    if x.isNaN { out += [0x6e, 0x61, 0x6e]; return }  // nan
    if x.isInfinite { out += x < 0 ? Array("-inf".utf8) : Array("inf".utf8); return }
    // Swift's description is the shortest representation that round-trips.
    var s = x.description
    s.withUTF8 { out.append(contentsOf: $0) }
  }

  @inline(__always)
  static func appendInteger<I: BinaryInteger>(_ x: I, to out: inout [UInt8]) {
    var s = String(x)
    s.withUTF8 { out.append(contentsOf: $0) }
  }

  func finish() throws {
    precondition(!finished, "finish called twice")
    guard let h = handle else { return }
    handle = nil
    var ok = fflush(h) == 0
    ok = fclose(h) == 0 && ok
    if !ok { throw UserError("\(path): write failed (\(String(cString: strerror(errno))))") }
    try AtomicFile.commit(temporary: tmpPath, to: path)
    finished = true
    TemporaryFiles.unregister(tmpPath)
  }
}
