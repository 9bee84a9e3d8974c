import CascadeSupport
import Foundation
import Testing

@testable import EventData

/// The eight-bytes-at-a-time CSV kernels against plain byte loops, on random text.
@Suite struct CSVWordScanTests {
  /// Byte strings from a small alphabet (delimiters, quotes, blanks, digits, CR) so every
  /// position of a match inside and across 8-byte words occurs.
  static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var g = SplitMix64(seed: seed)
    let alphabet = Array("0123456789,;\" \t.e-\r".utf8)
    return (0..<count).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] }
  }

  @Test func firstByteMatchesByteLoop() {
    let bytes = Self.randomBytes(4_000, seed: 1)
    bytes.withUnsafeBufferPointer { b in
      let p = b.baseAddress!
      var g = SplitMix64(seed: 2)
      for _ in 0..<3_000 {
        let from = Int(g.next() % 3_990)
        let end = from + Int(g.next() % UInt64(min(60, 4_000 - from) + 1))
        for delim in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
          var expected = from
          while expected < end && p[expected] != delim { expected += 1 }
          #expect(CSVScan.firstByte(delim, p, from, end) == expected)
        }
      }
    }
  }

  /// A byte-at-a-time reference of the mantissa and end of a digit run.
  static func referenceRun(_ p: UnsafePointer<UInt8>, _ from: Int, _ e: Int, _ start: UInt64) -> (Int, UInt64) {
    var m = start
    var i = from
    while i < e, p[i] &- 48 < 10 {
      m = m &* 10 &+ UInt64(p[i] &- 48)
      i += 1
    }
    return (i, m)
  }

  @Test func digitRunMatchesByteLoop() {
    var g = SplitMix64(seed: 3)
    for _ in 0..<5_000 {
      // Digit runs of 0…40 digits (wrapping past 19), then a non-digit or the end.
      let n = Int(g.next() % 41)
      var text = (0..<n).map { _ in UInt8(48 + g.next() % 10) }
      if g.next() % 2 == 0 { text.append(Array(".e,:/ ".utf8)[Int(g.next() % 6)]) }
      text += Array("123456789".utf8)  // bytes after the field end must not be read as digits
      let e = n + (text.count > n + 9 ? 1 : 0)
      let start = g.next() % 1000
      text.withUnsafeBufferPointer { b in
        var m = start
        let end = CSVScan.digitRun(b.baseAddress!, 0, e, &m)
        let (refEnd, refM) = Self.referenceRun(b.baseAddress!, 0, e, start)
        #expect(end == refEnd)
        #expect(m == refM)
      }
    }
  }

  @Test func parseDoubleMatchesStrtodOnRandomNumbers() {
    var g = SplitMix64(seed: 4)
    for _ in 0..<20_000 {
      let intDigits = Int(g.next() % 12), fracDigits = Int(g.next() % 22)
      var s = g.next() % 3 == 0 ? "-" : ""
      s += String((0..<intDigits).map { _ in Character(String(g.next() % 10)) })
      if fracDigits > 0 { s += "." + String((0..<fracDigits).map { _ in Character(String(g.next() % 10)) }) }
      if intDigits == 0 && fracDigits == 0 { s += "0" }
      if g.next() % 4 == 0 { s += "e\(Int(g.next() % 60) - 30)" }
      let bytes = Array(s.utf8)
      let parsed = bytes.withUnsafeBufferPointer { CSVScan.parseDouble($0.baseAddress!, 0, bytes.count) }
      let reference = strtod(s, nil)
      #expect(parsed?.bitPattern == reference.bitPattern, "\(s)")
    }
  }

  /// Field splitting on random lines (quotes, blanks, delimiters at every offset) against a
  /// reader built with tiny blocks and one thread: the word scan gives the same cells.
  @Test func fieldsMatchByteReference() {
    var g = SplitMix64(seed: 5)
    for _ in 0..<2_000 {
      let line = Self.randomBytes(Int(g.next() % 70) + 1, seed: g.next()).filter { $0 != 13 }
      line.withUnsafeBufferPointer { b in
        let p = b.baseAddress!
        var pos = 0
        while true {
          let f = CSVScan.field(p, pos, line.count, UInt8(ascii: ","))
          if !f.badQuote && p[f.start > 0 ? f.start - 1 : 0] != CSVScan.quote {
            // Unquoted: content is the trimmed text up to the next comma.
            var end = pos
            while end < line.count && p[end] != UInt8(ascii: ",") { end += 1 }
            #expect(f.next == (end < line.count ? end + 1 : line.count))
            #expect(f.isLast == (end >= line.count))
          }
          if f.isLast { break }
          pos = f.next
        }
      }
    }
  }
}
