import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open ROOT file: positioned, bounds-checked reads (thread-safe: `pread`) and the header.
///
/// The header (`TFile` record at offset 0) starts with "root" and a version; versions
/// ≥ 1 000 000 are "large" files whose seek pointers are 64-bit.
final class ROOTFile {
  let path: String
  let size: Int
  private let descriptor: Int32
  /// The top directory record (`fBEGIN + fNbytesName`).
  let topDirectory: ROOTDirectoryRecord
  /// Whether the header uses 64-bit seek pointers.
  let isLarge: Bool

  static let magic: [UInt8] = Array("root".utf8)

  /// Whether the file starts with the ROOT magic "root".
  static func hasMagic(_ path: String) -> Bool {
    guard let h = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? h.close() }
    return (try? h.read(upToCount: 4)).map { Array($0) == magic } ?? false
  }

  init(path: String) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ROOTFormatError("cannot open file") }
    descriptor = fd
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      close(fd)
      throw ROOTFormatError("cannot read file size")
    }
    size = Int(st.st_size)
    do {
      let head = try ROOTFile.readBytes(fd: fd, fileSize: size, offset: 0, count: min(size, 128), what: "file header")
      var c = ROOTCursor(head, context: "file header")
      guard head.count >= 4, Array(head[0..<4]) == ROOTFile.magic else { throw ROOTFormatError("not a ROOT file (no \"root\" magic)") }
      try c.skip(4)
      let version = try c.i32()
      isLarge = version >= 1_000_000
      let begin = try c.count32("fBEGIN")
      _ = try c.seekPointer(wide: isLarge)  // fEND
      _ = try c.seekPointer(wide: isLarge)  // fSeekFree
      _ = try c.i32()  // fNbytesFree
      _ = try c.i32()  // nfree
      let nbytesName = try c.count32("fNbytesName")
      let at = begin + nbytesName
      let record = try ROOTFile.readBytes(fd: fd, fileSize: size, offset: at, count: min(ROOTDirectoryRecord.maxSize, size - at), what: "top directory")
      topDirectory = try ROOTDirectoryRecord(record, context: "top directory")
    } catch {
      close(fd)
      throw error
    }
  }

  deinit { close(descriptor) }

  /// `count` bytes at `offset`; an error if they lie (partly) outside the file.
  func read(offset: Int, count: Int, what: @autoclosure () -> String) throws -> [UInt8] {
    try ROOTFile.readBytes(fd: descriptor, fileSize: size, offset: offset, count: count, what: what())
  }

  private static func readBytes(fd: Int32, fileSize: Int, offset: Int, count: Int, what: String) throws -> [UInt8] {
    guard offset >= 0, count >= 0, offset <= fileSize, count <= fileSize - offset else {
      throw ROOTFormatError("\(what): \(count) bytes at offset \(offset) lie outside the \(fileSize)-byte file (truncated file?)")
    }
    var out = [UInt8](repeating: 0, count: count)
    var done = 0
    try out.withUnsafeMutableBytes { buf in
      while done < count {
        let n = pread(fd, buf.baseAddress! + done, count - done, off_t(offset + done))
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw ROOTFormatError("\(what): read error at offset \(offset + done)") }
        done += n
      }
    }
    return out
  }
}
