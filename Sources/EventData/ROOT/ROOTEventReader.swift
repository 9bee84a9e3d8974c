import CascadeSupport
import Foundation

/// Reads the flat numeric branches of a ROOT `TTree` as an event table (no ROOT install):
/// one column per leaf, rows read basket by basket — a row range touches only the baskets
/// that overlap it, decompressed in parallel in a fixed order (results do not depend on the
/// thread count).
///
/// Branches of other kinds (vectors, variable-length arrays, strings, objects) are not
/// columns; asking for one is an error naming the branch and its type.
final class ROOTEventReader: EventFileReader {
  let path: String
  let layout = TableLayout.root
  let tablePath: String
  let rowCount: Int
  let schema: [(name: String, dtype: DType)]

  private struct ColumnSource {
    var branch: Int
    var offset: Int
  }

  private let file: ROOTFile
  private let branches: [ROOTBranch]
  private let sources: [ColumnSource]
  private let columnIndex: [String: Int]
  /// Branch name → why it is not a column.
  private let unsupported: [String: String]
  private let threads: Int
  /// Per branch, the last basket decoded, kept when it reaches past the rows just read
  /// (the next block of rows starts in it): at most one basket per branch in memory.
  private var lastBasket: [Int: (index: Int, bytes: [UInt8])] = [:]
  private let lock = NSLock()

  init(path: String, options: EventFileOptions) throws {
    self.path = path
    threads = options.threads
    do {
      file = try ROOTFile(path: path)
      let listing = try ROOTDirectoryListing(file: file)
      let (treePath, key) = try ROOTEventReader.chooseTree(listing, requested: options.table)
      tablePath = treePath
      let tree = try ROOTTree(file: file, key: key, path: treePath)
      rowCount = tree.entries
      branches = tree.branches
    } catch let e as ROOTFormatError {
      throw UserError("\(path): \(e.message)")
    }
    var schema: [(String, DType)] = []
    var sources: [ColumnSource] = []
    var unsupported: [String: String] = [:]
    for (bi, b) in branches.enumerated() {
      if let why = b.unsupportedReason {
        unsupported[b.name] = why
        continue
      }
      var offset = 0
      for leaf in b.leaves {
        // A leaf list ("a/F:b/I") gives one column per leaf, named branch.leaf.
        schema.append((b.leaves.count == 1 ? b.name : "\(b.name).\(leaf.name)", leaf.dtype!))
        sources.append(ColumnSource(branch: bi, offset: offset))
        offset += leaf.dtype!.byteWidth
      }
    }
    var index: [String: Int] = [:]
    for (i, s) in schema.enumerated() {
      guard index[s.0] == nil else { throw UserError("\(path): tree \"\(tablePath)\": two branches are named \"\(s.0)\"") }
      index[s.0] = i
    }
    if schema.isEmpty, let first = branches.first(where: { unsupported[$0.name] != nil }) {
      throw UserError("\(path): tree \"\(tablePath)\": no readable branch; branch \"\(first.name)\" \(unsupported[first.name]!)")
    }
    self.schema = schema
    self.sources = sources
    self.unsupported = unsupported
    columnIndex = index
  }

  /// The tree at `requested` ("dir/tree", optional leading "/" and ";cycle"), else the only
  /// tree in the file.
  private static func chooseTree(_ listing: ROOTDirectoryListing, requested: String?) throws -> (String, ROOTKey) {
    let trees = listing.treePaths
    guard var want = requested else {
      guard trees.count == 1 else {
        if trees.isEmpty { throw ROOTFormatError(noTreeMessage(listing)) }
        throw ROOTFormatError("several trees (\(trees.joined(separator: ", "))): name one with --table (or the sample's \"table\")")
      }
      return (trees[0], listing.key(at: trees[0])!)
    }
    while want.hasPrefix("/") { want.removeFirst() }
    guard let key = listing.key(at: want) else {
      var msg = "tree \"\(want)\" not found"
      if let near = nearestName(to: want, in: trees) {
        msg += " (did you mean \"\(near)\"?)"
      } else if !trees.isEmpty {
        msg += " (the file has: \(trees.joined(separator: ", ")))"
      }
      throw ROOTFormatError(msg)
    }
    if ROOTDirectoryListing.rntupleClasses.contains(key.className) { throw ROOTFormatError(rntupleMessage(want, key)) }
    guard ROOTDirectoryListing.treeClasses.contains(key.className) else {
      throw ROOTFormatError("\"\(want)\" is a \(key.className), not a TTree")
    }
    return (want.split(separator: ";").first.map(String.init) ?? want, key)
  }

  private static func rntupleMessage(_ path: String, _ key: ROOTKey) -> String {
    "\"\(path)\" is an RNTuple (\(key.className)), ROOT's newer columnar format, which is not supported: write a TTree "
      + "(uproot: file.mktree(...) then tree.extend(...); ROOT: TTree) or convert it to HDF5"
  }

  private static func noTreeMessage(_ listing: ROOTDirectoryListing) -> String {
    if let r = listing.keys.first(where: { ROOTDirectoryListing.rntupleClasses.contains($0.key.className) }) {
      return rntupleMessage(r.path, r.key)
    }
    return "no TTree in the file"
  }

  func unavailableColumnReason(_ name: String) -> String? {
    unsupported[name].map { "branch \"\(name)\" \($0)" }
  }

  func read(columns: [String]?, rows: Range<Int>) throws -> EventTable {
    guard rows.lowerBound >= 0, rows.upperBound <= rowCount else {
      throw UserError("\(path): rows \(rows.lowerBound)..<\(rows.upperBound) outside the tree's \(rowCount) entries")
    }
    let wanted = try (columns ?? columnNames).map { name -> Int in
      guard let i = columnIndex[name] else {
        if let why = unavailableColumnReason(name) { throw UserError("\(path): tree \"\(tablePath)\": \(why)") }
        throw UserError("\(path): column \"\(name)\" not found")
      }
      return i
    }
    lock.lock()
    defer { lock.unlock() }
    do {
      return try readLocked(wanted, rows: rows)
    } catch let e as ROOTFormatError {
      throw UserError("\(path): tree \"\(tablePath)\": \(e.message)")
    }
  }

  private func readLocked(_ wanted: [Int], rows: Range<Int>) throws -> EventTable {
    // Baskets overlapping `rows`, per branch needed, in branch then basket order.
    var needed: [(branch: Int, basket: Int)] = []
    var seen = Set<Int>()
    for c in wanted where seen.insert(sources[c].branch).inserted {
      let b = sources[c].branch
      for (k, ref) in branches[b].baskets.enumerated() where ref.entries.overlaps(rows) { needed.append((b, k)) }
    }
    let todo = needed.filter { lastBasket[$0.branch]?.index != $0.basket }
    let decoded = ParallelBlocks.map(count: todo.count, blockSize: 1, threads: threads) { r -> Result<[UInt8], Error> in
      let t = todo[r.lowerBound]
      return Result {
        try ROOTBasketReader.entryBytes(file: file, branch: branches[t.branch], basket: branches[t.branch].baskets[t.basket], index: t.basket)
      }
    }
    var bytes: [Int: [Int: [UInt8]]] = [:]
    for (t, d) in zip(todo, decoded) { bytes[t.branch, default: [:]][t.basket] = try d.get() }
    for (b, cached) in lastBasket where bytes[b]?[cached.index] == nil { bytes[b, default: [:]][cached.index] = cached.bytes }

    let columns = ParallelBlocks.map(count: wanted.count, blockSize: 1, threads: threads) { r -> Column in
      let c = wanted[r.lowerBound]
      let src = sources[c]
      let branch = branches[src.branch]
      var parts: [(bytes: [UInt8], rows: Range<Int>)] = []
      for (k, ref) in branch.baskets.enumerated() where ref.entries.overlaps(rows) {
        let lo = max(rows.lowerBound, ref.entries.lowerBound), hi = min(rows.upperBound, ref.entries.upperBound)
        parts.append((bytes[src.branch]![k]!, (lo - ref.entries.lowerBound)..<(hi - ref.entries.lowerBound)))
      }
      let data = ROOTDecoder.decode(parts, total: rows.count, dtype: schema[c].dtype, stride: branch.entrySize, offset: src.offset)
      return Column(schema[c].name, data)
    }

    // Keep the basket the next block of rows starts in.
    lastBasket = [:]
    for b in seen {
      if let k = branches[b].baskets.firstIndex(where: { $0.entries.contains(rows.upperBound) && $0.entries.lowerBound < rows.upperBound }),
        let kept = bytes[b]?[k]
      {
        lastBasket[b] = (k, kept)
      }
    }
    return try EventTable(columns: columns)
  }
}
