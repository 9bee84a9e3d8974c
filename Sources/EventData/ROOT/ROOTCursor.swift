import CascadeSupport

/// A corrupt or unsupported ROOT file: the message names the file and what is wrong.
struct ROOTFormatError: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

/// A bounds-checked big-endian reader over bytes of a ROOT file (ROOT streams everything
/// big-endian). Every read checks the remaining length, so a truncated or corrupt file
/// becomes a `ROOTFormatError`, never an out-of-bounds access.
struct ROOTCursor {
  let bytes: [UInt8]
  /// Position in `bytes`.
  var position: Int
  /// What is being read, for error messages ("TTree \"events\"", "key list").
  let context: String

  init(_ bytes: [UInt8], at position: Int = 0, context: String) {
    self.bytes = bytes
    self.position = position
    self.context = context
  }

  var remaining: Int { bytes.count - position }

  func fail(_ what: String) -> ROOTFormatError {
    ROOTFormatError("\(context): \(what) (truncated or corrupt file?)")
  }

  mutating func require(_ n: Int) throws {
    guard n >= 0, position >= 0, n <= bytes.count - position else {
      throw fail("needs \(n) bytes at offset \(position), \(max(0, remaining)) left")
    }
  }

  mutating func skip(_ n: Int) throws {
    try require(n)
    position += n
  }

  mutating func seek(to offset: Int) throws {
    guard offset >= 0, offset <= bytes.count else { throw fail("offset \(offset) outside the \(bytes.count)-byte record") }
    position = offset
  }

  mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
    let n = MemoryLayout<T>.size
    try require(n)
    var v: T = 0
    for i in 0..<n { v = (v << 8) | T(truncatingIfNeeded: bytes[position + i]) }
    position += n
    return v
  }

  mutating func u8() throws -> UInt8 { try integer(UInt8.self) }
  mutating func i16() throws -> Int16 { try integer(Int16.self) }
  mutating func u16() throws -> UInt16 { try integer(UInt16.self) }
  mutating func i32() throws -> Int32 { try integer(Int32.self) }
  mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
  mutating func i64() throws -> Int64 { try integer(Int64.self) }

  /// A 32- or 64-bit file offset, checked to be non-negative.
  mutating func seekPointer(wide: Bool) throws -> Int {
    let v = wide ? try i64() : Int64(try i32())
    guard v >= 0 else { throw fail("negative file offset \(v)") }
    return Int(v)
  }

  /// A non-negative 32-bit count or length.
  mutating func count32(_ what: String) throws -> Int {
    let v = try i32()
    guard v >= 0 else { throw fail("negative \(what) \(v)") }
    return Int(v)
  }

  /// A ROOT `TString`: one length byte, or 255 followed by a 32-bit length.
  mutating func tString() throws -> String {
    var n = Int(try u8())
    if n == 255 { n = try count32("string length") }
    try require(n)
    let s = ROOTCursor.printable(bytes[position..<position + n])
    position += n
    return s
  }

  /// A NUL-terminated C string (class names in object headers).
  mutating func cString() throws -> String {
    guard let end = bytes[position...].firstIndex(of: 0) else { throw fail("unterminated class name") }
    let s = ROOTCursor.printable(bytes[position..<end])
    position = end + 1
    return s
  }

  /// Bytes as text with anything unprintable replaced, so a corrupt name never puts raw
  /// bytes into an error message.
  static func printable<C: Collection>(_ raw: C) -> String where C.Element == UInt8 {
    let s = String(decoding: raw, as: UTF8.self)
    return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
  }
}
