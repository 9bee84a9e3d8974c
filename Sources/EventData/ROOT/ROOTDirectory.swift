/// A `TDirectory` record: where a directory's key list is.
///
/// Layout: version i16 (> 1000: 64-bit seeks), fDatimeC u32, fDatimeM u32, fNbytesKeys i32,
/// fNbytesName i32, fSeekDir, fSeekParent, fSeekKeys.
struct ROOTDirectoryRecord {
  /// Enough bytes for the largest record (64-bit seeks, before the UUID).
  static let maxSize = 2 + 4 + 4 + 4 + 4 + 3 * 8
  var nbytesKeys: Int
  var seekKeys: Int

  init(_ bytes: [UInt8], context: String) throws {
    var c = ROOTCursor(bytes, context: context)
    let wide = try c.i16() > 1000
    try c.skip(8)
    nbytesKeys = try c.count32("key list size")
    try c.skip(4)
    _ = try c.seekPointer(wide: wide)
    _ = try c.seekPointer(wide: wide)
    seekKeys = try c.seekPointer(wide: wide)
  }
}

/// The objects of a ROOT file by path ("dir/sub/name"), highest cycle per name.
struct ROOTDirectoryListing {
  /// Path → key, every directory level visited; paths have no leading "/".
  private(set) var keys: [(path: String, key: ROOTKey)] = []
  /// Every cycle of every object, for an explicit "name;cycle".
  private(set) var everyCycle: [(path: String, key: ROOTKey)] = []

  static let directoryClasses: Set<String> = ["TDirectory", "TDirectoryFile"]
  static let treeClasses: Set<String> = ["TTree", "TNtuple", "TNtupleD"]
  static let rntupleClasses: Set<String> = ["ROOT::RNTuple", "ROOT::Experimental::RNTuple"]

  init(file: ROOTFile) throws {
    var visited = Set<Int>()
    try list(file: file, record: file.topDirectory, prefix: "", depth: 0, visited: &visited)
  }

  private mutating func list(file: ROOTFile, record: ROOTDirectoryRecord, prefix: String, depth: Int, visited: inout Set<Int>) throws {
    // A corrupt file could point a directory at itself.
    guard depth < 64, visited.insert(record.seekKeys).inserted else {
      throw ROOTFormatError("directory \"\(prefix)\": directories form a loop (corrupt file?)")
    }
    guard record.seekKeys > 0 else { return }
    let what = prefix.isEmpty ? "key list" : "key list of \"\(prefix)\""
    let bytes = try file.read(offset: record.seekKeys, count: record.nbytesKeys, what: what)
    var c = ROOTCursor(bytes, context: what)
    let header = try ROOTKey(&c)
    try c.seek(to: header.keyLength)
    let n = try c.count32("key count")
    var latest: [String: ROOTKey] = [:]
    var order: [String] = []
    for _ in 0..<n {
      let k = try ROOTKey(&c)
      everyCycle.append((prefix.isEmpty ? k.name : prefix + "/" + k.name, k))
      if let old = latest[k.name] {
        if k.cycle > old.cycle { latest[k.name] = k }
      } else {
        latest[k.name] = k
        order.append(k.name)
      }
    }
    for name in order {
      let k = latest[name]!
      let path = prefix.isEmpty ? name : prefix + "/" + name
      keys.append((path, k))
      if ROOTDirectoryListing.directoryClasses.contains(k.className) {
        let data = try k.objectBytes(in: file)
        let sub = try ROOTDirectoryRecord(data, context: "directory \"\(path)\"")
        try list(file: file, record: sub, prefix: path, depth: depth + 1, visited: &visited)
      }
    }
  }

  /// Paths of the trees in the file, in key order.
  var treePaths: [String] { keys.filter { ROOTDirectoryListing.treeClasses.contains($0.key.className) }.map(\.path) }

  /// The key at "dir/name" (highest cycle) or "dir/name;cycle".
  func key(at path: String) -> ROOTKey? {
    if let semi = path.lastIndex(of: ";"), let cycle = Int(path[path.index(after: semi)...]) {
      let name = String(path[..<semi])
      return everyCycle.first { $0.path == name && $0.key.cycle == cycle }?.key
    }
    return keys.first { $0.path == path }?.key
  }
}
