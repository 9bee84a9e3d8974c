import ArgumentParser
import CascadeSupport
import EventData

/// `cascade inspect FILE...`: what is in an event file.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show the layout, table path, rows and per-column statistics of event files.",
    discussion: """
      Reads CSV (.csv/.tsv/.txt) and HDF5 (.h5/.hdf5/.hdf, or any file with the HDF5 signature)
      in all three layouts: a group of 1-D datasets, a compound dataset, a pandas/PyTables table.
      For each column: dtype, min, max, NaN count and the sum of the non-NaN values.
      --json prints {"file","layout","table","rows","columns":[{"name","dtype","min","max",
      "nan_count","sum"}]} per file (a JSON array for several files); non-finite numbers are null.
      """
  )

  @Argument(help: "Event files (CSV or HDF5).")
  var files: [String]

  @Option(name: .long, help: "HDF5 table path (default: /events, else the only top-level object).")
  var table: String?

  @Option(name: .long, help: "CSV field delimiter (one character; default ',', tab for .tsv).")
  var delimiter: String?

  @Flag(name: .long, help: "Print JSON instead of text tables.")
  var json = false

  func run() throws {
    var options = EventFileOptions(table: table)
    if let d = delimiter { options.delimiter = try parseDelimiter(d) }
    var summaries: [EventFileSummary] = []
    for f in files {
      let reader = try openEventFile(f, options: options)
      summaries.append(try EventFileSummary.compute(reader))
    }
    if json {
      print(try summaries.count == 1 ? JSONFile.text(summaries[0]) : JSONFile.text(summaries), terminator: "")
    } else {
      print(summaries.map(\.text).joined(separator: "\n"), terminator: "")
    }
  }
}

/// A one-character delimiter; `\t` and `tab` mean a tab.
func parseDelimiter(_ s: String) throws -> UInt8 {
  if s == "\\t" || s.lowercased() == "tab" { return UInt8(ascii: "\t") }
  let bytes = Array(s.utf8)
  guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n") else {
    throw UserError("--delimiter must be a single character (or \\t), got \"\(s)\"")
  }
  return bytes[0]
}
