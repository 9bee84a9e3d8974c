import CascadeSupport
import Testing

@Suite struct JSONTests {
  @Test func roundTripKeepsKeyOrderAndNumbers() throws {
    let text = #"{"b": 1, "a": [0.1, -2.5e-7, 3], "c": {"x": "q\"\n"}, "d": null, "e": true}"#
    let v = try JSONValue.parse(text, source: "t")
    #expect(v["b"] == .number(1))
    #expect(v["a"]?.arrayValue?.count == 3)
    #expect(v["c"]?["x"] == .string("q\"\n"))
    let again = try JSONValue.parse(v.serialized(), source: "t2")
    #expect(again == v)
    #expect(v.serialized(pretty: false) == #"{"b":1,"a":[0.1,-2.5e-07,3],"c":{"x":"q\"\n"},"d":null,"e":true}"#)
  }

  @Test func errorsNameLineAndColumn() {
    #expect(throws: UserError("f.json: invalid JSON at line 2, column 9: expected ',' or '}'")) {
      try JSONValue.parse("{\"a\": 1,\n \"b\": 2 \"c\"}", source: "f.json")
    }
    #expect(throws: UserError.self) { try JSONValue.parse("[1, 2", source: "x") }
    #expect(throws: UserError.self) { try JSONValue.parse("{\"a\":1, \"a\":2}", source: "x") }
    #expect(throws: UserError.self) { try JSONValue.parse("01x", source: "x") }
  }

  @Test func cursorSuggestsNearestKey() throws {
    let v = try JSONValue.parse(#"{"stages": [{"nmae": "x"}]}"#, source: "c.json")
    let root = try JSONCursor(v, source: "c.json").object(allowed: ["stages"])
    let stage = try root.required("stages").array()[0]
    #expect(throws: UserError(#"c.json: stages[0].nmae: unknown key "nmae" (did you mean "name"?)"#)) {
      try stage.object(allowed: ["name", "features"])
    }
  }

  @Test func numbersFormatShortest() {
    #expect(JSONValue.format(1) == "1")
    #expect(JSONValue.format(0.1) == "0.1")
    #expect(JSONValue.format(.nan) == "null")
    #expect(JSONValue.format(1e20) == "1e+20")
  }
}
