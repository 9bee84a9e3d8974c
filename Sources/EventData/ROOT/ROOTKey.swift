/// A `TKey` header: where an object's (possibly compressed) bytes are and what it is.
///
/// Layout: fNbytes i32, fVersion i16 (> 1000: 64-bit seeks), fObjlen i32, fDatime u32,
/// fKeylen i16, fCycle i16, fSeekKey, fSeekPdir, then class name, name and title as TStrings.
struct ROOTKey {
  var totalBytes: Int
  var objectLength: Int
  var keyLength: Int
  var cycle: Int
  var seekKey: Int
  var className: String
  var name: String
  var title: String

  init(_ c: inout ROOTCursor) throws {
    totalBytes = try c.count32("key size")
    let version = try c.i16()
    objectLength = try c.count32("object length")
    _ = try c.u32()
    keyLength = Int(try c.i16())
    cycle = Int(try c.i16())
    let wide = version > 1000
    seekKey = try c.seekPointer(wide: wide)
    _ = try c.seekPointer(wide: wide)
    className = try c.tString()
    name = try c.tString()
    title = try c.tString()
    guard keyLength > 0, keyLength <= totalBytes else {
      throw c.fail("key \"\(name)\" has header length \(keyLength) and size \(totalBytes)")
    }
  }

  /// The object's bytes, decompressed. Also returns the key length, which ROOT adds to
  /// every in-object offset (class references inside a streamed object count from the key's start).
  func objectBytes(in file: ROOTFile) throws -> [UInt8] {
    let what = "\(className) \"\(name)\""
    let stored = try file.read(offset: seekKey + keyLength, count: totalBytes - keyLength, what: what)
    if stored.count == objectLength { return stored }
    return try ROOTDecompression.decompress(stored, into: objectLength, what: what)
  }
}
