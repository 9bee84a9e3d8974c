/// FNV-1a 64-bit: a stable hash (same value on every machine and run), used for fold
/// assignment without an event number and for output checksums in manifests.
public struct StableHash: Sendable {
  public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  /// The hash of no bytes (the FNV-1a 64-bit offset basis).
  public init() {}

  /// Feeds `bytes` in order. Feeding data in pieces gives the same hash as feeding it at once.
  public mutating func combine<S: Sequence>(bytes: S) where S.Element == UInt8 {
    var h = value
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01B3
    }
    value = h
  }

  /// Feeds the UTF-8 bytes of `s` (no terminator and no length, so `"ab"` then `"c"` equals `"abc"`).
  public mutating func combine(_ s: String) { combine(bytes: s.utf8) }

  /// Feeds the 8 little-endian bytes of `x`, so the hash is the same on every byte order.
  public mutating func combine(_ x: UInt64) {
    withUnsafeBytes(of: x.littleEndian) { combine(bytes: $0) }
  }

  public var hex: String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }

  /// The hash of a file's bytes, streamed.
  public static func ofFile(_ path: String) throws -> StableHash {
    guard let fh = fopen(path, "rb") else { throw UserError("\(path): cannot read file") }
    defer { fclose(fh) }
    var h = StableHash()
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, fh) }
      if n == 0 { break }
      h.combine(bytes: buf[0..<n])
    }
    return h
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
