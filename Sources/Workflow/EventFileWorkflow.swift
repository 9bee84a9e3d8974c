import CascadeSupport
import EventData
import Foundation

/// Comma-separated column names as given on the command line.
public enum ColumnList {
  /// The names between commas, trimmed; empty names dropped.
  public static func parse(_ s: String) -> [String] {
    s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}

/// A CSV delimiter as given on the command line.
public enum Delimiter {
  /// A one-character delimiter; `\t` and `tab` mean a tab. Quotes and newlines are refused.
  public static func parse(_ s: String) throws -> UInt8 {
    if s == "\\t" || s.lowercased() == "tab" { return UInt8(ascii: "\t") }
    let bytes = Array(s.utf8)
    guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n") else {
      throw UserError("--delimiter must be a single character (or \\t), got \"\(s)\"")
    }
    return bytes[0]
  }
}

/// What `cascade convert` is asked to do.
public struct ConvertRequest: Sendable {
  /// Input event file.
  public var input: String
  /// Output file; its extension picks the format.
  public var output: String
  /// Comma-separated columns to keep, in this order (all when nil).
  public var columns: String?
  /// Input HDF5 table path.
  public var table: String?
  /// HDF5 group written.
  public var outTable = "/events"
  /// CSV delimiter for input and output, as typed (`Delimiter.parse`).
  public var delimiter: String?
  /// gzip level 0…9 of HDF5 output.
  public var gzip = 4
  /// HDF5 chunk length in rows.
  public var chunkRows = 65_536
  /// Rows per streamed block.
  public var blockRows = 1 << 20

  /// A request to convert `input` to `output` with the default options.
  public init(input: String, output: String) {
    self.input = input
    self.output = output
  }
}

/// `cascade inspect` and `cascade convert`: event files on their own.
public enum EventFileWorkflow {
  /// Prints the layout, table, rows and per-column statistics of `files`, as text or as JSON
  /// (one object, or an array for several files).
  public static func inspect(_ files: [String], table: String?, delimiter: String?, json: Bool, console: Console) throws {
    var options = EventFileOptions(table: table)
    if let d = delimiter { options.delimiter = try Delimiter.parse(d) }
    var summaries: [EventFileSummary] = []
    for f in files {
      let reader = try openEventFile(f, options: options)
      summaries.append(try EventFileSummary.compute(reader))
    }
    if json {
      console.write(try summaries.count == 1 ? JSONFile.text(summaries[0]) : JSONFile.text(summaries))
    } else {
      console.write(summaries.map(\.text).joined(separator: "\n"))
    }
  }

  /// Streams `request.input` into `request.output` (CSV ↔ HDF5), optionally selecting columns.
  public static func convert(_ request: ConvertRequest) throws {
    var readOptions = EventFileOptions(table: request.table)
    var writeOptions = EventFileWriteOptions(gzipLevel: request.gzip, chunkRows: request.chunkRows, table: request.outTable)
    if let d = request.delimiter {
      let b = try Delimiter.parse(d)
      readOptions.delimiter = b
      writeOptions.delimiter = b
    }
    try convertEventFile(
      request.input, to: request.output, columns: request.columns.map(ColumnList.parse), readOptions: readOptions,
      writeOptions: writeOptions, blockRows: request.blockRows)
  }
}
