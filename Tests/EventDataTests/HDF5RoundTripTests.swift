import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

@Suite struct HDF5RoundTripTests {
  @Test(arguments: [0, 1, 2, 9, 10, 11, 37])
  func writeReadAllTypes(rows: Int) throws {
    let dir = TestPaths.temporaryDirectory()
    let table = try allTypesTable(rows: rows)
    // chunk = rows − 1, rows, rows + 1 (and the default) all read back identically.
    for chunk in [max(1, rows - 1), max(1, rows), rows + 1, 65_536] {
      let path = dir + "/t\(chunk).h5"
      try writeEventFile(table, to: path, options: EventFileWriteOptions(gzipLevel: 4, chunkRows: chunk))
      let reader = try openEventFile(path)
      #expect(reader.layout == .columns)
      #expect(reader.tablePath == "/events")
      #expect(reader.rowCount == rows)
      expectIdentical(try reader.readAll(), table, "rows \(rows) chunk \(chunk)")
      // Hyperslab reads of arbitrary row ranges.
      if rows > 3 {
        expectIdentical(try reader.read(columns: ["u64", "f64"], rows: 2..<(rows - 1)),
          try table.slice(2..<(rows - 1)).selecting(["u64", "f64"]), "slice")
      }
    }
  }

  @Test func bytesDependOnlyOnContents() throws {
    let dir = TestPaths.temporaryDirectory()
    let table = try allTypesTable(rows: 1000)
    let options = EventFileWriteOptions(gzipLevel: 6, chunkRows: 64, attributes: ["b": "{\"x\":1}", "a": "provenance"])
    try writeEventFile(table, to: dir + "/one.h5", options: options)
    // Streamed in uneven blocks: the same bytes (rows are buffered into whole chunks).
    let w = try createEventFileWriter(dir + "/many.h5", schema: table.schema, options: options)
    var start = 0
    for size in [1, 63, 64, 65, 200, 7, 600] {
      let end = min(1000, start + size)
      try w.append(table.slice(start..<end))
      start = end
    }
    try w.finish()
    let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/one.h5"))
    let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/many.h5"))
    #expect(a == b)
    // And again later (no time stamps in the file).
    Thread.sleep(forTimeInterval: 1.1)
    try writeEventFile(table, to: dir + "/again.h5", options: options)
    #expect(a == (try Data(contentsOf: URL(fileURLWithPath: dir + "/again.h5"))))
    #expect(try readEventFileAttributes(dir + "/one.h5") == ["a": "provenance", "b": "{\"x\":1}"])
  }

  @Test func uncompressedAndCustomGroup() throws {
    let dir = TestPaths.temporaryDirectory()
    let table = try allTypesTable(rows: 50)
    try writeEventFile(table, to: dir + "/x.hdf5", options: EventFileWriteOptions(gzipLevel: 0, chunkRows: 8, table: "/run/sample"))
    let r = try openEventFile(dir + "/x.hdf5", options: EventFileOptions(table: "run/sample"))
    #expect(r.tablePath == "/run/sample")
    expectIdentical(try r.readAll(), table)
    // /events is absent and /run is the only top-level object: picked, but it holds no datasets.
    #expect(userErrorMessage { _ = try openEventFile(dir + "/x.hdf5") } == "\(dir)/x.hdf5: group \"/run\" contains no datasets")
  }

  @Test func writerLeavesNothingWhenDropped() throws {
    let dir = TestPaths.temporaryDirectory()
    do {
      let w = try createEventFileWriter(dir + "/partial.h5", schema: [("x", .float64)])
      try w.append(try EventTable(columns: [Column("x", .float64([1, 2]))]))
    }
    do {
      let w = try createEventFileWriter(dir + "/partial.csv", schema: [("x", .float64)])
      try w.append(try EventTable(columns: [Column("x", .float64([1, 2]))]))
    }
    #expect(listFiles(dir).isEmpty)
  }

  @Test func blocksCoverTheTable() throws {
    let dir = TestPaths.temporaryDirectory()
    let table = try allTypesTable(rows: 100)
    try writeEventFile(table, to: dir + "/t.h5", options: EventFileWriteOptions(chunkRows: 16))
    let r = try openEventFile(dir + "/t.h5")
    var blocks: [EventTable] = []
    try r.forEachBlock(of: 30) { range, block in
      #expect(block.rowCount == range.count)
      blocks.append(block)
    }
    #expect(blocks.count == 4)
    expectIdentical(try EventTable.concatenate(blocks), table)
  }
}
