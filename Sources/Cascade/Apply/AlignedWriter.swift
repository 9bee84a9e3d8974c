import CascadeSupport
import EventData

/// Buffers rows and hands the underlying writer exactly `chunkRows` rows at a time (the last
/// block may be shorter). The bytes of the file then depend only on its rows, not on how they
/// arrived — which is what makes merged shards bit-identical to an unsharded run.
final class AlignedWriter {
  private let writer: EventFileWriter
  private let chunkRows: Int
  private var pending: [EventTable] = []
  private var pendingRows = 0

  init(path: String, schema: [(name: String, dtype: DType)], options: EventFileWriteOptions) throws {
    writer = try createEventFileWriter(path, schema: schema, options: options)
    chunkRows = options.chunkRows
  }

  func append(_ table: EventTable) throws {
    guard table.rowCount > 0 else { return }
    pending.append(table)
    pendingRows += table.rowCount
    if pendingRows >= chunkRows { try flush(final: false) }
  }

  func finish() throws {
    try flush(final: true)
    try writer.finish()
  }

  private func flush(final: Bool) throws {
    guard pendingRows > 0 else { return }
    let all = pending.count == 1 ? pending[0] : try EventTable.concatenate(pending)
    var start = 0
    while all.rowCount - start >= chunkRows {
      try writer.append(all.slice(start..<(start + chunkRows)))
      start += chunkRows
    }
    if final && start < all.rowCount {
      try writer.append(all.slice(start..<all.rowCount))
      start = all.rowCount
    }
    pending = start < all.rowCount ? [all.slice(start..<all.rowCount)] : []
    pendingRows = all.rowCount - start
  }
}
