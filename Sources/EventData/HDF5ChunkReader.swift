import CHDF5
import CascadeSupport
import Foundation

/// Parallel reading of chunked, gzip/shuffle-compressed 1-D datasets.
///
/// HDF5 serialises every call behind one global lock, so `H5Dread` decompresses on one core.
/// For the common layouts (1-D chunks; filters none, deflate, shuffle, or shuffle + deflate;
/// stored type bit-identical to the memory type) the raw chunks are fetched with
/// `H5Dread_chunk` (cheap, serial) and inflated + unshuffled on all cores, each chunk into its
/// own rows of the output: the bytes are the same as `H5Dread` would produce.
struct HDF5ChunkPlan {
  let chunkRows: Int
  let elementSize: Int
  /// Pipeline positions (for the per-chunk filter mask: bit i set = filter i was skipped).
  let shuffleIndex: Int?
  let deflateIndex: Int?

  /// A plan for `dataset`, or nil when this path does not apply (then `H5Dread` is used).
  static func make(dataset: hid_t, fileType: hid_t, dtype: DType) -> HDF5ChunkPlan? {
    let dcpl = H5Dget_create_plist(dataset)
    guard dcpl >= 0 else { return nil }
    defer { H5Pclose(dcpl) }
    guard H5Pget_layout(dcpl) == H5D_CHUNKED else { return nil }
    var dim: hsize_t = 0
    guard H5Pget_chunk(dcpl, 1, &dim) == 1, dim > 0 else { return nil }
    let size = H5Tget_size(fileType)
    if dtype == .bool {
      guard size == 1 else { return nil }
    } else {
      guard H5Tequal(fileType, HDF5.nativeType(dtype)) > 0 else { return nil }
    }
    var shuffle: Int? = nil, deflate: Int? = nil
    let n = H5Pget_nfilters(dcpl)
    guard n >= 0, n <= 2 else { return nil }
    for i in 0..<n {
      var flags: UInt32 = 0
      var nelems: Int = 8
      var values = [UInt32](repeating: 0, count: 8)
      var config: UInt32 = 0
      let id = H5Pget_filter2(dcpl, UInt32(i), &flags, &nelems, &values, 0, nil, &config)
      if id == cascade_H5Z_FILTER_SHUFFLE() && deflate == nil && shuffle == nil {
        shuffle = Int(i)
      } else if id == cascade_H5Z_FILTER_DEFLATE() && deflate == nil {
        deflate = Int(i)
      } else {
        return nil
      }
    }
    return HDF5ChunkPlan(chunkRows: Int(dim), elementSize: size, shuffleIndex: shuffle, deflateIndex: deflate)
  }
}

/// One stored chunk fetched for decoding into rows of an output buffer.
private struct RawChunk {
  var column: Int
  var firstRow: Int
  var bytes: [UInt8]
  var filterMask: UInt32
}

enum HDF5ChunkReader {
  /// Reads rows `rows` of each `(dataset, plan)` into `outputs[i]` (rows.count × elementSize
  /// bytes). Returns false (nothing reliable written) if any chunk is unallocated, so the
  /// caller falls back to `H5Dread`; throws when a chunk cannot be read or decoded.
  static func read(
    _ columns: [(dataset: hid_t, plan: HDF5ChunkPlan, name: String)], rows: Range<Int>,
    outputs: [UnsafeMutableRawPointer], path: String, threads: Int
  ) throws -> Bool {
    var chunks: [RawChunk] = []
    for (c, col) in columns.enumerated() {
      let cr = col.plan.chunkRows
      var k = rows.lowerBound / cr
      while k * cr < rows.upperBound {
        var offset = hsize_t(k * cr)
        var size: hsize_t = 0
        guard H5Dget_chunk_storage_size(col.dataset, &offset, &size) >= 0 else {
          throw UserError("\(path): cannot read \"\(col.name)\" rows \(rows.lowerBound)..<\(rows.upperBound) (truncated or corrupt file?)")
        }
        if size == 0 { return false }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var mask: UInt32 = 0
        let status = bytes.withUnsafeMutableBytes { H5Dread_chunk(col.dataset, cascade_H5P_DEFAULT(), &offset, &mask, $0.baseAddress!) }
        guard status >= 0 else {
          throw UserError("\(path): cannot read \"\(col.name)\" rows \(rows.lowerBound)..<\(rows.upperBound) (truncated or corrupt file?)")
        }
        chunks.append(RawChunk(column: c, firstRow: k * cr, bytes: bytes, filterMask: mask))
        k += 1
      }
    }
    let failures = chunks.withUnsafeBufferPointer { all in
      ParallelBlocks.map(count: all.count, blockSize: 1, threads: threads) { r -> String? in
        let chunk = all[r.lowerBound]
        let col = columns[chunk.column]
        return decode(chunk, plan: col.plan, rows: rows, into: outputs[chunk.column]) ? nil : col.name
      }
    }
    if let bad = failures.lazy.compactMap({ $0 }).first {
      throw UserError("\(path): cannot read \"\(bad)\": corrupt compressed chunk")
    }
    return true
  }

  /// Inflates/unshuffles one chunk and copies its rows that fall in `rows` to `out`.
  private static func decode(_ chunk: RawChunk, plan: HDF5ChunkPlan, rows: Range<Int>, into out: UnsafeMutableRawPointer) -> Bool {
    let s = plan.elementSize
    let n = plan.chunkRows
    let full = n * s
    let deflated = plan.deflateIndex.map { chunk.filterMask & (1 << UInt32($0)) == 0 } ?? false
    let shuffled = plan.shuffleIndex.map { chunk.filterMask & (1 << UInt32($0)) == 0 } ?? false
    let lo = max(rows.lowerBound, chunk.firstRow) - chunk.firstRow
    let hi = min(rows.upperBound, chunk.firstRow + n) - chunk.firstRow
    let dst = out + (chunk.firstRow + lo - rows.lowerBound) * s
    return chunk.bytes.withUnsafeBufferPointer { raw -> Bool in
      func place(_ src: UnsafePointer<UInt8>) {
        if shuffled && s > 1 {
          // Shuffle stores byte j of every element contiguously (plane j).
          let d = dst.assumingMemoryBound(to: UInt8.self)
          for j in 0..<s {
            let plane = src + j * n
            for i in lo..<hi { d[(i - lo) * s + j] = plane[i] }
          }
        } else {
          dst.copyMemory(from: src + lo * s, byteCount: (hi - lo) * s)
        }
      }
      if deflated {
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: full)
        defer { scratch.deallocate() }
        var produced = UInt(full)
        let rc = cascade_inflate(scratch, &produced, raw.baseAddress!, UInt(raw.count))
        guard rc == Z_OK, produced == UInt(full) else { return false }
        place(UnsafePointer(scratch))
      } else {
        guard raw.count >= full else { return false }
        place(raw.baseAddress!)
      }
      return true
    }
  }
}
