import CHDF5
import CascadeSupport
import Foundation

/// Parallel encoding of the chunks `HDF5EventWriter` writes.
///
/// HDF5 runs its filters inside `H5Dwrite`, on one core behind its global lock, and gzip is
/// most of the cost of writing. Here every chunk of every column is shuffled and deflated on
/// all cores exactly as HDF5's shuffle and deflate filters would (the element's bytes split
/// into planes, zlib `compress2` at the dataset's level, the chunk stored unfiltered by deflate
/// — its filter-mask bit set — when the result does not fit HDF5's output bound), then stored
/// in order with `H5Dwrite_chunk`. A partial last chunk is padded with zeros, HDF5's default
/// fill value. The stored chunks, and so what any reader sees, do not depend on the thread count.
enum HDF5ChunkWriter {
  /// One encoded chunk: its bytes and HDF5's filter mask (bit i set = filter i skipped).
  struct Encoded {
    var bytes: [UInt8]
    var filterMask: UInt32
  }

  /// Chunks encoded per task.
  static let chunksPerTask = 1

  /// Encodes chunk `index` of each column: `rows(column)` gives the column's bytes, whole
  /// elements of `elementSize(column)` bytes. Filters: shuffle (pipeline position 0) then
  /// deflate (position 1) at `level`; none at level 0.
  static func encode(
    columns: Int, chunkRows: Int, elementSize: (Int) -> Int, bytes: (Int) -> UnsafeRawBufferPointer, level: Int, threads: Int
  ) -> [[Encoded]] {
    let chunksPerColumn = (0..<columns).map { c in (bytes(c).count / elementSize(c) + chunkRows - 1) / chunkRows }
    var jobs: [(column: Int, chunk: Int)] = []
    for c in 0..<columns { for k in 0..<chunksPerColumn[c] { jobs.append((c, k)) } }
    let encoded = jobs.withUnsafeBufferPointer { all in
      ParallelBlocks.map(count: all.count, blockSize: chunksPerTask, threads: threads) { r -> [Encoded] in
        r.map { j in
          let (c, k) = all[j]
          let s = elementSize(c), b = bytes(c)
          let first = k * chunkRows * s
          return encodeChunk(UnsafeRawBufferPointer(rebasing: b[first..<min(b.count, first + chunkRows * s)]), chunkBytes: chunkRows * s, elementSize: s, level: level)
        }
      }.flatMap { $0 }
    }
    var out = chunksPerColumn.map { _ in [Encoded]() }
    for (j, e) in zip(jobs, encoded) { out[j.column].append(e) }
    return out
  }

  /// Shuffles (for elements wider than a byte) and deflates one chunk of `chunkBytes` bytes
  /// (`data` zero-padded to that length); level 0 means no filters (the bytes as they are).
  static func encodeChunk(_ data: UnsafeRawBufferPointer, chunkBytes n: Int, elementSize s: Int, level: Int) -> Encoded {
    var plain = [UInt8](repeating: 0, count: n)
    plain.withUnsafeMutableBufferPointer { dst in
      let src = data.bindMemory(to: UInt8.self)
      if s > 1 && level > 0 {
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
    guard level > 0 else { return Encoded(bytes: plain, filterMask: 0) }
    // HDF5's deflate filter bound: ceil(n · 1.001) + 12 bytes.
    let bound = Int((Double(n) * 1.001).rounded(.up)) + 12
    var out = [UInt8](repeating: 0, count: bound)
    var produced = UInt(bound)
    let rc = out.withUnsafeMutableBufferPointer { o in
      plain.withUnsafeBufferPointer { p in cascade_deflate(o.baseAddress!, &produced, p.baseAddress!, UInt(n), Int32(level)) }
    }
    guard rc == Z_OK else { return Encoded(bytes: plain, filterMask: 1 << 1) }
    out.removeLast(bound - Int(produced))
    return Encoded(bytes: out, filterMask: 0)
  }
}
