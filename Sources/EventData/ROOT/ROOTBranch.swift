/// A `TLeaf` (the part every leaf class shares): what one branch value is.
struct ROOTLeaf {
  var className: String
  var name: String
  var title: String
  /// Elements per entry for fixed-size arrays (`x[3]`: 3).
  var length: Int
  var isUnsigned: Bool
  /// A counter leaf sets the length per entry (`x[n]`): variable-length, jagged.
  var hasCounter: Bool

  /// The leaf classes of flat numeric values: stored width and signedness → dtype.
  var dtype: DType? {
    switch className {
    case "TLeafO": .bool
    case "TLeafB": isUnsigned ? .uint8 : .int8
    case "TLeafS": isUnsigned ? .uint16 : .int16
    case "TLeafI": isUnsigned ? .uint32 : .int32
    case "TLeafL", "TLeafG": isUnsigned ? .uint64 : .int64
    case "TLeafF": .float32
    case "TLeafD": .float64
    default: nil
    }
  }

  /// The C++ type ROOT names this leaf with, for error messages.
  var rootTypeName: String {
    let base: String
    switch className {
    case "TLeafO": base = "Bool_t"
    case "TLeafB": base = isUnsigned ? "UChar_t" : "Char_t"
    case "TLeafS": base = isUnsigned ? "UShort_t" : "Short_t"
    case "TLeafI": base = isUnsigned ? "UInt_t" : "Int_t"
    case "TLeafL": base = isUnsigned ? "ULong64_t" : "Long64_t"
    case "TLeafG": base = isUnsigned ? "ULong_t" : "Long_t"
    case "TLeafF": base = "Float_t"
    case "TLeafD": base = "Double_t"
    case "TLeafF16": base = "Float16_t"
    case "TLeafD32": base = "Double32_t"
    case "TLeafC": return "string (TLeafC)"
    default: return className
    }
    if hasCounter { return "\(base)[] (variable-length array)" }
    if length > 1 { return "\(base)[\(length)] (fixed-size array)" }
    return base
  }

  /// Reads a leaf object (any `TLeaf*` class) whose pointer was just read.
  static func read(_ s: inout ROOTStreamer, className: String, end: Int?) throws -> ROOTLeaf {
    let outer = try s.versionHeader()
    let base = try s.versionHeader()  // TLeaf
    let named = try s.tNamed()
    let length = Int(try s.cursor.i32())
    _ = try s.cursor.i32()  // fLenType
    _ = try s.cursor.i32()  // fOffset
    _ = try s.cursor.u8()  // fIsRange
    let unsigned = try s.cursor.u8() != 0
    let counter = try s.pointer()
    if case .object(_, let e) = counter {
      guard let e else { throw s.cursor.fail("leaf counter without byte count") }
      try s.cursor.seek(to: e)
    }
    try s.finish(base.end)
    try s.finish(end ?? outer.end)
    let hasCounter: Bool
    if case .null = counter { hasCounter = false } else { hasCounter = true }
    return ROOTLeaf(className: className, name: named.name, title: named.title, length: length, isUnsigned: unsigned, hasCounter: hasCounter)
  }
}

/// Where one basket's entries are: a `TBasket` key in the file, or bytes stored inside the
/// TTree record (the last basket of a tree written without flushing it).
enum ROOTBasketLocation {
  case file(seek: Int, bytes: Int)
  case embedded(data: [UInt8])
}

struct ROOTBasketRef {
  var entries: Range<Int>
  var location: ROOTBasketLocation
}

/// A `TBranch` (or the `TBranch` base of `TBranchElement` & co): name, leaves, baskets.
struct ROOTBranch {
  var name: String
  var className: String
  /// For `TBranchElement`: the C++ class of the values ("vector<float>").
  var valueClass: String?
  var leaves: [ROOTLeaf]
  var entries: Int
  var subBranchCount: Int
  var baskets: [ROOTBasketRef]
  /// fBasketEntry[0…] as stored (extended from the last basket's header when short).
  var basketEntry: [Int]
  var basketSeek: [Int]
  var basketBytes: [Int]
  var normalBasketCount: Int
  var embeddedBaskets: [(entries: Int, data: [UInt8])]

  /// Reads a branch object whose pointer (class `className`) was just read.
  static func read(_ s: inout ROOTStreamer, className: String, end: Int?) throws -> ROOTBranch {
    let outerEnd: Int?
    if className == "TBranch" {
      outerEnd = end
    } else {
      // TBranchElement, TBranchObject, …: their own header, then the TBranch base.
      outerEnd = try s.versionHeader().end ?? end
    }
    var b = try readTBranch(&s, className: className)
    if className == "TBranchElement" || className == "TBranchObject" {
      if let name = try? s.cursor.tString(), !name.isEmpty { b.valueClass = name }
    }
    guard let stop = outerEnd ?? end else { throw s.cursor.fail("branch \"\(b.name)\" has no byte count") }
    try s.cursor.seek(to: stop)
    return b
  }

  private static func readTBranch(_ s: inout ROOTStreamer, className: String) throws -> ROOTBranch {
    let h = try s.versionHeader()
    guard (11...13).contains(h.version) else {
      throw s.cursor.fail("TBranch version \(h.version) is not supported (11–13 are: ROOT ≥ 5.2x)")
    }
    let named = try s.tNamed()
    try s.skipVersioned("TAttFill")
    _ = try s.cursor.i32()  // fCompress
    _ = try s.cursor.i32()  // fBasketSize
    _ = try s.cursor.i32()  // fEntryOffsetLen
    let writeBasket = try s.cursor.count32("fWriteBasket")
    _ = try s.cursor.i64()  // fEntryNumber
    if h.version >= 13 { try s.skipVersioned("TIOFeatures") }
    _ = try s.cursor.i32()  // fOffset
    let maxBaskets = try s.cursor.count32("fMaxBaskets")
    _ = try s.cursor.i32()  // fSplitLevel
    let entries = try s.cursor.i64()
    guard entries >= 0 else { throw s.cursor.fail("branch \"\(named.name)\" has \(entries) entries") }
    try s.cursor.skip(3 * 8)  // fFirstEntry, fTotBytes, fZipBytes

    let sub = try s.objArrayHeader()
    for _ in 0..<sub.count { try skipObject(&s) }
    try s.finish(sub.end)

    let leafArray = try s.objArrayHeader()
    var leaves: [ROOTLeaf] = []
    for _ in 0..<leafArray.count {
      if case .object(let cls, let e) = try s.pointer() {
        leaves.append(try ROOTLeaf.read(&s, className: cls, end: e))
      }
    }
    try s.finish(leafArray.end)

    let basketArray = try s.objArrayHeader()
    var embedded: [(entries: Int, data: [UInt8])] = []
    for _ in 0..<basketArray.count {
      if case .object(_, let e) = try s.pointer() {
        if let basket = try readEmbeddedBasket(&s, branch: named.name) { embedded.append(basket) }
        guard let e else { throw s.cursor.fail("basket without byte count") }
        try s.cursor.seek(to: e)
      }
    }
    try s.finish(basketArray.end)

    guard maxBaskets <= s.cursor.remaining / 16 else { throw s.cursor.fail("branch \"\(named.name)\": \(maxBaskets) baskets do not fit the record") }
    let bytes = try s.flaggedInt32Array(maxBaskets).map { Int($0) }
    let entry = try s.flaggedInt64Array(maxBaskets).map { Int($0) }
    let seek = try s.flaggedInt64Array(maxBaskets).map { Int($0) }
    try s.finish(h.end)

    var normal = 0
    while normal < min(writeBasket, maxBaskets), seek[normal] != 0 { normal += 1 }
    return ROOTBranch(
      name: named.name, className: className, valueClass: nil, leaves: leaves, entries: Int(entries),
      subBranchCount: sub.count, baskets: [], basketEntry: entry, basketSeek: seek, basketBytes: bytes,
      normalBasketCount: normal, embeddedBaskets: embedded)
  }

  /// Skips any object in an array slot.
  private static func skipObject(_ s: inout ROOTStreamer) throws {
    if case .object(_, let e) = try s.pointer() {
      guard let e else { throw s.cursor.fail("object without byte count") }
      try s.cursor.seek(to: e)
    }
  }

  /// A `TBasket` streamed inside its branch: a key-like header (its last 19 bytes are the
  /// basket fields), a second copy of the key, then the entries' bytes. Nil when the slot
  /// holds only a header (a basket that was written to the file).
  private static func readEmbeddedBasket(_ s: inout ROOTStreamer, branch: String) throws -> (entries: Int, data: [UInt8])? {
    let start = s.cursor.position
    let nbytes = try s.cursor.count32("basket size")
    _ = try s.cursor.i16()
    _ = try s.cursor.i32()
    _ = try s.cursor.u32()
    let keyLength = Int(try s.cursor.i16())
    guard keyLength >= 19 + 18 else { throw s.cursor.fail("branch \"\(branch)\": basket header of \(keyLength) bytes") }
    try s.cursor.seek(to: start + keyLength - 19)
    let fields = try ROOTBasketFields(&s.cursor)
    guard nbytes <= keyLength else { return nil }
    let border = fields.last - keyLength
    guard border >= 0, fields.entries >= 0 else { throw s.cursor.fail("branch \"\(branch)\": embedded basket sizes") }
    // Variable-size entries (vectors, strings) carry entry offsets: such branches are not
    // read, so their bytes are not kept (a flat branch then fails its size check).
    guard fields.entrySize * fields.entries + keyLength == fields.last else { return (fields.entries, []) }
    try s.cursor.skip(keyLength)
    try s.cursor.require(border)
    let data = Array(s.cursor.bytes[s.cursor.position..<s.cursor.position + border])
    try s.cursor.skip(border)
    return (fields.entries, data)
  }
}

/// The `TBasket` members that follow its key header (the header's last 19 bytes):
/// fVersion u16, fBufferSize, fNevBufSize (bytes per entry), fNevBuf (entries), fLast, a flag.
struct ROOTBasketFields {
  var entrySize: Int
  var entries: Int
  var last: Int

  init(_ c: inout ROOTCursor) throws {
    _ = try c.u16()
    _ = try c.i32()
    entrySize = Int(try c.i32())
    entries = Int(try c.i32())
    last = Int(try c.i32())
    _ = try c.u8()
  }
}
