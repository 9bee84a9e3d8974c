import CLZ4
import CLZMA
import CZlib
import CZstd

/// ROOT's compressed-object format: one or more blocks (objects over 16 MiB are split), each
/// with a 9-byte header — a 2-byte algorithm tag ("ZL" zlib, "XZ" xz/LZMA, "L4" LZ4, "ZS"
/// Zstandard), a method byte, then the compressed and uncompressed sizes as 3-byte
/// little-endian integers. LZ4 blocks start with the big-endian XXH64 of the compressed bytes.
enum ROOTDecompression {
  static let headerSize = 9
  static let lz4ChecksumSize = 8

  struct Block {
    var algorithm: String
    var dataStart: Int
    var compressedSize: Int
    var uncompressedSize: Int
  }

  /// The block headers of `input`, checked to tile it and to add up to `length` bytes — so a
  /// corrupt size is caught before any allocation.
  static func blocks(_ input: [UInt8], length: Int, what: String) throws -> [Block] {
    var out: [Block] = []
    var at = 0
    var total = 0
    while total < length {
      guard input.count - at >= headerSize else {
        throw ROOTFormatError("\(what): compressed data ends inside a block header (truncated or corrupt file?)")
      }
      let tag = String(decoding: input[at..<at + 2], as: UTF8.self)
      let csize = Int(input[at + 3]) | Int(input[at + 4]) << 8 | Int(input[at + 5]) << 16
      let usize = Int(input[at + 6]) | Int(input[at + 7]) << 8 | Int(input[at + 8]) << 16
      guard ["ZL", "XZ", "L4", "ZS"].contains(tag) else {
        if tag == "CS" { throw ROOTFormatError("\(what): compressed with ROOT's old \"CS\" algorithm, which is not supported (ZLIB, LZ4, ZSTD and LZMA are)") }
        throw ROOTFormatError("\(what): unknown compression block (not ZLIB, LZ4, ZSTD or LZMA; corrupt file?)")
      }
      guard csize <= input.count - at - headerSize, usize > 0, usize <= length - total else {
        throw ROOTFormatError("\(what): compression block sizes do not fit the object (truncated or corrupt file?)")
      }
      out.append(Block(algorithm: tag, dataStart: at + headerSize, compressedSize: csize, uncompressedSize: usize))
      at += headerSize + csize
      total += usize
    }
    return out
  }

  /// Decompresses `input` into exactly `length` bytes.
  static func decompress(_ input: [UInt8], into length: Int, what: String) throws -> [UInt8] {
    let blocks = try blocks(input, length: length, what: what)
    var output = [UInt8](repeating: 0, count: length)
    try input.withUnsafeBufferPointer { src in
      try output.withUnsafeMutableBufferPointer { dst in
        var outAt = 0
        for b in blocks {
          let s = UnsafeBufferPointer(rebasing: src[b.dataStart..<b.dataStart + b.compressedSize])
          let d = UnsafeMutableBufferPointer(rebasing: dst[outAt..<outAt + b.uncompressedSize])
          let ok = try decompressBlock(b.algorithm, s, d, what: what)
          guard ok else {
            throw ROOTFormatError("\(what): \(name(b.algorithm)) block does not decompress to its \(b.uncompressedSize) bytes (corrupt file?)")
          }
          outAt += b.uncompressedSize
        }
      }
    }
    return output
  }

  static func name(_ tag: String) -> String {
    ["ZL": "ZLIB", "XZ": "LZMA", "L4": "LZ4", "ZS": "ZSTD"][tag] ?? tag
  }

  /// Whether the block filled `dst` exactly.
  private static func decompressBlock(_ tag: String, _ src: UnsafeBufferPointer<UInt8>, _ dst: UnsafeMutableBufferPointer<UInt8>, what: String) throws -> Bool {
    switch tag {
    case "ZL":
      var n = uLongf(dst.count)
      let rc = uncompress(dst.baseAddress, &n, src.baseAddress, uLong(src.count))
      return rc == Z_OK && Int(n) == dst.count
    case "ZS":
      let n = ZSTD_decompress(dst.baseAddress, dst.count, src.baseAddress, src.count)
      return ZSTD_isError(n) == 0 && n == dst.count
    case "XZ":
      var memlimit = UInt64.max
      var inPos = 0, outPos = 0
      let rc = lzma_stream_buffer_decode(&memlimit, 0, nil, src.baseAddress, &inPos, src.count, dst.baseAddress, &outPos, dst.count)
      return rc == LZMA_OK && outPos == dst.count
    case "L4":
      guard src.count >= lz4ChecksumSize else { return false }
      var expected: UInt64 = 0
      for i in 0..<lz4ChecksumSize { expected = expected << 8 | UInt64(src[i]) }
      let body = UnsafeBufferPointer(rebasing: src[lz4ChecksumSize...])
      guard XXHash64.hash(UnsafeRawBufferPointer(body)) == expected else {
        throw ROOTFormatError("\(what): LZ4 block fails its xxhash64 checksum (corrupt file?)")
      }
      let n = body.withMemoryRebound(to: CChar.self) { b in
        dst.withMemoryRebound(to: CChar.self) { d in
          LZ4_decompress_safe(b.baseAddress, d.baseAddress, Int32(b.count), Int32(d.count))
        }
      }
      return Int(n) == dst.count
    default:
      return false
    }
  }
}
