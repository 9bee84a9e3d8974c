import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

/// Every kind of bad input gives one line naming the file and the row/column at fault.
@Suite struct BadInputTests {
  let dir = TestPaths.temporaryDirectory()

  @Test func missingFile() {
    #expect(userErrorMessage { _ = try openEventFile(dir + "/nope.h5") } == "\(dir)/nope.h5: no such file")
    #expect(userErrorMessage { _ = try openEventFile(dir) } == "\(dir): is a directory, not an event file")
  }

  @Test func notHDF5() {
    let p = writeText("a,b\n1,2\n", "fake.h5", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(p) } == "\(p): not an HDF5 file (no HDF5 signature)")
    let e = writeText("", "empty.h5", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(e) } == "\(e): empty file (not HDF5)")
  }

  @Test func truncatedHDF5() throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture("hdf5/h5py_columns.h5")))
    for keep in [100, bytes.count / 2, bytes.count - 100] {
      let p = dir + "/trunc\(keep).h5"
      try bytes.prefix(keep).write(to: URL(fileURLWithPath: p))
      let message = userErrorMessage {
        let r = try openEventFile(p)
        _ = try EventFileSummary.compute(r)
      }
      #expect(message?.hasPrefix(p + ": ") == true, "\(keep): \(message ?? "no error")")
      #expect(message?.contains("truncated or corrupt") == true, "\(keep): \(message ?? "no error")")
    }
  }

  @Test func corruptCompressedChunk() throws {
    let path = dir + "/c.h5"
    let table = try EventTable(columns: [Column("x", .float64((0..<5000).map { Double($0) * 0.37 }))])
    try writeEventFile(table, to: path, options: EventFileWriteOptions(gzipLevel: 6, chunkRows: 1000))
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    // Scramble the middle of the file (compressed chunk data; metadata sits at the start).
    for i in stride(from: bytes.count / 2, to: bytes.count / 2 + 400, by: 1) { bytes[i] ^= 0x5A }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let message = userErrorMessage { _ = try openEventFile(path).readAll() }
    #expect(message?.hasPrefix(path + ": cannot read \"x\"") == true, "\(message ?? "no error")")
  }

  @Test func unknownTablePath() {
    let p = TestPaths.fixture("hdf5/h5py_columns.h5")
    #expect(userErrorMessage { _ = try openEventFile(p, options: EventFileOptions(table: "/event")) }
      == "\(p): table \"/event\" not found (did you mean \"/events\"?)")
    let two = TestPaths.fixture("hdf5/two_tables.h5")
    #expect(userErrorMessage { _ = try openEventFile(two) }
      == "\(two): no /events table and several candidates (/background, /signal): name one with --table")
    #expect(try! openEventFile(two, options: EventFileOptions(table: "signal")).rowCount == 3)
  }

  @Test func missingColumnWithSuggestion() throws {
    let p = TestPaths.fixture("hdf5/h5py_compound.h5")
    let r = try openEventFile(p)
    #expect(userErrorMessage { _ = try r.read(columns: ["lep_ptt"], rows: 0..<1) }
      == "\(p): column \"lep_ptt\" not found (did you mean \"lep_pt\"?)")
    let c = writeText("alpha,beta\n1,2\n", "c.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(c).read(columns: ["alpah"], rows: 0..<1) }
      == "\(c): column \"alpah\" not found (did you mean \"alpha\"?)")
  }

  @Test func unsupportedDtype() {
    let p = TestPaths.fixture("hdf5/strings.h5")
    #expect(userErrorMessage { _ = try openEventFile(p) }
      == "\(p): column \"label\" has unsupported dtype string (only numeric and bool columns can be read)")
  }

  @Test func columnsOfDifferentLengths() {
    let p = TestPaths.fixture("hdf5/ragged_group.h5")
    #expect(userErrorMessage { _ = try openEventFile(p) } == "\(p): column \"b\" has 4 rows, \"a\" has 3")
  }

  @Test func raggedCSVRow() {
    let p = writeText("a,b,c\n1,2,3\n\n4,5\n6,7,8\n", "r.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(p) } == "\(p): line 4: 2 fields, the header has 3")
    let q = writeText("a,b\n1,2,3\n", "q.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(q) } == "\(q): line 2: 3 fields, the header has 2")
  }

  @Test func nonNumericCell() {
    let p = writeText("pt,eta\r\n1,2\r\n3,abc\r\n", "n.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(p) } == "\(p): line 3, column \"eta\": \"abc\" is not a number")
    // Number characters in an impossible order are caught when the values are parsed.
    let m = writeText("pt,eta\n1,2\n3,1.2.3\n", "m.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(m).readAll() } == "\(m): line 3, column \"eta\": \"1.2.3\" is not a number")
    let e = writeText("pt,eta\n1,-\n", "e.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(e).readAll() } == "\(e): line 2, column \"eta\": \"-\" is not a number")
    let q = writeText("pt\n1\n\"2\n", "q.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(q) } == "\(q): line 3: unterminated or misplaced quote")
  }

  @Test func duplicateColumnNames() {
    let p = writeText("a,b,a\n1,2,3\n", "d.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(p) } == "\(p): line 1: duplicate column name \"a\"")
    #expect(userErrorMessage { try writeEventFile(EventTable(), to: self.dir + "/x.h5") } == nil)
    #expect(userErrorMessage { _ = try createEventFileWriter(self.dir + "/d.h5", schema: [("a", .float32), ("a", .int8)]) }
      == "\(dir)/d.h5: duplicate column name \"a\"")
  }

  @Test func emptyFile() {
    let p = writeText("", "e.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(p) } == "\(p): empty file (expected a header row)")
    let q = writeText("\n1\n", "h.csv", in: dir)
    #expect(userErrorMessage { _ = try openEventFile(q) } == "\(q): line 1: empty header (expected column names)")
  }

  @Test func unknownOutputFormat() {
    #expect(userErrorMessage { _ = try createEventFileWriter(self.dir + "/x.parquet", schema: [("a", .float32)]) }
      == "\(dir)/x.parquet: unknown output format (use .csv, .tsv, .txt, .h5 or .hdf5)")
  }
}
