import CascadeSupport
import Foundation
import Testing

struct CodableStage: Codable, Equatable {
  var name: String
  var threshold: Double
  var events: Int
  var passed: Bool
  var note: String?
  var scores: [Double]
}

struct CodableSummary: Codable, Equatable {
  var version: Int
  var stages: [CodableStage]
  var extra: JSONValue?
}

/// Writes `"poi": null` rather than leaving the key out.
struct WithNull: Codable, Equatable {
  var poi: String?
  enum CodingKeys: String, CodingKey { case poi }
  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(poi, forKey: .poi)
  }
}

@Suite struct JSONCodableTests {
  let sample = CodableSummary(
    version: 1,
    stages: [
      CodableStage(name: "a", threshold: 0.25, events: 10, passed: true, note: nil, scores: [0.1, -2.5e-7, 3]),
      CodableStage(name: "b\"", threshold: .nan, events: 0, passed: false, note: "x", scores: []),
    ], extra: ["z": 1, "a": [true, nil]])

  @Test func encodesInDeclarationOrderWithTheWritersFormat() throws {
    let v = try JSONValueEncoder().encode(sample)
    let byHand: JSONValue = [
      "version": 1,
      "stages": [
        ["name": "a", "threshold": 0.25, "events": 10, "passed": true, "scores": [0.1, -2.5e-7, 3]],
        ["name": "b\"", "threshold": .number(.nan), "events": 0, "passed": false, "note": "x", "scores": []],
      ],
      "extra": ["z": 1, "a": [true, nil]],
    ]
    #expect(v.serialized() == byHand.serialized())
    #expect(v.serialized(pretty: false).hasPrefix(#"{"version":1,"stages":[{"name":"a","threshold":0.25,"events":10,"passed":true,"scores":[0.1,-2.5e-07,3]}"#))
    #expect(try JSONFile.text(sample) == byHand.serialized())
  }

  @Test func roundTripsThroughText() throws {
    let text = try JSONFile.text(sample)
    let back = try JSONValueDecoder(source: "s.json").decode(CodableSummary.self, from: JSONValue.parse(text, source: "s.json"))
    #expect(back.stages[0] == sample.stages[0])
    #expect(back.stages[1].threshold.isNaN)
    #expect(back.stages[1].note == "x")
    #expect(back.extra == sample.extra)
    #expect(try JSONFile.text(back) == text)
  }

  @Test func nullIsWrittenWhenTheTypeAsksForIt() throws {
    #expect(try JSONFile.text(WithNull(poi: nil)) == "{\n  \"poi\": null\n}\n")
    let back = try JSONValueDecoder(source: "n").decode(WithNull.self, from: ["poi": nil])
    #expect(back.poi == nil)
  }

  func decode(_ text: String) throws -> CodableSummary {
    try JSONValueDecoder(source: "train-summary.json").decode(CodableSummary.self, from: JSONValue.parse(text, source: "t"))
  }

  @Test func missingKeyNamesFileAndPath() {
    #expect(throws: UserError("train-summary.json: stages[1].threshold: missing")) {
      try decode(#"{"version": 1, "stages": [{"name": "a", "threshold": 1, "events": 1, "passed": true, "scores": []},"#
        + #"{"name": "b", "events": 1, "passed": true, "scores": []}]}"#)
    }
  }

  @Test func unknownKeyNamesFileAndPath() {
    #expect(throws: UserError(#"train-summary.json: stages[0].thresold: unknown key "thresold""#)) {
      try decode(#"{"version": 1, "stages": [{"name": "a", "thresold": 1, "threshold": 1, "events": 1, "passed": true, "scores": []}]}"#)
    }
    // A misspelt optional key: the type asked for "note", which is absent.
    #expect(throws: UserError(#"train-summary.json: stages[0].nte: unknown key "nte" (did you mean "note"?)"#)) {
      try decode(#"{"version": 1, "stages": [{"name": "a", "nte": "x", "threshold": 1, "events": 1, "passed": true, "scores": []}]}"#)
    }
    #expect(throws: UserError(#"train-summary.json: verzion: unknown key "verzion""#)) {
      try decode(#"{"version": 1, "stages": [], "verzion": 2}"#)
    }
  }

  @Test func wrongTypeNamesFileAndPath() {
    #expect(throws: UserError("train-summary.json: stages[0].events: expected an integer, found 1.5")) {
      try decode(#"{"version": 1, "stages": [{"name": "a", "threshold": 1, "events": 1.5, "passed": true, "scores": []}]}"#)
    }
    #expect(throws: UserError("train-summary.json: stages[0].scores[1]: expected a number, found string")) {
      try decode(#"{"version": 1, "stages": [{"name": "a", "threshold": 1, "events": 1, "passed": true, "scores": [1, "x"]}]}"#)
    }
    #expect(throws: UserError("train-summary.json: stages: expected an array, found object")) {
      try decode(#"{"version": 1, "stages": {}}"#)
    }
    #expect(throws: UserError("train-summary.json: (root): expected an object, found array")) { try decode("[]") }
  }

  @Test func integersOfEveryWidthRoundTrip() throws {
    struct Widths: Codable, Equatable {
      var a: Int64
      var b: UInt8
      var c: [Int16]
      var d: UInt64
    }
    let w = Widths(a: -5, b: 200, c: [1, -2], d: 1 << 40)
    let v = try JSONValueEncoder().encode(w)
    #expect(v.serialized(pretty: false) == #"{"a":-5,"b":200,"c":[1,-2],"d":1099511627776}"#)
    #expect(try JSONValueDecoder(source: "w").decode(Widths.self, from: v) == w)
    #expect(throws: UserError("w: b: integer 300 out of range")) {
      try JSONValueDecoder(source: "w").decode(Widths.self, from: ["a": 1, "b": 300, "c": [], "d": 0])
    }
  }

  @Test func loadAndWriteGoThroughFiles() throws {
    let dir = NSTemporaryDirectory() + "jsoncodable-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try JSONFile.write(sample, to: dir + "/s.json")
    let back = try JSONFile.load(CodableSummary.self, from: dir + "/s.json")
    #expect(back.stages[0] == sample.stages[0])
    #expect(throws: UserError(dir + "/none.json: not found")) { try JSONFile.load(CodableSummary.self, from: dir + "/none.json") }
  }
}
