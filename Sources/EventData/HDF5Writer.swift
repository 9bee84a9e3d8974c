import CHDF5
import CascadeSupport
import Foundation

/// Streams an event table into HDF5: group `options.table` (default `/events`) with one chunked
/// 1-D dataset per column (shuffle + gzip), bools as h5py's enum bool, string attributes on the
/// group. Everything goes to a temporary file renamed into place by `finish()`.
///
/// The bytes depend only on the table and the options: object time stamps are off, the chunk
/// length is `min(chunkRows, rows)` (≥ 1), and rows are buffered so that every write covers
/// whole chunks in order, whatever the sizes of the appended blocks. So writing a table in
/// one block or in many (e.g. concatenated shard outputs) gives identical files.
final class HDF5EventWriter: EventFileWriter {
  private let path: String
  private let tmpPath: String
  private let schema: [(name: String, dtype: DType)]
  private let options: EventFileWriteOptions
  private var file: H5Handle?
  private var group: H5Handle?
  private var datasets: [H5Handle] = []
  private var boolType: H5Handle?
  private var pending: [ColumnData]
  private var written = 0
  private var chunk = 0
  private var finished = false

  init(path: String, schema: [(name: String, dtype: DType)], options: EventFileWriteOptions) throws {
    HDF5.ensureInitialized()
    try validateSchema(schema, path: path)
    for (name, _) in schema where name.contains("/") || name == "." {
      throw UserError("\(path): column name \"\(name)\" cannot be an HDF5 dataset name")
    }
    guard (0...9).contains(options.gzipLevel) else {
      throw UserError("\(path): gzip level \(options.gzipLevel) is not in 0…9")
    }
    self.path = path
    self.schema = schema
    self.options = options
    self.pending = schema.map { ColumnData.empty($0.dtype) }
    tmpPath = try AtomicFile.temporaryPath(for: path)
    TemporaryFiles.register(tmpPath)

    let fcpl = H5Handle(H5Pcreate(cascade_H5P_FILE_CREATE()))
    H5Pset_obj_track_times(fcpl.id, false)
    let fid = H5Fcreate(tmpPath, cascade_H5F_ACC_TRUNC(), fcpl.id, cascade_H5P_DEFAULT())
    guard fid >= 0 else {
      TemporaryFiles.unregister(tmpPath)
      throw UserError("\(path): cannot create HDF5 file")
    }
    file = H5Handle(fid)
    group = try createGroups(fid, options.table)
    // Attributes in name order: the order is part of the bytes.
    for key in options.attributes.keys.sorted() {
      try writeStringAttribute(group!.id, key, options.attributes[key]!)
    }
  }

  deinit {
    if !finished {
      datasets = []
      group = nil
      file = nil
      unlink(tmpPath)
      TemporaryFiles.unregister(tmpPath)
    }
  }

  /// Creates each component of `table` with time tracking off and creation order tracked,
  /// so h5py lists the columns in the order they were written.
  private func createGroups(_ fid: hid_t, _ table: String) throws -> H5Handle {
    let parts = table.split(separator: "/").map(String.init)
    guard !parts.isEmpty else { throw UserError("\(path): table path \"\(table)\" must name a group") }
    let gcpl = H5Handle(H5Pcreate(cascade_H5P_GROUP_CREATE()))
    H5Pset_obj_track_times(gcpl.id, false)
    H5Pset_link_creation_order(gcpl.id, cascade_H5P_CRT_ORDER_TRACKED() | cascade_H5P_CRT_ORDER_INDEXED())
    var current = H5Handle(H5Gopen2(fid, "/", cascade_H5P_DEFAULT()))
    for p in parts {
      let gid = H5Gcreate2(current.id, p, cascade_H5P_DEFAULT(), gcpl.id, cascade_H5P_DEFAULT())
      current = try H5Handle.check(gid, "\(self.path): cannot create group \"\(table)\"")
    }
    return current
  }

  private func writeStringAttribute(_ obj: hid_t, _ name: String, _ value: String) throws {
    let type = H5Handle(H5Tcopy(cascade_H5T_C_S1()))
    H5Tset_size(type.id, cascade_H5T_VARIABLE())
    H5Tset_cset(type.id, H5T_CSET_UTF8)
    let space = H5Handle(H5Screate(H5S_SCALAR))
    let aid = H5Acreate2(obj, name, type.id, space.id, cascade_H5P_DEFAULT(), cascade_H5P_DEFAULT())
    let attr = try H5Handle.check(aid, "\(path): cannot write attribute \"\(name)\"")
    let ok = value.withCString { cstr -> Bool in
      var ptr: UnsafePointer<CChar>? = cstr
      return H5Awrite(attr.id, type.id, &ptr) >= 0
    }
    if !ok { throw UserError("\(path): cannot write attribute \"\(name)\"") }
  }

  private func createDatasets(chunk: Int) throws {
    self.chunk = chunk
    let dcpl = H5Handle(H5Pcreate(cascade_H5P_DATASET_CREATE()))
    H5Pset_obj_track_times(dcpl.id, false)
    var c = hsize_t(chunk)
    H5Pset_chunk(dcpl.id, 1, &c)
    if options.gzipLevel > 0 {
      H5Pset_shuffle(dcpl.id)
      H5Pset_deflate(dcpl.id, UInt32(options.gzipLevel))
    }
    var zero: hsize_t = 0
    var unlimited = cascade_H5S_UNLIMITED()
    let space = H5Handle(H5Screate_simple(1, &zero, &unlimited))
    for (name, dtype) in schema {
      let ftype: hid_t
      if dtype == .bool {
        if boolType == nil { boolType = HDF5.boolEnumType() }
        ftype = boolType!.id
      } else {
        ftype = HDF5.fileType(dtype)
      }
      let did = H5Dcreate2(group!.id, name, ftype, space.id, cascade_H5P_DEFAULT(), dcpl.id, cascade_H5P_DEFAULT())
      datasets.append(try H5Handle.check(did, "\(path): cannot create dataset \"\(name)\""))
    }
  }

  func append(_ table: EventTable) throws {
    precondition(!finished, "append after finish")
    for (k, (name, dtype)) in schema.enumerated() {
      guard let col = table.columns.first(where: { $0.name == name }) else {
        throw UserError("\(path): the block to write has no column \"\(name)\"")
      }
      guard col.dtype == dtype else {
        throw UserError("\(path): column \"\(name)\" is \(col.dtype.rawValue), the file's schema says \(dtype.rawValue)")
      }
      pending[k] = try ColumnData.concatenate(pending[k], col.data)
    }
    let rows = pending.first?.count ?? 0
    let chunkRows = max(1, options.chunkRows)
    if rows >= chunkRows {
      if datasets.isEmpty { try createDatasets(chunk: chunkRows) }
      let full = rows / chunkRows * chunkRows
      try writePending(0..<full)
      pending = pending.map { $0.mapArray(SliceRows(range: full..<rows)) }
    }
  }

  /// Writes rows `range` of the pending columns, which start at a chunk boundary (`written`
  /// is a multiple of the chunk length): chunks are encoded on all cores, then stored in order.
  private func writePending(_ range: Range<Int>) throws {
    guard !range.isEmpty else { return }
    let sizes = schema.map { $0.dtype.byteWidth }
    let encoded = withRawColumns(pending, range) { columns in
      HDF5ChunkWriter.encode(
        columns: columns.count, chunkRows: chunk, elementSize: { sizes[$0] }, bytes: { columns[$0] },
        level: options.gzipLevel, threads: options.threads)
    }
    // Chunk by chunk, each column's in turn, whatever the range: HDF5 places every chunk when it
    // is stored, so the same call sequence for any split of the appends keeps the bytes the same.
    for j in 0..<(encoded.first?.count ?? 0) {
      var newSize = hsize_t(min(written + (j + 1) * chunk, written + range.count))
      var offset = hsize_t(written + j * chunk)
      for (k, d) in datasets.enumerated() {
        guard H5Dset_extent(d.id, &newSize) >= 0 else { throw UserError("\(path): cannot extend \"\(schema[k].name)\"") }
        let e = encoded[k][j]
        let status = e.bytes.withUnsafeBytes { b in
          H5Dwrite_chunk(d.id, cascade_H5P_DEFAULT(), e.filterMask, &offset, b.count, b.baseAddress)
        }
        guard status >= 0 else { throw UserError("\(path): cannot write \"\(schema[k].name)\" (disk full?)") }
      }
    }
    written += range.count
  }

  func finish() throws {
    precondition(!finished, "finish called twice")
    let rows = pending.first?.count ?? 0
    if datasets.isEmpty { try createDatasets(chunk: max(1, min(max(1, options.chunkRows), rows))) }
    try writePending(0..<rows)
    pending = schema.map { ColumnData.empty($0.dtype) }
    datasets = []
    group = nil
    boolType = nil
    if let f = file {
      let status = H5Fflush(f.id, H5F_SCOPE_GLOBAL)
      file = nil
      guard status >= 0 else { throw UserError("\(path): cannot write (disk full?)") }
    }
    try AtomicFile.commit(temporary: tmpPath, to: path)
    finished = true
    TemporaryFiles.unregister(tmpPath)
  }
}

/// Calls `body` with the raw bytes of rows `range` of every column.
func withRawColumns<R>(_ columns: [ColumnData], _ range: Range<Int>, _ body: ([UnsafeRawBufferPointer]) -> R) -> R {
  func go(_ k: Int, _ acc: [UnsafeRawBufferPointer]) -> R {
    guard k < columns.count else { return body(acc) }
    return withRawBytes(columns[k], range) { p in
      go(k + 1, acc + [UnsafeRawBufferPointer(start: p, count: range.count * columns[k].dtype.byteWidth)])
    }
  }
  return go(0, [])
}

/// Calls `body` with the raw bytes of `data[range]` (bools as 0/1 bytes).
func withRawBytes<R>(_ data: ColumnData, _ range: Range<Int>, _ body: (UnsafeRawPointer) -> R) -> R {
  func go<T>(_ a: [T]) -> R { a.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress! + range.lowerBound)) } }
  switch data {
  case .float32(let v): return go(v)
  case .float64(let v): return go(v)
  case .int8(let v): return go(v)
  case .int16(let v): return go(v)
  case .int32(let v): return go(v)
  case .int64(let v): return go(v)
  case .uint8(let v): return go(v)
  case .uint16(let v): return go(v)
  case .uint32(let v): return go(v)
  case .uint64(let v): return go(v)
  // Swift's Bool is one byte holding 0 or 1, exactly the enum's FALSE/TRUE values.
  case .bool(let v): return go(v)
  }
}

/// Unique, non-empty column names.
func validateSchema(_ schema: [(name: String, dtype: DType)], path: String) throws {
  var seen = Set<String>()
  for (name, _) in schema {
    if name.isEmpty { throw UserError("\(path): empty column name") }
    if !seen.insert(name).inserted { throw UserError("\(path): duplicate column name \"\(name)\"") }
  }
}
