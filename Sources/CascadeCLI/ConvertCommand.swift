import ArgumentParser
import Workflow

/// `cascade convert IN OUT`: CSV, HDF5 or ROOT in; CSV or HDF5 out, streaming in blocks.
struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert an event file: CSV, HDF5 or ROOT in, CSV or HDF5 out (streaming, optional column selection).",
    discussion: """
      The output format follows OUT's extension (.csv/.tsv/.txt or .h5/.hdf5).

      HDF5 output is a group (default /events) of chunked, shuffled+gzip 1-D datasets, readable by h5py and pandas; the file is written to a temporary path and renamed when complete.
      """
  )

  @Argument(help: "Input event file (CSV, HDF5 or ROOT).")
  var input: String

  @Argument(help: "Output file (.csv, .tsv, .txt, .h5, .hdf5).")
  var output: String

  @Option(name: .long, help: "Comma-separated columns to keep, in this order (default: all).")
  var columns: String?

  @Option(name: .long, help: "Input HDF5 table path (default: /events, else the only top-level object) or ROOT tree path (default: the only tree).")
  var table: String?

  @Option(name: .customLong("out-table"), help: "HDF5 group to write the columns into.")
  var outTable: String = "/events"

  @Option(name: .long, help: "CSV delimiter for input and output (one character, or \\t).")
  var delimiter: String?

  @Option(name: .long, help: "gzip level 0-9 for HDF5 output (0 = uncompressed).")
  var gzip: Int = 4

  @Option(name: .customLong("chunk-rows"), help: "HDF5 chunk length in rows.")
  var chunkRows: Int = 65_536

  @Option(name: .customLong("block-rows"), help: "Rows read and written per block (memory bound).")
  var blockRows: Int = 1 << 20

  func validate() throws {
    guard (0...9).contains(gzip) else { throw ValidationError("--gzip must be in 0...9") }
    guard chunkRows >= 1 else { throw ValidationError("--chunk-rows must be at least 1") }
    guard blockRows >= 1 else { throw ValidationError("--block-rows must be at least 1") }
  }

  func run() throws {
    var request = ConvertRequest(input: input, output: output)
    request.columns = columns
    request.table = table
    request.outTable = outTable
    request.delimiter = delimiter
    request.gzip = gzip
    request.chunkRows = chunkRows
    request.blockRows = blockRows
    try EventFileWorkflow.convert(request)
  }
}
