/// The parts of a `TTree` record the reader needs: entry count and branches (versions 16–20,
/// i.e. every ROOT since 5.x and uproot's `mktree`). `TNtuple`/`TNtupleD` wrap a TTree.
struct ROOTTree {
  var entries: Int
  var branches: [ROOTBranch]

  init(file: ROOTFile, key: ROOTKey, path: String) throws {
    let bytes = try key.objectBytes(in: file)
    var s = ROOTStreamer(bytes, keyLength: key.keyLength, context: "TTree \"\(path)\"")
    if key.className != "TTree" { _ = try s.versionHeader() }  // TNtuple(D): TTree base first
    let h = try s.versionHeader()
    let v = h.version
    guard (16...20).contains(v) else {
      throw s.cursor.fail("TTree version \(v) is not supported (16–20 are)")
    }
    _ = try s.tNamed()
    try s.skipVersioned("TAttLine")
    try s.skipVersioned("TAttFill")
    try s.skipVersioned("TAttMarker")
    let entries = try s.cursor.i64()
    guard entries >= 0 else { throw s.cursor.fail("\(entries) entries") }
    self.entries = Int(entries)
    // fTotBytes, fZipBytes, fSavedBytes (+ fFlushedBytes from v18), fWeight,
    // fTimerInterval, fScanField, fUpdate (+ fDefaultEntryOffsetLen from v17).
    try s.cursor.skip((v >= 18 ? 4 : 3) * 8 + 8 + (v >= 17 ? 4 : 3) * 4)
    let clusterRanges = v >= 19 ? try s.cursor.count32("fNClusterRange") : 0
    // fMaxEntries, fMaxEntryLoop, fMaxVirtualSize, fAutoSave (+ fAutoFlush from v18), fEstimate.
    try s.cursor.skip((v >= 18 ? 6 : 5) * 8)
    if v >= 19 {
      guard clusterRanges <= s.cursor.remaining / 16 else { throw s.cursor.fail("\(clusterRanges) cluster ranges") }
      _ = try s.flaggedInt64Array(clusterRanges)
      _ = try s.flaggedInt64Array(clusterRanges)
    }
    if v >= 20 { try s.skipVersioned("TIOFeatures") }
    let array = try s.objArrayHeader()
    var branches: [ROOTBranch] = []
    for _ in 0..<array.count {
      if case .object(let cls, let e) = try s.pointer() {
        var b = try ROOTBranch.read(&s, className: cls, end: e)
        // Only branches that can be read need their baskets located (and checked).
        if b.unsupportedReason == nil { try b.locateBaskets(file: file, treeEntries: self.entries, context: s.cursor.context) }
        branches.append(b)
      }
    }
    self.branches = branches
  }
}

extension ROOTBranch {
  /// Whether the branch can be read as numeric columns (one per leaf); nil or why not.
  var unsupportedReason: String? {
    if className != "TBranch" {
      return "has type \(valueClass ?? className) (\(className)): only flat numeric branches can be read"
    }
    if subBranchCount > 0 { return "has sub-branches: only flat numeric branches can be read" }
    guard !leaves.isEmpty else { return "has no leaves" }
    for leaf in leaves where leaf.dtype == nil || leaf.hasCounter || leaf.length != 1 {
      return "has type \(leaf.rootTypeName): only flat numeric branches (Bool_t, Char_t, Short_t, Int_t, Long64_t, Float_t, Double_t and unsigned) can be read"
    }
    return nil
  }

  /// Bytes per entry: the leaves' values one after another.
  var entrySize: Int { leaves.reduce(0) { $0 + ($1.dtype?.byteWidth ?? 0) * $1.length } }

  /// Builds `baskets`: the normal baskets from fBasketEntry/fBasketSeek, then any embedded
  /// ones; checks that they tile 0..<entries.
  mutating func locateBaskets(file: ROOTFile, treeEntries: Int, context: String) throws {
    let branchName = name
    let fail = { (what: String) in ROOTFormatError("\(context): branch \"\(branchName)\": \(what) (corrupt file?)") }
    var starts = Array(basketEntry.prefix(normalBasketCount + 1))
    if starts.count == normalBasketCount, normalBasketCount > 0 {
      // ROOT can leave fBasketEntry one short: the last basket's header has its entry count.
      let i = normalBasketCount - 1
      let header = try file.read(offset: basketSeek[i], count: min(basketBytes[i], 128), what: "basket of \"\(name)\"")
      var c = ROOTCursor(header, context: "basket of \"\(name)\"")
      let key = try ROOTKey(&c)
      try c.seek(to: key.keyLength - 19)
      starts.append(starts[i] + (try ROOTBasketFields(&c)).entries)
    }
    if starts.isEmpty { starts = [0] }
    guard starts.count == normalBasketCount + 1 else { throw fail("basket entry table too short") }
    guard starts[0] == 0 else { throw fail("first basket starts at entry \(starts[0])") }
    var refs: [ROOTBasketRef] = []
    for i in 0..<normalBasketCount {
      guard starts[i + 1] >= starts[i], basketBytes[i] > 0 else { throw fail("basket \(i) entry range or size") }
      refs.append(ROOTBasketRef(entries: starts[i]..<starts[i + 1], location: .file(seek: basketSeek[i], bytes: basketBytes[i])))
    }
    var at = starts[normalBasketCount]
    if at != entries {
      for e in embeddedBaskets {
        refs.append(ROOTBasketRef(entries: at..<at + e.entries, location: .embedded(data: e.data)))
        at += e.entries
      }
    }
    guard at == entries else { throw fail("baskets hold \(at) entries, the branch \(entries)") }
    guard entries == treeEntries else {
      throw fail("\(entries) entries, the tree \(treeEntries)")
    }
    baskets = refs.filter { !$0.entries.isEmpty }
  }
}
