import CascadeSupport
import Foundation

/// A memory-mapped file (read-only); unmapped when released.
final class MappedFile {
  let base: UnsafePointer<UInt8>
  let count: Int
  private let mapping: UnsafeMutableRawPointer?

  init(path: String) throws {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw UserError("\(path): cannot open (\(String(cString: strerror(errno))))") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw UserError("\(path): cannot read (\(String(cString: strerror(errno))))") }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw UserError("\(path): is a directory, not an event file") }
    count = Int(st.st_size)
    if count == 0 {
      mapping = nil
      base = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))
      return
    }
    let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
    guard let m, m != MAP_FAILED else { throw UserError("\(path): cannot read (\(String(cString: strerror(errno))))") }
    mapping = m
    base = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
  }

  deinit {
    if let mapping { munmap(mapping, count) } else { base.deallocate() }
  }
}

/// Reads a delimited text table: a header row of names, then one row per line.
///
/// Opening the file scans it once, in parallel blocks split at line boundaries, to find the
/// row starts, check every row's field count and infer each column's type; `read` then parses
/// only the requested rows and columns, in parallel fixed-size row blocks (deterministic for
/// any thread count). Fields are parsed in place from the mapped bytes.
///
/// Types: int64 when every cell is an integer literal that fits; bool when every cell is
/// `true`/`false` (any case); float64 otherwise (also for a header-only file). Empty cells and
/// `nan` are missing (NaN) and make an integer column float64; `inf`, `-inf`, `infinity` are
/// accepted in any case; `true`/`false` in a numeric column read as 1/0. Fields may be quoted
/// ("" escapes a quote) but cannot contain line breaks. Blank lines are skipped.
final class CSVEventReader: EventFileReader {
  let path: String
  let layout = TableLayout.csv
  let tablePath: String
  let rowCount: Int
  let schema: [(name: String, dtype: DType)]

  private let file: MappedFile
  private let rowStarts: [Int]
  private let delimiter: UInt8
  private let threads: Int
  private let columnIndex: [String: Int]

  /// Bytes per inference block; fixed so the scan is identical for any thread count.
  static let defaultScanBlockBytes = 1 << 22
  /// Rows per parse block in `read`.
  private let parseBlockRows: Int

  /// `scanBlockBytes`/`parseBlockRows` only change how work is cut (tests use tiny blocks).
  init(path: String, options: EventFileOptions, scanBlockBytes: Int = defaultScanBlockBytes, parseBlockRows: Int = 1 << 14) throws {
    self.parseBlockRows = max(1, parseBlockRows)
    let scanBlockBytes = max(1, scanBlockBytes)
    self.path = path
    tablePath = (path as NSString).lastPathComponent
    threads = options.threads
    var delim = options.delimiter
    if delim == UInt8(ascii: ","), path.lowercased().hasSuffix(".tsv") { delim = UInt8(ascii: "\t") }
    delimiter = delim
    file = try MappedFile(path: path)
    let p = file.base
    let n = file.count
    guard n > 0 else { throw UserError("\(path): empty file (expected a header row)") }

    // Header: the first line (a UTF-8 byte-order mark is skipped).
    var pos = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
    let headerEnd = CSVEventReader.lineEnd(p, pos, n)
    let headerContentEnd = CSVEventReader.trimCR(p, pos, headerEnd)
    if headerContentEnd == pos {
      throw UserError("\(path): line 1: empty header (expected column names)")
    }
    var names: [String] = []
    var seen = Set<String>()
    while true {
      let f = CSVScan.field(p, pos, headerContentEnd, delim)
      if f.badQuote { throw UserError("\(path): line 1: unterminated or misplaced quote in the header") }
      var bytes = Array(UnsafeBufferPointer(start: p + f.start, count: f.end - f.start))
      if headerContentEnd > 0, p[f.start > 0 ? f.start - 1 : 0] == CSVScan.quote {
        // Unescape "" inside a quoted name.
        var out: [UInt8] = []
        var k = 0
        while k < bytes.count {
          out.append(bytes[k])
          k += (bytes[k] == CSVScan.quote && k + 1 < bytes.count && bytes[k + 1] == CSVScan.quote) ? 2 : 1
        }
        bytes = out
      }
      let name = String(decoding: bytes, as: UTF8.self)
      if name.isEmpty { throw UserError("\(path): line 1: column \(names.count + 1) has an empty name") }
      if !seen.insert(name).inserted { throw UserError("\(path): line 1: duplicate column name \"\(printableForMessage(name))\"") }
      names.append(name)
      if f.isLast { break }
      pos = f.next
    }
    let dataStart = min(n, headerEnd + 1)
    let ncols = names.count

    // Inference pass over fixed byte blocks.
    let nblocks = max(1, (n - dataStart + scanBlockBytes - 1) / scanBlockBytes)
    let starts = (0...nblocks).map { b in CSVEventReader.lineStartAtOrAfter(p, n, dataStart, dataStart + b * scanBlockBytes) }
    let results = ParallelBlocks.map(count: nblocks, blockSize: 1, threads: options.threads) { r in
      CSVEventReader.scan(p, from: starts[r.lowerBound], to: starts[r.lowerBound + 1], fileEnd: n, ncols: ncols, delim: delim)
    }
    var kinds = [UInt8](repeating: 0, count: ncols)
    var allStarts: [Int] = []
    allStarts.reserveCapacity(results.reduce(0) { $0 + $1.rowStarts.count })
    for res in results {
      if let err = res.error {
        let line = CSVEventReader.lineNumber(p, err.offset)
        switch err.kind {
        case .ragged(let count):
          throw UserError("\(path): line \(line): \(count) field\(count == 1 ? "" : "s"), the header has \(ncols)")
        case .badQuote:
          throw UserError("\(path): line \(line): unterminated or misplaced quote")
        case .notNumeric(let column, let s, let e):
          let text = String(decoding: UnsafeBufferPointer(start: p + s, count: min(e - s, 40)), as: UTF8.self)
          throw UserError("\(path): line \(line), column \"\(printableForMessage(names[column]))\": \"\(printableForMessage(text))\" is not a number")
        }
      }
      for c in 0..<ncols { kinds[c] |= res.kinds[c] }
      allStarts.append(contentsOf: res.rowStarts)
    }
    rowStarts = allStarts
    rowCount = allStarts.count
    schema = zip(names, kinds).map { name, k in
      if k == CSVScan.kindInteger { return (name, DType.int64) }
      if k == CSVScan.kindBool { return (name, DType.bool) }
      return (name, DType.float64)
    }
    var index: [String: Int] = [:]
    for (i, nm) in names.enumerated() { index[nm] = i }
    columnIndex = index
  }

  @inline(__always)
  static func lineEnd(_ p: UnsafePointer<UInt8>, _ pos: Int, _ n: Int) -> Int {
    guard pos < n, let hit = memchr(p + pos, Int32(CSVScan.newline), n - pos) else { return n }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
  }

  @inline(__always)
  static func trimCR(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
    e > s && p[e - 1] == CSVScan.cr ? e - 1 : e
  }

  /// The first line start at or after `offset` (lines start after a newline).
  static func lineStartAtOrAfter(_ p: UnsafePointer<UInt8>, _ n: Int, _ dataStart: Int, _ offset: Int) -> Int {
    if offset <= dataStart { return dataStart }
    if offset >= n { return n }
    if p[offset - 1] == CSVScan.newline { return offset }
    return min(n, lineEnd(p, offset, n) + 1)
  }

  /// 1-based line number of byte `offset` (only computed for error messages).
  static func lineNumber(_ p: UnsafePointer<UInt8>, _ offset: Int) -> Int {
    var count = 1
    var pos = 0
    while pos < offset, let hit = memchr(p + pos, Int32(CSVScan.newline), offset - pos) {
      count += 1
      pos = UnsafeRawPointer(hit) - UnsafeRawPointer(p) + 1
    }
    return count
  }

  enum ScanErrorKind {
    case ragged(Int)
    case badQuote
    case notNumeric(column: Int, start: Int, end: Int)
  }

  struct ScanResult {
    var rowStarts: [Int] = []
    var kinds: [UInt8]
    var error: (offset: Int, kind: ScanErrorKind)?
  }

  /// Scans the lines starting in `from..<to`: row starts, field counts, cell kinds.
  static func scan(_ p: UnsafePointer<UInt8>, from: Int, to: Int, fileEnd n: Int, ncols: Int, delim: UInt8) -> ScanResult {
    var res = ScanResult(kinds: [UInt8](repeating: 0, count: ncols))
    res.rowStarts.reserveCapacity(max(16, (to - from) / max(1, ncols * 8)))
    res.kinds.withUnsafeMutableBufferPointer { kinds in
      var lineStart = from
      while lineStart < to {
        let le = lineEnd(p, lineStart, n)
        let ce = trimCR(p, lineStart, le)
        defer { lineStart = le + 1 }
        if ce == lineStart { continue }  // blank line
        var pos = lineStart
        var col = 0
        while true {
          let (f, k) = CSVScan.fieldKind(p, pos, ce, delim)
          if f.badQuote {
            res.error = (lineStart, .badQuote)
            return
          }
          if col < ncols {
            if k == 0 {
              res.error = (lineStart, .notNumeric(column: col, start: f.start, end: f.end))
              return
            }
            kinds[col] |= k
          }
          col += 1
          if f.isLast { break }
          pos = f.next
        }
        if col != ncols {
          res.error = (lineStart, .ragged(col))
          return
        }
        res.rowStarts.append(lineStart)
      }
    }
    return res
  }

  func read(columns: [String]?, rows: Range<Int>) throws -> EventTable {
    let names = columns ?? columnNames
    try requireColumns(names)
    guard rows.lowerBound >= 0, rows.upperBound <= rowCount else {
      throw UserError("\(path): rows \(rows.lowerBound)..<\(rows.upperBound) outside the table (\(rowCount) rows)")
    }
    let ncols = schema.count
    let n = rows.count
    // Output slot of each field (−1 = not requested); a column may be requested once.
    var slotOfField = [Int](repeating: -1, count: ncols)
    var fieldOfSlot: [Int] = []
    for name in names {
      let f = columnIndex[name]!
      if slotOfField[f] >= 0 { throw UserError("\(path): column \"\(name)\" requested twice") }
      slotOfField[f] = fieldOfSlot.count
      fieldOfSlot.append(f)
    }
    let lastNeeded = fieldOfSlot.max() ?? -1
    let kinds = fieldOfSlot.map { schema[$0].dtype }
    let p = file.base
    let fileEnd = file.count
    let delim = delimiter
    // First malformed cell per block (row, field, byte range): reported in row order.
    // Values are written straight into the final arrays (Double, Int64 or Bool per column).
    var errors: [(Int, Int, Int, Int)?] = []
    let columnsData = try withColumnArrays(kinds, count: n) { buffers in
      errors = rowStarts.withUnsafeBufferPointer { starts in
        slotOfField.withUnsafeBufferPointer { slots in
          ParallelBlocks.map(count: n, blockSize: parseBlockRows, threads: threads) { block -> (Int, Int, Int, Int)? in
            for r in block {
              let ls = starts[rows.lowerBound + r]
              let ce = CSVEventReader.trimCR(p, ls, CSVEventReader.lineEnd(p, ls, fileEnd))
              var pos = ls
              var col = 0
              while col <= lastNeeded {
                let f = CSVScan.field(p, pos, ce, delim)
                let slot = slots[col]
                if slot >= 0 {
                  let out = buffers[slot]
                  switch kinds[slot] {
                  case .int64: out.storeBytes(of: CSVScan.parseInt64(p, f.start, f.end), toByteOffset: r * 8, as: Int64.self)
                  case .bool:
                    out.storeBytes(of: (p[f.start] | 0x20) == UInt8(ascii: "t"), toByteOffset: r, as: Bool.self)
                  default:
                    guard let d = CSVScan.parseDouble(p, f.start, f.end) else { return (r, col, f.start, f.end) }
                    out.storeBytes(of: d, toByteOffset: r * 8, as: Double.self)
                  }
                }
                col += 1
                pos = f.next
              }
            }
            return nil
          }
        }
      }
    }
    if let (r, col, s, e) = errors.lazy.compactMap({ $0 }).first {
      let line = CSVEventReader.lineNumber(p, rowStarts[rows.lowerBound + r])
      let text = String(decoding: UnsafeBufferPointer(start: p + s, count: min(e - s, 40)), as: UTF8.self)
      throw UserError("\(path): line \(line), column \"\(printableForMessage(schema[col].name))\": \"\(printableForMessage(text))\" is not a number")
    }
    let out = zip(fieldOfSlot, columnsData).map { Column(schema[$0].name, $1) }
    return try EventTable(columns: out)
  }
}
