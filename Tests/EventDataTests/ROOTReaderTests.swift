import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

/// The ROOT reader against the fixtures of Tests/Fixtures/root (see its README): values are
/// recomputed from the formulas the fixtures were written with.
@Suite struct ROOTReaderTests {
  static let rows = 60

  /// `columns()` of make_fixtures.py, entry by entry.
  static func expectedFlat() throws -> EventTable {
    let k = Array(0..<rows)
    return try EventTable(columns: [
      Column("b", .bool(k.map { $0 % 3 == 0 })),
      Column("i1", .int8(k.map { Int8($0 % 256 - 128) })),
      Column("u1", .uint8(k.map { UInt8($0 * 4 % 256) })),
      Column("i2", .int16(k.map { Int16($0 * 1000 - 30000) })),
      Column("u2", .uint16(k.map { UInt16($0 * 1000) })),
      Column("i4", .int32(k.map { Int32($0 * 70_000_000 - 2_000_000_000) })),
      Column("u4", .uint32(k.map { UInt32($0 * 70_000_000) })),
      Column("i8", .int64(k.map { Int64($0) * 100_000_000_000_000_000 - 3_000_000_000_000_000_000 })),
      Column("u8", .uint64(k.map { UInt64($0) * 300_000_000_000_000_000 })),
      Column("f4", .float32(k.map { Float($0) * 0.5 })),
      Column("f8", .float64(k.map { Double($0) * 0.25 - 3 })),
    ])
  }

  static func rootWritten(_ n: Int) throws -> EventTable {
    let k = Array(0..<n)
    return try EventTable(columns: [
      Column("x", .float32(k.map { Float($0) * 0.5 })),
      Column("y", .float64(k.map { Double($0) * 0.25 - 3 })),
      Column("i", .int32(k.map { Int32($0 - 50) })),
      Column("pair.a", .float32(k.map { Float($0) })),
      Column("pair.b", .float32(k.map { -Float($0) })),
    ])
  }

  func open(_ name: String, table: String? = nil, threads: Int = 0) throws -> EventFileReader {
    try openEventFile(TestPaths.fixture("root/" + name), options: EventFileOptions(table: table, threads: threads))
  }

  @Test func everyLeafType() throws {
    let r = try open("flat.root")
    #expect(r.layout == .root)
    #expect(r.tablePath == "events")
    #expect(r.rowCount == Self.rows)
    let expected = try Self.expectedFlat()
    #expect(r.schema.map(\.name) == expected.columnNames)
    #expect(r.schema.map(\.dtype) == expected.schema.map(\.dtype))
    #expect(try r.readAll() == expected)
  }

  @Test func everyCompression() throws {
    let flat = try Self.expectedFlat()
    let want = try flat.selecting(["i8", "f8"])
    for tree in ["zlib", "lz4", "zstd", "lzma", "none"] {
      let r = try open("compressions.root", table: tree)
      #expect(r.tablePath == tree)
      #expect(try r.readAll() == want, "\(tree)")
    }
  }

  /// Row ranges that start and stop inside baskets, in any block size and thread count,
  /// give exactly the rows of a whole read.
  @Test func rowRangesAcrossBaskets() throws {
    let full = try Self.expectedFlat()
    for threads in [1, 3] {
      let r = try open("flat.root", threads: threads)
      for (lo, hi) in [(0, 1), (3, 21), (8, 16), (59, 60), (7, 9), (20, 20)] {
        #expect(try r.read(columns: ["f4", "i2"], rows: lo..<hi) == full.slice(lo..<hi).selecting(["f4", "i2"]))
      }
      for size in [1, 5, 7, 13, 60] {
        var parts: [EventTable] = []
        try r.forEachBlock(of: size) { _, t in parts.append(t) }
        #expect(try EventTable.concatenate(parts) == full, "block \(size), threads \(threads)")
      }
    }
  }

  @Test func rootWrittenCyclesDirectoriesLeafLists() throws {
    // The highest cycle wins; an explicit cycle picks the older one.
    let latest = try open("root_written.root", table: "events")
    #expect(latest.rowCount == 30)
    #expect(try latest.readAll() == Self.rootWritten(30))
    let first = try open("root_written.root", table: "events;1")
    #expect(try first.readAll() == Self.rootWritten(20))
    let inner = try open("root_written.root", table: "/sub/inner")
    #expect(inner.tablePath == "sub/inner")
    #expect(try inner.readAll() == Self.rootWritten(5))
    let nt = try open("root_written.root", table: "nt")
    let k = (0..<7).map(Float.init)
    #expect(try nt.readAll() == EventTable(columns: [Column("a", .float32(k)), Column("b", .float32(k.map { 2 * $0 })), Column("c", .float32(k.map { 3 * $0 }))]))
  }

  @Test func embeddedBasket() throws {
    let r = try open("embedded.root")
    #expect(try r.readAll() == Self.rootWritten(12))
    #expect(try r.read(columns: ["y"], rows: 5..<7) == Self.rootWritten(12).slice(5..<7).selecting(["y"]))
  }

  @Test func unsupportedBranchesAndObjects() throws {
    let path = TestPaths.fixture("root/root_written.root")
    let r = try open("root_written.root", table: "events")
    #expect(!r.columnNames.contains("vec"))
    let want = "\(path): branch \"vec\" has type vector<float> (TBranchElement): only flat numeric branches can be read"
    #expect(userErrorMessage { try r.requireColumns(["x", "vec"]) } == want)
    #expect(userErrorMessage { _ = try r.read(columns: ["vec"], rows: 0..<1) } == "\(path): tree \"events\": branch \"vec\" has type vector<float> (TBranchElement): only flat numeric branches can be read")
    #expect(userErrorMessage { _ = try open("root_written.root") } == "\(path): several trees (events, sub/inner, nt): name one with --table (or the sample's \"table\")")
    #expect(userErrorMessage { _ = try open("root_written.root", table: "evnts") } == "\(path): tree \"evnts\" not found (did you mean \"events\"?)")
    #expect(userErrorMessage { _ = try open("root_written.root", table: "sub") } == "\(path): \"sub\" is a TDirectory, not a TTree")
    let rn = TestPaths.fixture("root/rntuple.root")
    #expect(userErrorMessage { _ = try openEventFile(rn) }?.hasPrefix("\(rn): \"ntuple\" is an RNTuple (ROOT::RNTuple), ROOT's newer columnar format, which is not supported") == true)
  }

  @Test func formatDetection() throws {
    let dir = TestPaths.temporaryDirectory()
    // The ROOT magic wins over the extension; a .root file without it is named as such.
    let copy = dir + "/flat.dat"
    try FileManager.default.copyItem(atPath: TestPaths.fixture("root/flat.root"), toPath: copy)
    #expect(try openEventFile(copy).layout == .root)
    let fake = writeText("a,b\n1,2\n", "fake.root", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(fake) } == "\(fake): not a ROOT file (no \"root\" magic)")
    // Binary data of another kind: one clean line, no raw bytes.
    let bin = dir + "/random.csv"
    var rng = TestRNG(7)
    try Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: URL(fileURLWithPath: bin))
    #expect(userErrorMessage { _ = try openEventFile(bin) } == "\(bin): not an event file: binary data that is neither CSV, HDF5 nor ROOT")
    // Text with a control character echoed from a field is sanitised.
    let ctl = writeText("a,b\n1,x\u{1B}[31m\n" + String(repeating: "1,2\n", count: 50), "ctl.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(ctl).readAll() } == "\(ctl): line 2, column \"b\": \"x?[31m\" is not a number")
  }

  @Test func xxhash64KnownValues() {
    func h(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { XXHash64.hash($0) } }
    #expect(h("") == 0xEF46_DB37_51D8_E999)
    #expect(h("a") == 0xD24E_C4F1_A98C_6E5B)
    #expect(h("Nobody inspects the spammish repetition") == 0xFBCE_A83C_8A37_8BF1)
  }

  /// Truncations and bit flips anywhere: a one-line error naming the file, or (a flip in
  /// bytes that do not matter) a successful read — never a crash.
  @Test func fuzzTruncationsAndBitFlips() throws {
    let dir = TestPaths.temporaryDirectory()
    for fixture in ["flat.root", "root_written.root", "embedded.root"] {
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("root/" + fixture))))
      var rng = TestRNG(11)
      for trial in 0..<120 {
        var mutated = bytes
        if trial % 3 == 0 {
          mutated = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
        } else {
          for _ in 0..<(1 + trial % 4) {
            let at = Int(rng.next() % UInt64(bytes.count))
            mutated[at] ^= UInt8(1) << (rng.next() % 8)
          }
        }
        let p = dir + "/fuzz.root"
        try Data(mutated).write(to: URL(fileURLWithPath: p))
        let table = fixture == "root_written.root" ? "events" : nil
        if let message = userErrorMessage({
          let r = try openEventFile(p, options: EventFileOptions(table: table))
          _ = try EventFileSummary.compute(r, blockRows: 7)
        }) {
          #expect(message.hasPrefix(p + ": "), "\(fixture) trial \(trial): \(message)")
          #expect(!message.contains("\n"), "\(fixture) trial \(trial)")
          #expect(message.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }, "\(fixture) trial \(trial): \(message)")
        }
      }
    }
  }
}
