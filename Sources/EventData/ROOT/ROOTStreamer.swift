/// Reads ROOT's object serialization (TBufferFile): class-version headers with byte counts,
/// `TObject`/`TNamed` bases, `TObjArray`s and polymorphic pointers with class tags.
///
/// Offsets in class references count from the start of the object's key, so the reader
/// adds the key length to buffer positions.
struct ROOTStreamer {
  static let byteCountMask: UInt32 = 0x4000_0000
  static let classMask: UInt32 = 0x8000_0000
  static let newClassTag: UInt32 = 0xFFFF_FFFF
  static let mapOffset = 2
  static let isReferenced: UInt32 = 1 << 4

  var cursor: ROOTCursor
  let keyLength: Int
  /// Class names by their tag offset, as recorded when first seen.
  private var classNames: [Int: String] = [:]

  init(_ bytes: [UInt8], keyLength: Int, context: String) {
    cursor = ROOTCursor(bytes, context: context)
    self.keyLength = keyLength
  }

  /// A class version, with the end of the object when a byte count precedes it.
  mutating func versionHeader() throws -> (version: Int, end: Int?) {
    let start = cursor.position
    let first = try cursor.u32()
    if first & ROOTStreamer.byteCountMask != 0 {
      let end = start + 4 + Int(first & ~ROOTStreamer.byteCountMask)
      guard end <= cursor.bytes.count else { throw cursor.fail("object byte count runs past the record") }
      return (Int(try cursor.u16()), end)
    }
    try cursor.seek(to: start)
    return (Int(try cursor.u16()), nil)
  }

  /// Moves to the end of an object read with `versionHeader` (no-op without a byte count).
  mutating func finish(_ end: Int?) throws {
    if let e = end { try cursor.seek(to: e) }
  }

  /// Skips a versioned object with a byte count (TAttLine, TIOFeatures, …).
  mutating func skipVersioned(_ what: String) throws {
    let h = try versionHeader()
    guard let end = h.end else { throw cursor.fail("\(what) has no byte count") }
    try cursor.seek(to: end)
  }

  mutating func tObject() throws {
    _ = try versionHeader()
    _ = try cursor.u32()  // fUniqueID
    let bits = try cursor.u32()
    if bits & ROOTStreamer.isReferenced != 0 { try cursor.skip(2) }
  }

  /// A `TNamed` (with its own version header): name and title.
  mutating func tNamed() throws -> (name: String, title: String) {
    let h = try versionHeader()
    try tObject()
    let name = try cursor.tString()
    let title = try cursor.tString()
    try finish(h.end)
    return (name, title)
  }

  /// What a polymorphic pointer holds.
  enum Pointer {
    case null
    /// A reference to an object read earlier (already skipped).
    case reference
    /// A new object of `className`; the cursor is at its start and `end` is where it stops.
    case object(className: String, end: Int?)
  }

  /// `TBufferFile::ReadObjectAny`: a byte count and class tag (new class name or a
  /// reference to one seen before), or a null/back reference.
  mutating func pointer() throws -> Pointer {
    let begin = cursor.position
    let count = try cursor.u32()
    var tag = count
    var end: Int?
    var tagPosition = begin
    if count & ROOTStreamer.byteCountMask != 0 && count != ROOTStreamer.newClassTag {
      end = begin + 4 + Int(count & ~ROOTStreamer.byteCountMask)
      guard end! <= cursor.bytes.count else { throw cursor.fail("object byte count runs past the record") }
      tagPosition = cursor.position
      tag = try cursor.u32()
    }
    if tag & ROOTStreamer.classMask == 0 {
      if tag == 0 { return .null }
      if let e = end { try cursor.seek(to: e) }
      return .reference
    }
    if tag == ROOTStreamer.newClassTag {
      let name = try cursor.cString()
      classNames[keyLength + tagPosition + ROOTStreamer.mapOffset] = name
      return .object(className: name, end: end)
    }
    let ref = Int(tag & ~ROOTStreamer.classMask)
    guard let name = classNames[ref] else {
      throw cursor.fail("reference to an unknown class (tag \(ref))")
    }
    return .object(className: name, end: end)
  }

  /// A `TObjArray`'s header; returns the number of slots that follow (each a `pointer()`).
  mutating func objArrayHeader() throws -> (count: Int, end: Int?) {
    let h = try versionHeader()
    try tObject()
    _ = try cursor.tString()
    let n = try cursor.count32("array size")
    _ = try cursor.i32()  // fLowerBound
    // Each slot takes at least 4 bytes: a corrupt size cannot make us loop for long.
    guard n <= cursor.remaining / 4 else { throw cursor.fail("array of \(n) objects does not fit the record") }
    return (n, h.end)
  }

  /// A fast array `[n]` of 64-bit integers preceded by its one-byte "is array" flag.
  mutating func flaggedInt64Array(_ n: Int) throws -> [Int64] {
    try cursor.skip(1)
    try cursor.require(n * 8)
    return try (0..<n).map { _ in try cursor.i64() }
  }

  mutating func flaggedInt32Array(_ n: Int) throws -> [Int32] {
    try cursor.skip(1)
    try cursor.require(n * 4)
    return try (0..<n).map { _ in try cursor.i32() }
  }
}
