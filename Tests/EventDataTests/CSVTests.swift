import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

@Suite struct CSVTests {
  @Test func parsesQuotesCRLFMissingAndSpellings() throws {
    let dir = TestPaths.temporaryDirectory()
    let text = "\u{FEFF}\"pt\";\"e;ta\";n;ok;\"w \"\"x\"\"\"\r\n"
      + "1.5;\"-2\";3;true;NaN\r\n"
      + "\r\n"
      + " 2e3 ;;-4;FALSE;-INF\r\n"
      + "inf;+0.25;5;True;Infinity\r\n"
    let path = writeText(text, "t.txt", in: dir)
    let r = try openEventFile(path, options: EventFileOptions(delimiter: UInt8(ascii: ";")))
    #expect(r.layout == .csv)
    #expect(r.tablePath == "t.txt")
    #expect(r.columnNames == ["pt", "e;ta", "n", "ok", "w \"x\""])
    #expect(r.schema.map(\.dtype) == [.float64, .float64, .int64, .bool, .float64])
    #expect(r.rowCount == 3)
    let t = try r.readAll()
    #expect(try t.column(named: "pt").float64Values() == [1.5, 2000, .infinity])
    let eta = try t.column(named: "e;ta").float64Values()
    #expect(eta[0] == -2 && eta[1].isNaN && eta[2] == 0.25)
    #expect(try t.column(named: "n").data == .int64([3, -4, 5]))
    #expect(try t.column(named: "ok").data == .bool([true, false, true]))
    let w = try t.column(named: "w \"x\"").float64Values()
    #expect(w[0].isNaN && w[1] == -.infinity && w[2] == .infinity)
  }

  @Test func typeInference() throws {
    let dir = TestPaths.temporaryDirectory()
    // int64 only when every cell is an integer that fits; a missing cell makes it float64;
    // true/false in a numeric column read as 1/0; a header-only file has float64 columns.
    let path = writeText(
      "a,b,c,d,e\n1,1,9223372036854775807,1,x\n-2,,9223372036854775808,true,1\n", "t.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(path) } == "\(path): line 2, column \"e\": \"x\" is not a number")
    let ok = writeText("a,b,c,d\n1,1,9223372036854775807,1\n-2,,-9223372036854775808,true\n3,4,0,2.5\n", "u.csv", in: dir)
    let r = try openEventFile(ok)
    #expect(r.schema.map(\.dtype) == [.int64, .float64, .int64, .float64])
    let t = try r.readAll()
    #expect(try t.column(named: "c").data == .int64([.max, .min, 0]))
    #expect(try t.column(named: "d").float64Values() == [1, 1, 2.5])
    let big = writeText("c\n9223372036854775808\n", "big.csv", in: dir)
    #expect(try openEventFile(big).schema[0].dtype == .float64)
    let header = writeText("x,y\n", "h.csv", in: dir)
    let h = try openEventFile(header)
    #expect(h.rowCount == 0 && h.schema.map(\.dtype) == [.float64, .float64])
    #expect(try h.readAll().rowCount == 0)
  }

  /// Clinger's fast path and the strtod fallback agree with strtod on every spelling.
  @Test func numbersParseLikeStrtod() throws {
    var rng = TestRNG(7)
    var cells: [String] = ["0", "-0", "0.0", "1e308", "1e309", "2.2250738585072014e-308", "4.9e-324", "1e-400",
      "123456789012345678901234567890", "0.000000000000000000000000000123", "9007199254740993", "1.7976931348623157e308",
      ".5", "5.", "-.5e-3", "1E+2"]
    for _ in 0..<20000 {
      let bits = rng.next()
      let d = Double(bitPattern: bits & 0x7FEF_FFFF_FFFF_FFFF)
      let x = (rng.uniform() - 0.5) * pow(10, Double(Int(rng.next() % 40)) - 20)
      cells += ["\(d)", "\(x)", String(format: "%.6g", x), String(format: "%.17g", x), String(format: "%.3f", x),
        String(format: "%.18e", x), "\(Float(x))", String(format: "%.16g", d)]
    }
    // Halfway cases between adjacent doubles (exactly representable as 19+ digit decimals).
    for k in 0..<2000 {
      let a = Double(bitPattern: 0x3FF0_0000_0000_0000 &+ rng.next() % (1 << 52))
      let mid = (Decimal(a) + Decimal(a.nextUp)) / 2
      cells.append("\(mid)")
      _ = k
    }
    for c in cells {
      let bytes = Array(c.utf8)
      let ours = bytes.withUnsafeBufferPointer { CSVScan.parseDouble($0.baseAddress!, 0, bytes.count) } ?? .nan
      #expect(CSVScan.classify(bytes.withUnsafeBufferPointer { $0.baseAddress! }, 0, bytes.count) != 0, "\(c)")
      #expect(ours.bitPattern == strtod(c, nil).bitPattern, "\(c)")
    }
  }

  @Test(arguments: [0, 1, 2, 25, 1000])
  func tableToCSVToTableToCSV(rows: Int) throws {
    let dir = TestPaths.temporaryDirectory()
    var rng = TestRNG(UInt64(rows))
    let specials: [Double] = [.nan, .infinity, -.infinity, -0.0, 5e-324, .greatestFiniteMagnitude, 1e-7, 0.1]
    let f = (0..<rows).map { i in i < specials.count ? specials[i] : (rng.uniform() - 0.5) * pow(10, Double(Int(rng.next() % 30)) - 15) }
    let table = try EventTable(columns: [
      Column("x", .float64(f)),
      Column("n", .int64((0..<rows).map { i in i == 0 ? .min : Int64(bitPattern: rng.next()) })),
      Column("ok", .bool((0..<rows).map { _ in rng.next() & 1 == 0 })),
    ])
    try writeEventFile(table, to: dir + "/a.csv")
    let back = try openEventFile(dir + "/a.csv").readAll()
    if rows > 0 {
      expectIdentical(back, table)
    } else {
      #expect(back.columnNames == ["x", "n", "ok"] && back.rowCount == 0)
    }
    try writeEventFile(back, to: dir + "/b.csv")
    let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.csv"))
    let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.csv"))
    #expect(a == b)
  }

  @Test func float32ValuesRoundTripThroughText() throws {
    let dir = TestPaths.temporaryDirectory()
    var rng = TestRNG(3)
    let v = (0..<500).map { _ in Float((rng.uniform() - 0.5) * 1000) }
    try writeEventFile(try EventTable(columns: [Column("f", .float32(v))]), to: dir + "/f.csv")
    // Read as float64, the shortest float32 text converts back to the same Float.
    let back = try openEventFile(dir + "/f.csv").readAll().column(named: "f").float32Values()
    #expect(back == v)
  }

  /// Tiny inference and parse blocks, 1 or 4 threads: identical tables.
  @Test func parallelSplitIsDeterministic() throws {
    let dir = TestPaths.temporaryDirectory()
    var rng = TestRNG(11)
    var text = "a,b,c\n"
    for i in 0..<2000 {
      text += "\(rng.uniform()),\(Int(rng.next() % 1000)),\(i % 7 == 0 ? "" : String(rng.uniform()))\(i % 3 == 0 ? "\r\n" : "\n")"
      if i % 500 == 0 { text += "\n" }
    }
    let path = writeText(text, "p.csv", in: dir)
    let reference = try CSVEventReader(path: path, options: EventFileOptions(threads: 1), scanBlockBytes: 1 << 30, parseBlockRows: 1 << 30).readAll()
    #expect(reference.rowCount == 2000)
    for (bytes, rows, threads) in [(1, 1, 4), (37, 13, 4), (4096, 100, 2), (100, 7, 1)] {
      let r = try CSVEventReader(path: path, options: EventFileOptions(threads: threads), scanBlockBytes: bytes, parseBlockRows: rows)
      expectIdentical(try r.readAll(), reference, "blocks \(bytes)/\(rows)")
      expectIdentical(try r.read(columns: ["c", "a"], rows: 17..<1500), try reference.slice(17..<1500).selecting(["c", "a"]))
    }
  }

  @Test func tsvUsesTabs() throws {
    let dir = TestPaths.temporaryDirectory()
    let path = writeText("a\tb\n1\t2.5\n", "t.tsv", in: dir)
    let t = try openEventFile(path).readAll()
    #expect(try t.column(named: "b").float64Values() == [2.5])
    try writeEventFile(t, to: dir + "/o.tsv")
    #expect(try String(contentsOfFile: dir + "/o.tsv", encoding: .utf8) == "a\tb\n1\t2.5\n")
  }
}
