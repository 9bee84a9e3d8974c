import ArgumentParser
import Workflow

/// `cascade inspect FILE...`: what is in an event file.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show the layout, table path, rows and per-column statistics of event files.",
    discussion: """
      Reads CSV (.csv/.tsv/.txt), HDF5 (.h5/.hdf5/.hdf, or any file with the HDF5 signature) in all three layouts (a group of 1-D datasets, a compound dataset, a pandas/PyTables table) and ROOT files (.root, or the ROOT signature: flat numeric branches of a TTree; ZLIB, LZ4, ZSTD and LZMA baskets). For each column: dtype, min, max, NaN count and the sum of the non-NaN values.

      --json prints one object per file (a JSON array for several files) with the keys file, layout, table, rows and columns, each column an object with name, dtype, min, max, nan_count and sum; non-finite numbers are null.
      """
  )

  @Argument(help: "Event files (CSV, HDF5 or ROOT).")
  var files: [String]

  @Option(name: .long, help: "HDF5 table path (default: /events, else the only top-level object) or ROOT tree path (e.g. events or dir/tree; default: the only tree).")
  var table: String?

  @Option(name: .long, help: "CSV field delimiter (one character; default ',', tab for .tsv).")
  var delimiter: String?

  @Flag(name: .long, help: "Print JSON instead of text tables.")
  var json = false

  func run() throws {
    try EventFileWorkflow.inspect(files, table: table, delimiter: delimiter, json: json, console: .standard())
  }
}
