import CDeflate
import CHDF5
import CascadeSupport
import Foundation

/// Parallel encoding of the chunks `HDF5EventWriter` writes.
///
/// HDF5 runs its filters inside `H5Dwrite`, on one core behind its global lock, and gzip is
/// most of the cost of writing. Here every chunk of every column is shuffled as HDF5's shuffle
/// filter does (the element's bytes split into planes) and deflated into a zlib stream, as
/// HDF5's deflate filter stores it, by libdeflate at the dataset's level (2–3× zlib's speed;
/// any zlib inflater, libhdf5's included, reads it), on all cores; a chunk whose stream would
/// not fit HDF5's output bound is stored unfiltered by deflate (its filter-mask bit set), as
/// HDF5 does. Chunks are then stored in order with `H5Dwrite_chunk`. A partial last chunk is
/// padded with zeros, HDF5's default fill value. The stored chunks, and so the file's bytes, do
/// not depend on the thread count.
enum HDF5ChunkWriter {
  /// One encoded chunk: its bytes and HDF5's filter mask (bit i set = filter i skipped).
  struct Encoded {
    var bytes: [UInt8]
    var filterMask: UInt32
  }

  /// Chunks encoded per task (one libdeflate compressor each).
  static let chunksPerTask = 4

  /// Encodes every chunk of every column, `result[column][chunk]`: `bytes(column)` gives the
  /// column's bytes, whole elements of `elementSize(column)` bytes, from a chunk boundary.
  /// Filters: shuffle (pipeline position 0) then deflate (position 1) at `level`; none at level 0.
  static func encode(
    columns: Int, chunkRows: Int, elementSize: (Int) -> Int, bytes: (Int) -> UnsafeRawBufferPointer, level: Int, threads: Int
  ) -> [[Encoded]] {
    let chunksPerColumn = (0..<columns).map { c in (bytes(c).count / elementSize(c) + chunkRows - 1) / chunkRows }
    var jobs: [(column: Int, chunk: Int)] = []
    for c in 0..<columns { for k in 0..<chunksPerColumn[c] { jobs.append((c, k)) } }
    let encoded = jobs.withUnsafeBufferPointer { all in
      ParallelBlocks.map(count: all.count, blockSize: chunksPerTask, threads: threads) { r -> [Encoded] in
        let compressor = level > 0 ? libdeflate_alloc_compressor(Int32(level)) : nil
        defer { if let compressor { libdeflate_free_compressor(compressor) } }
        return r.map { j in
          let (c, k) = all[j]
          let s = elementSize(c), b = bytes(c)
          let first = k * chunkRows * s
          return encodeChunk(
            UnsafeRawBufferPointer(rebasing: b[first..<min(b.count, first + chunkRows * s)]), chunkBytes: chunkRows * s, elementSize: s,
            compressor: compressor)
        }
      }.flatMap { $0 }
    }
    var out = chunksPerColumn.map { _ in [Encoded]() }
    for (j, e) in zip(jobs, encoded) { out[j.column].append(e) }
    return out
  }

  /// Shuffles (for elements wider than a byte) and deflates one chunk of `chunkBytes` bytes
  /// (`data` zero-padded to that length); without a compressor (level 0) no filters: the bytes
  /// as they are.
  static func encodeChunk(_ data: UnsafeRawBufferPointer, chunkBytes n: Int, elementSize s: Int, compressor: OpaquePointer?) -> Encoded {
    var plain = [UInt8](repeating: 0, count: n)
    plain.withUnsafeMutableBufferPointer { dst in
      let src = data.bindMemory(to: UInt8.self)
      if s > 1 && compressor != nil {
        let elements = n / s, filled = data.count / s
        for j in 0..<s {
          let plane = dst.baseAddress! + j * elements
          var i = 0, p = j
          while i < filled { plane[i] = src[p]; i &+= 1; p &+= s }
        }
      } else {
        for i in 0..<data.count { dst[i] = src[i] }
      }
    }
    guard let compressor else { return Encoded(bytes: plain, filterMask: 0) }
    // HDF5's deflate filter keeps a stream of at most ceil(n · 1.001) + 12 bytes; libdeflate
    // wants room for its worst case while it works, so the stream is made first, then judged.
    let bound = Int((Double(n) * 1.001).rounded(.up)) + 12
    let room = max(bound, libdeflate_zlib_compress_bound(compressor, n))
    var out = [UInt8](repeating: 0, count: room)
    let produced = out.withUnsafeMutableBufferPointer { o in
      plain.withUnsafeBufferPointer { p in libdeflate_zlib_compress(compressor, p.baseAddress!, n, o.baseAddress!, room) }
    }
    guard produced > 0, produced <= bound else { return Encoded(bytes: plain, filterMask: 1 << 1) }
    out.removeLast(room - produced)
    return Encoded(bytes: out, filterMask: 0)
  }
}
