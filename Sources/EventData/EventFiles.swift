import CascadeSupport
import Foundation

/// The on-disk format of an event file, from its bytes and extension.
public enum EventFileFormat: Sendable, Equatable {
  case csv
  case hdf5
  case root

  static let csvExtensions: Set<String> = ["csv", "tsv", "txt"]
  static let hdf5Extensions: Set<String> = ["h5", "hdf5", "hdf", "he5"]
  static let rootExtensions: Set<String> = ["root"]

  /// The "root" magic → ROOT; the HDF5 signature → HDF5 (whatever the extension); else
  /// `.root` → ROOT and `.h5/.hdf5/.hdf` → HDF5 (their readers report the missing
  /// signature); else CSV (`openEventFile` checks that the file is text). Nil: a binary file
  /// that is none of the three.
  public static func detect(_ path: String) -> EventFileFormat? {
    if ROOTFile.hasMagic(path) { return .root }
    if HDF5.hasSignature(path) { return .hdf5 }
    let ext = (path as NSString).pathExtension.lowercased()
    if rootExtensions.contains(ext) { return .root }
    if hdf5Extensions.contains(ext) { return .hdf5 }
    return looksLikeText(path) ? .csv : nil
  }

  /// Whether the first 64 KiB look like text: no NUL byte and almost no other control
  /// characters (any 8-bit encoding of the header passes; binary data does not).
  static func looksLikeText(_ path: String) -> Bool {
    guard let h = FileHandle(forReadingAtPath: path) else { return true }
    defer { try? h.close() }
    guard let data = try? h.read(upToCount: 1 << 16), !data.isEmpty else { return true }
    var control = 0
    for b in data {
      if b == 0 { return false }
      if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C) || b == 0x7F { control += 1 }
    }
    return control * 100 <= data.count
  }

  /// The format to write for `path`: by extension only.
  static func forOutput(_ path: String) throws -> EventFileFormat {
    let ext = (path as NSString).pathExtension.lowercased()
    if csvExtensions.contains(ext) { return .csv }
    if hdf5Extensions.contains(ext) { return .hdf5 }
    if rootExtensions.contains(ext) { throw UserError("\(path): writing ROOT files is not supported (use .csv, .tsv, .txt, .h5 or .hdf5)") }
    throw UserError("\(path): unknown output format (use .csv, .tsv, .txt, .h5 or .hdf5)")
  }
}

/// Text for an error message: control characters and undecodable bytes become "?", so a
/// field echoed from a binary or corrupt file never puts raw bytes on the terminal.
func printableForMessage(_ s: String) -> String {
  String(String.UnicodeScalarView(s.unicodeScalars.map { u in
    u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) || u.value == 0xFFFD ? "?" : u
  }))
}

/// Opens CSV, HDF5 or ROOT (see `EventFileFormat.detect`).
///
/// ```swift
/// let f = try openEventFile("samples/toy/signal.h5")
/// try f.forEachBlock(of: 65_536, columns: ["pt", "weight"]) { rows, block in … }
/// ```
/// Errors (missing file, not HDF5/ROOT, corrupt file, unknown table, bad CSV rows, a binary
/// file of another kind) are one-line `UserError`s naming the file and the line/column at fault.
public func openEventFile(_ path: String, options: EventFileOptions = .init()) throws -> EventFileReader {
  var isDir: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
    throw UserError("\(path): no such file")
  }
  if isDir.boolValue { throw UserError("\(path): is a directory, not an event file") }
  guard FileManager.default.isReadableFile(atPath: path) else { throw UserError("\(path): permission denied") }
  switch EventFileFormat.detect(path) {
  case nil:
    throw UserError("\(path): not an event file: binary data that is neither CSV, HDF5 nor ROOT")
  case .csv:
    return try CSVEventReader(path: path, options: options)
  case .root:
    guard ROOTFile.hasMagic(path) else {
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      if size == 0 { throw UserError("\(path): empty file (not ROOT)") }
      throw UserError("\(path): not a ROOT file (no \"root\" magic)")
    }
    return try ROOTEventReader(path: path, options: options)
  case .hdf5:
    guard HDF5.hasSignature(path) else {
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      if size == 0 { throw UserError("\(path): empty file (not HDF5)") }
      throw UserError("\(path): not an HDF5 file (no HDF5 signature)")
    }
    return try HDF5EventReader(path: path, options: options)
  }
}

/// Streaming writer chosen by extension (.csv/.tsv/.txt or .h5/.hdf5); writes to a temporary
/// path next to `path` and `finish()` renames it into place (dropping the writer unfinished
/// leaves nothing behind).
public func createEventFileWriter(
  _ path: String, schema: [(name: String, dtype: DType)], options: EventFileWriteOptions = .init()
) throws -> EventFileWriter {
  switch try EventFileFormat.forOutput(path) {
  case .csv:
    var o = options
    if o.delimiter == UInt8(ascii: ","), path.lowercased().hasSuffix(".tsv") { o.delimiter = UInt8(ascii: "\t") }
    return try CSVEventWriter(path: path, schema: schema, options: o)
  case .hdf5:
    return try HDF5EventWriter(path: path, schema: schema, options: options)
  case .root:
    throw UserError("\(path): writing ROOT files is not supported")
  }
}

/// Convenience: writes a whole table atomically.
public func writeEventFile(_ table: EventTable, to path: String, options: EventFileWriteOptions = .init()) throws {
  let w = try createEventFileWriter(path, schema: table.schema, options: options)
  try w.append(table)
  try w.finish()
}

/// HDF5 string attributes of the table group (metadata/provenance JSON); empty for CSV.
/// `table` defaults to the table `openEventFile` would pick.
public func readEventFileAttributes(_ path: String, table: String? = nil) throws -> [String: String] {
  let reader = try openEventFile(path, options: EventFileOptions(table: table))
  guard let h5 = reader as? HDF5EventReader else { return [:] }
  return h5.attributes()
}

extension HDF5EventReader {
  /// String attributes of the table object (the group for the columns layout).
  func attributes() -> [String: String] {
    var out: [String: String] = [:]
    for (k, v) in stringAttributesOfTable() { out[k] = v }
    return out
  }
}

extension EventFileReader {
  /// Reads the table in blocks of at most `size` rows and calls `body` with each block's row
  /// range and values: memory stays bounded by one block.
  public func forEachBlock(of size: Int, columns: [String]? = nil, _ body: (Range<Int>, EventTable) throws -> Void) throws {
    for r in blockRanges(of: size) {
      try body(r, try read(columns: columns, rows: r))
    }
  }
}

/// Streams `input` into `output` (format by extension) in blocks of `blockRows` rows,
/// keeping `columns` (nil = all) in that order. Nothing is left at `output` on error.
public func convertEventFile(
  _ input: String, to output: String, columns: [String]? = nil, readOptions: EventFileOptions = .init(),
  writeOptions: EventFileWriteOptions = .init(), blockRows: Int = 1 << 20
) throws {
  let reader = try openEventFile(input, options: readOptions)
  let names = columns ?? reader.columnNames
  try reader.requireColumns(names)
  var seen = Set<String>()
  for n in names where !seen.insert(n).inserted { throw UserError("--columns: \"\(n)\" is listed twice") }
  let types = Dictionary(uniqueKeysWithValues: reader.schema.map { ($0.name, $0.dtype) })
  let writer = try createEventFileWriter(output, schema: names.map { ($0, types[$0]!) }, options: writeOptions)
  try reader.forEachBlock(of: blockRows, columns: names) { _, block in try writer.append(block) }
  try writer.finish()
}
