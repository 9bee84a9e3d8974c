import CDeflate
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
    #if !_endian(little)
      return nil  // unshuffle below assembles little-endian words
    #endif
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
  /// Where its stored bytes sit in the shared raw buffer.
  var offset: Int
  var size: Int
  var filterMask: UInt32
}

enum HDF5ChunkReader {
  /// Chunks decoded per task: one scratch buffer serves them all (fewer large allocations).
  static let chunksPerTask = 8

  /// Reads rows `rows` of each `(dataset, plan)` into `outputs[i]` (rows.count × elementSize
  /// bytes). Returns false (nothing reliable written) if any chunk is unallocated, so the
  /// caller falls back to `H5Dread`; throws when a chunk cannot be read or decoded.
  static func read(
    _ columns: [(dataset: hid_t, plan: HDF5ChunkPlan, name: String)], rows: Range<Int>,
    outputs: [UnsafeMutableRawPointer], path: String, threads: Int
  ) throws -> Bool {
    func failure(_ name: String) -> UserError {
      UserError("\(path): cannot read \"\(name)\" rows \(rows.lowerBound)..<\(rows.upperBound) (truncated or corrupt file?)")
    }
    // Sizes first, so every stored chunk lands in one buffer.
    var chunks: [RawChunk] = []
    var total = 0
    for (c, col) in columns.enumerated() {
      let cr = col.plan.chunkRows
      var k = rows.lowerBound / cr
      while k * cr < rows.upperBound {
        var offset = hsize_t(k * cr)
        var size: hsize_t = 0
        guard H5Dget_chunk_storage_size(col.dataset, &offset, &size) >= 0 else { throw failure(col.name) }
        if size == 0 { return false }
        chunks.append(RawChunk(column: c, firstRow: k * cr, offset: total, size: Int(size), filterMask: 0))
        total += Int(size)
        k += 1
      }
    }
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, total), alignment: 16)
    defer { raw.deallocate() }
    for i in chunks.indices {
      let col = columns[chunks[i].column]
      var offset = hsize_t(chunks[i].firstRow)
      var mask: UInt32 = 0
      guard H5Dread_chunk(col.dataset, cascade_H5P_DEFAULT(), &offset, &mask, raw + chunks[i].offset) >= 0 else {
        throw failure(col.name)
      }
      chunks[i].filterMask = mask
    }
    let maxChunkBytes = columns.map { $0.plan.chunkRows * $0.plan.elementSize }.max() ?? 1
    let failures = chunks.withUnsafeBufferPointer { all in
      ParallelBlocks.map(count: all.count, blockSize: chunksPerTask, threads: threads) { r -> String? in
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: maxChunkBytes)
        let inflater = libdeflate_alloc_decompressor()
        defer {
          scratch.deallocate()
          libdeflate_free_decompressor(inflater)
        }
        for t in r {
          let chunk = all[t]
          let col = columns[chunk.column]
          let bytes = UnsafeRawBufferPointer(start: raw + chunk.offset, count: chunk.size)
          if !decode(chunk, bytes, plan: col.plan, rows: rows, scratch: scratch, inflater: inflater, into: outputs[chunk.column]) {
            return col.name
          }
        }
        return nil
      }
    }
    if let bad = failures.lazy.compactMap({ $0 }).first {
      throw UserError("\(path): cannot read \"\(bad)\": corrupt compressed chunk")
    }
    return true
  }

  /// Shuffle stores byte j of every element contiguously (plane j); this gathers the planes
  /// back into elements, a word at a time for 2-, 4- and 8-byte types.
  @inline(__always)
  static func unshuffle(_ src: UnsafePointer<UInt8>, planeLength n: Int, elementSize s: Int, rows: Range<Int>, into dst: UnsafeMutableRawPointer) {
    let lo = rows.lowerBound
    switch s {
    case 8:
      let p0 = src, p1 = src + n, p2 = src + 2 * n, p3 = src + 3 * n
      let p4 = src + 4 * n, p5 = src + 5 * n, p6 = src + 6 * n, p7 = src + 7 * n
      for i in rows {
        let a = UInt64(p0[i]) | UInt64(p1[i]) << 8 | UInt64(p2[i]) << 16 | UInt64(p3[i]) << 24
        let b = UInt64(p4[i]) | UInt64(p5[i]) << 8 | UInt64(p6[i]) << 16 | UInt64(p7[i]) << 24
        dst.storeBytes(of: a | b << 32, toByteOffset: (i - lo) * 8, as: UInt64.self)
      }
    case 4:
      let p0 = src, p1 = src + n, p2 = src + 2 * n, p3 = src + 3 * n
      for i in rows {
        let v = UInt32(p0[i]) | UInt32(p1[i]) << 8 | UInt32(p2[i]) << 16 | UInt32(p3[i]) << 24
        dst.storeBytes(of: v, toByteOffset: (i - lo) * 4, as: UInt32.self)
      }
    case 2:
      let p0 = src, p1 = src + n
      for i in rows {
        dst.storeBytes(of: UInt16(p0[i]) | UInt16(p1[i]) << 8, toByteOffset: (i - lo) * 2, as: UInt16.self)
      }
    default:
      let d = dst.assumingMemoryBound(to: UInt8.self)
      for j in 0..<s {
        let plane = src + j * n
        for i in rows { d[(i - lo) * s + j] = plane[i] }
      }
    }
  }

  /// Inflates/unshuffles one chunk and copies its rows that fall in `rows` to `out`.
  private static func decode(
    _ chunk: RawChunk, _ raw: UnsafeRawBufferPointer, plan: HDF5ChunkPlan, rows: Range<Int>,
    scratch: UnsafeMutablePointer<UInt8>, inflater: OpaquePointer?, into out: UnsafeMutableRawPointer
  ) -> Bool {
    let s = plan.elementSize
    let n = plan.chunkRows
    let full = n * s
    let deflated = plan.deflateIndex.map { chunk.filterMask & (1 << UInt32($0)) == 0 } ?? false
    let shuffled = plan.shuffleIndex.map { chunk.filterMask & (1 << UInt32($0)) == 0 } ?? false
    let lo = max(rows.lowerBound, chunk.firstRow) - chunk.firstRow
    let hi = min(rows.upperBound, chunk.firstRow + n) - chunk.firstRow
    let dst = out + (chunk.firstRow + lo - rows.lowerBound) * s
    let src: UnsafePointer<UInt8>
    if deflated {
      // A whole zlib stream (as HDF5's deflate filter writes), inflated by libdeflate.
      var produced = 0
      guard let inflater,
        libdeflate_zlib_decompress(inflater, raw.baseAddress!, raw.count, scratch, full, &produced) == LIBDEFLATE_SUCCESS,
        produced == full
      else { return false }
      src = UnsafePointer(scratch)
    } else {
      guard raw.count >= full else { return false }
      src = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
    }
    if shuffled && s > 1 {
      unshuffle(src, planeLength: n, elementSize: s, rows: lo..<hi, into: dst)
    } else {
      dst.copyMemory(from: src + lo * s, byteCount: (hi - lo) * s)
    }
    return true
  }
}
