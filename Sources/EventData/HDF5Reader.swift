import CHDF5
import CascadeSupport
import Foundation

/// Reads an event table from HDF5 in any of the three layouts physicists produce:
/// a group of 1-D datasets (h5py, `cascade`), one compound dataset (numpy structured arrays),
/// or a pandas/PyTables table (`<group>/table` with an extra `index` field).
///
/// Rows are read with hyperslab selections, so blocks of a large file can be streamed.
final class HDF5EventReader: EventFileReader {
  let path: String
  let layout: TableLayout
  let tablePath: String
  let rowCount: Int
  let schema: [(name: String, dtype: DType)]

  private let file: H5Handle
  /// Columns layout: one open dataset per column.
  private var datasets: [H5Handle] = []
  /// Compound layouts: the dataset and each column's member type in the file.
  private var compound: H5Handle?
  private var memberTypes: [H5Handle] = []
  /// Memory type per column (bool: the native version of the stored enum/bitfield).
  private var memoryTypes: [hid_t] = []
  private var ownedMemoryTypes: [H5Handle] = []
  private let columnIndex: [String: Int]
  /// Columns layout: how to read each column's chunks in parallel (nil = plain H5Dread).
  private var chunkPlans: [HDF5ChunkPlan?] = []
  private let threads: Int

  init(path: String, options: EventFileOptions) throws {
    HDF5.ensureInitialized()
    self.path = path
    threads = options.threads
    let fid = H5Fopen(path, cascade_H5F_ACC_RDONLY(), cascade_H5P_DEFAULT())
    guard fid >= 0 else {
      throw UserError("\(path): cannot open HDF5 file (truncated or corrupt?)")
    }
    file = H5Handle(fid)

    // Table path: the option, else /events, else the only top-level object.
    var requested = options.table
    if let t = requested, !t.hasPrefix("/") { requested = "/" + t }
    let target: String
    if let r = requested {
      guard HDF5.exists(fid, r) else {
        let candidates = HDF5EventReader.tableCandidates(fid)
        var msg = "\(path): table \"\(r)\" not found"
        if let near = nearestName(to: r, in: candidates) {
          msg += " (did you mean \"\(near)\"?)"
        } else if !candidates.isEmpty {
          msg += " (the file has: \(candidates.joined(separator: ", ")))"
        }
        throw UserError(msg)
      }
      target = r
    } else if HDF5.exists(fid, "/events") {
      target = "/events"
    } else {
      let candidates = HDF5EventReader.tableCandidates(fid)
      guard candidates.count == 1 else {
        if candidates.isEmpty { throw UserError("\(path): no table found (the file is empty)") }
        throw UserError(
          "\(path): no /events table and several candidates (\(candidates.joined(separator: ", "))): name one with --table")
      }
      target = candidates[0]
    }

    let oid = H5Oopen(fid, target, cascade_H5P_DEFAULT())
    guard oid >= 0 else { throw UserError("\(path): cannot open \"\(target)\" (corrupt file?)") }
    let object = H5Handle(oid)
    var names: [String] = []
    var dtypes: [DType] = []
    var rows = 0
    switch H5Iget_type(oid) {
    case H5I_DATASET:
      try HDF5EventReader.requireCompound(path: path, name: target, dataset: oid)
      let isPyTables = HDF5.stringAttribute(oid, "CLASS") == "TABLE"
      layout = isPyTables ? .pytables : .compound
      tablePath = target
      compound = object
    case H5I_GROUP:
      // pandas/PyTables: the group holds a compound dataset `table` marked CLASS=TABLE.
      let tableChild = (target == "/" ? "" : target) + "/table"
      if HDF5.exists(fid, tableChild), let did = Optional(H5Dopen2(fid, tableChild, cascade_H5P_DEFAULT())), did >= 0 {
        let d = H5Handle(did)
        if HDF5.stringAttribute(did, "CLASS") == "TABLE" {
          try HDF5EventReader.requireCompound(path: path, name: tableChild, dataset: did)
          layout = .pytables
          tablePath = tableChild
          compound = d
        } else {
          layout = .columns
          tablePath = target
        }
      } else {
        layout = .columns
        tablePath = target
      }
    default:
      throw UserError("\(path): \"\(target)\" is neither a group nor a dataset")
    }

    if let c = compound {
      rows = try HDF5EventReader.length1D(path: path, name: tablePath, dataset: c.id)
      let ftype = H5Handle(H5Dget_type(c.id))
      let n = H5Tget_nmembers(ftype.id)
      for i in 0..<UInt32(max(0, n)) {
        guard let cname = H5Tget_member_name(ftype.id, i) else { continue }
        let name = String(cString: cname)
        H5free_memory(cname)
        // pandas' row index is not event data; it is read only when asked for.
        if layout == .pytables && name == "index" && !options.includePandasIndex { continue }
        let mt = H5Handle(H5Tget_member_type(ftype.id, i))
        switch HDF5.mapType(mt.id) {
        case .supported(let dt):
          names.append(name)
          dtypes.append(dt)
          memberTypes.append(mt)
        case .unsupported(let what):
          throw UserError("\(path): column \"\(name)\" has unsupported dtype \(what) (only numeric and bool columns can be read)")
        }
      }
    } else {
      let group = object
      for name in HDF5.linkNames(group.id) {
        let childPath = (tablePath == "/" ? "" : tablePath) + "/" + name
        let cid = H5Oopen(group.id, name, cascade_H5P_DEFAULT())
        guard cid >= 0 else { throw UserError("\(path): cannot open \"\(childPath)\" (corrupt file?)") }
        let child = H5Handle(cid)
        // Subgroups (e.g. PyTables index containers) are not columns.
        guard H5Iget_type(cid) == H5I_DATASET else { continue }
        let n = try HDF5EventReader.length1D(path: path, name: childPath, dataset: cid)
        let ftype = H5Handle(H5Dget_type(cid))
        switch HDF5.mapType(ftype.id) {
        case .supported(let dt):
          if datasets.isEmpty {
            rows = n
          } else if n != rows {
            throw UserError("\(path): column \"\(name)\" has \(n) rows, \"\(names[0])\" has \(rows)")
          }
          names.append(name)
          dtypes.append(dt)
          datasets.append(child)
          memberTypes.append(ftype)
          chunkPlans.append(HDF5ChunkPlan.make(dataset: cid, fileType: ftype.id, dtype: dt))
        case .unsupported(let what):
          throw UserError("\(path): column \"\(name)\" has unsupported dtype \(what) (only numeric and bool columns can be read)")
        }
      }
      if names.isEmpty { throw UserError("\(path): group \"\(tablePath)\" contains no datasets") }
    }
    rowCount = rows
    schema = zip(names, dtypes).map { ($0, $1) }
    var index: [String: Int] = [:]
    for (i, n) in names.enumerated() { index[n] = i }
    columnIndex = index
    for (i, dt) in dtypes.enumerated() {
      if dt == .bool {
        let mt = HDF5.boolMemoryType(for: memberTypes[i].id)
        ownedMemoryTypes.append(mt)
        memoryTypes.append(mt.id)
      } else {
        memoryTypes.append(HDF5.nativeType(dt))
      }
    }
  }

  /// String attributes of the table object: the group (columns layout) or dataset.
  func stringAttributesOfTable() -> [(String, String)] {
    let oid = H5Oopen(file.id, tablePath, cascade_H5P_DEFAULT())
    guard oid >= 0 else { return [] }
    defer { H5Oclose(oid) }
    return HDF5.stringAttributes(oid)
  }

  /// Top-level objects that could be tables (for defaults and suggestions).
  private static func tableCandidates(_ fid: hid_t) -> [String] {
    let root = H5Gopen2(fid, "/", cascade_H5P_DEFAULT())
    guard root >= 0 else { return [] }
    defer { H5Gclose(root) }
    return HDF5.linkNames(root).map { "/" + $0 }
  }

  private static func requireCompound(path: String, name: String, dataset: hid_t) throws {
    let t = H5Dget_type(dataset)
    defer { H5Tclose(t) }
    guard H5Tget_class(t) == H5T_COMPOUND else {
      throw UserError("\(path): \"\(name)\" is a single dataset, not a table (expected a group of 1-D datasets or a compound dataset)")
    }
  }

  private static func length1D(path: String, name: String, dataset: hid_t) throws -> Int {
    let space = H5Dget_space(dataset)
    guard space >= 0 else { throw UserError("\(path): cannot read the shape of \"\(name)\" (corrupt file?)") }
    defer { H5Sclose(space) }
    let rank = H5Sget_simple_extent_ndims(space)
    guard rank == 1 else {
      throw UserError("\(path): dataset \"\(name)\" has \(rank) dimensions; columns must be 1-D")
    }
    var dims: hsize_t = 0
    H5Sget_simple_extent_dims(space, &dims, nil)
    return Int(dims)
  }

  func read(columns: [String]?, rows: Range<Int>) throws -> EventTable {
    let names = columns ?? columnNames
    try requireColumns(names)
    guard rows.lowerBound >= 0, rows.upperBound <= rowCount else {
      throw UserError("\(path): rows \(rows.lowerBound)..<\(rows.upperBound) outside the table (\(rowCount) rows)")
    }
    let indices = names.map { columnIndex[$0]! }
    if rows.isEmpty {
      return try EventTable(columns: indices.map { Column(schema[$0].name, .empty(schema[$0].dtype)) })
    }
    if let c = compound {
      return try readCompound(c.id, indices: indices, rows: rows)
    }
    var out: [Column] = []
    out.reserveCapacity(indices.count)
    if let parallel = try readChunksInParallel(indices, rows: rows) { return parallel }
    for i in indices {
      let data = try readColumn(schema[i].dtype, count: rows.count) { buffer in
        try self.readSlab(self.datasets[i].id, memType: self.memoryTypes[i], rows: rows, into: buffer, what: self.schema[i].name)
      }
      out.append(Column(schema[i].name, data))
    }
    return try EventTable(columns: out)
  }

  /// The columns layout when every requested column has a chunk plan: raw chunks fetched
  /// serially, decoded on all cores (see `HDF5ChunkReader`). nil = use H5Dread.
  private func readChunksInParallel(_ indices: [Int], rows: Range<Int>) throws -> EventTable? {
    guard !indices.isEmpty, indices.allSatisfy({ chunkPlans[$0] != nil }) else { return nil }
    let plans = indices.map { chunkPlans[$0]! }
    let columns = zip(indices, plans).map { (dataset: datasets[$0].id, plan: $1, name: schema[$0].name) }
    var usable = true
    let data = try withColumnArrays(indices.map { schema[$0].dtype }, count: rows.count) { buffers in
      usable = try HDF5ChunkReader.read(columns, rows: rows, outputs: buffers, path: path, threads: threads)
    }
    guard usable else { return nil }
    return try EventTable(columns: zip(indices, data).map { Column(schema[$0].name, $1) })
  }

  /// Reads rows of a 1-D dataset with a hyperslab into `buffer`.
  private func readSlab(_ did: hid_t, memType: hid_t, rows: Range<Int>, into buffer: UnsafeMutableRawPointer, what: String) throws {
    let fspace = H5Dget_space(did)
    defer { H5Sclose(fspace) }
    var start = hsize_t(rows.lowerBound), count = hsize_t(rows.count)
    H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, nil, &count, nil)
    let mspace = H5Screate_simple(1, &count, nil)
    defer { H5Sclose(mspace) }
    if H5Dread(did, memType, mspace, fspace, cascade_H5P_DEFAULT(), buffer) < 0 {
      throw UserError("\(path): cannot read \"\(what)\" rows \(rows.lowerBound)..<\(rows.upperBound) (truncated or corrupt file?)")
    }
  }

  /// Reads the requested fields of a compound dataset in one pass (one decompression of each
  /// chunk), into a packed record buffer that is then split into columns.
  private func readCompound(_ did: hid_t, indices: [Int], rows: Range<Int>) throws -> EventTable {
    var offsets: [Int] = []
    var size = 0
    for i in indices {
      offsets.append(size)
      size += H5Tget_size(memoryTypes[i])
    }
    let mtype = H5Handle(H5Tcreate(H5T_COMPOUND, max(size, 1)))
    for (k, i) in indices.enumerated() {
      H5Tinsert(mtype.id, schema[i].name, offsets[k], memoryTypes[i])
    }
    let n = rows.count
    let records = UnsafeMutableRawPointer.allocate(byteCount: max(1, size * n), alignment: 16)
    defer { records.deallocate() }
    try readSlab(did, memType: mtype.id, rows: rows, into: records, what: tablePath)
    var out: [Column] = []
    for (k, i) in indices.enumerated() {
      let width = H5Tget_size(memoryTypes[i])
      let data = try readColumn(schema[i].dtype, count: n) { buffer in
        let src = records + offsets[k]
        // Strided gather of one field from the packed records.
        for r in 0..<n {
          (buffer + r * width).copyMemory(from: src + r * size, byteCount: width)
        }
      }
      out.append(Column(schema[i].name, data))
    }
    return try EventTable(columns: out)
  }
}

/// Allocates a column of `dtype` with `count` values and lets `fill` write them as raw bytes.
/// Bools are filled as bytes and normalised (any non-zero byte is true).
func readColumn(_ dtype: DType, count: Int, _ fill: (UnsafeMutableRawPointer) throws -> Void) throws -> ColumnData {
  func make<T>(_: T.Type) throws -> [T] {
    try [T](unsafeUninitializedCapacity: count) { buf, initialized in
      if count > 0 { try fill(UnsafeMutableRawPointer(buf.baseAddress!)) }
      initialized = count
    }
  }
  switch dtype {
  case .float32: return .float32(try make(Float.self))
  case .float64: return .float64(try make(Double.self))
  case .int8: return .int8(try make(Int8.self))
  case .int16: return .int16(try make(Int16.self))
  case .int32: return .int32(try make(Int32.self))
  case .int64: return .int64(try make(Int64.self))
  case .uint8: return .uint8(try make(UInt8.self))
  case .uint16: return .uint16(try make(UInt16.self))
  case .uint32: return .uint32(try make(UInt32.self))
  case .uint64: return .uint64(try make(UInt64.self))
  case .bool:
    let bytes = try make(UInt8.self)
    return .bool(bytes.map { $0 != 0 })
  }
}

/// Allocates one array per dtype (`count` values each) and runs `fill` once with all their raw
/// base pointers, so parallel decoders write straight into the final arrays (no staging copy).
func withColumnArrays(_ dtypes: [DType], count: Int, _ fill: ([UnsafeMutableRawPointer]) throws -> Void) throws -> [ColumnData] {
  if count == 0 { return dtypes.map { ColumnData.empty($0) } }
  func build(_ k: Int, _ pointers: [UnsafeMutableRawPointer]) throws -> [ColumnData] {
    if k == dtypes.count {
      try fill(pointers)
      return []
    }
    var rest: [ColumnData] = []
    let data = try readColumn(dtypes[k], count: count) { p in rest = try build(k + 1, pointers + [p]) }
    return [data] + rest
  }
  return try build(0, [])
}
