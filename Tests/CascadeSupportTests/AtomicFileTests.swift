import CascadeSupport
import Foundation
import TestSupport
import Testing

@Suite struct AtomicFileTests {
  @Test func failedWriteLeavesPreviousContent() throws {
    let dir = TestPaths.temporaryDirectory()
    let path = dir + "/out.txt"
    try AtomicFile.write("old", to: path)
    struct Boom: Error {}
    #expect(throws: Boom.self) {
      try AtomicFile.withTemporaryPath(for: path) { tmp in
        try "partial".write(toFile: tmp, atomically: false, encoding: .utf8)
        throw Boom()
      }
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
    #expect(listFiles(dir) == ["out.txt"])
  }

  @Test func parallelBlocksAreThreadCountIndependent() {
    let x = (0..<100_003).map { sin(Double($0)) * 1e3 }
    func sum(_ threads: Int) -> Double {
      ParallelBlocks.map(count: x.count, blockSize: 4096, threads: threads) { r in r.reduce(0.0) { $0 + x[$1] } }
        .reduce(0, +)
    }
    #expect(sum(1).bitPattern == sum(2).bitPattern)
    #expect(sum(1).bitPattern == sum(7).bitPattern)
  }

  @Test func stableHashIsFNV1a() {
    var h = StableHash()
    h.combine("a")
    #expect(h.hex == "af63dc4c8601ec8c")
  }
}

@Suite struct CSVFieldTests {
  @Test func quotesOnlyWhatWouldReadBackDifferently() {
    #expect(CSVField.quoted("CR_top") == "CR_top")
    #expect(CSVField.quoted("a,b") == "\"a,b\"")
    #expect(CSVField.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVField.quoted("two\nlines") == "\"two\nlines\"")
    #expect(CSVField.quoted(" padded") == "\" padded\"")
    #expect(CSVField.quoted("a\tb", delimiter: UInt8(ascii: "\t")) == "\"a\tb\"")
    #expect(CSVField.quoted("a;b") == "a;b")
  }
}
