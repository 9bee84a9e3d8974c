import CascadeSupport
import Testing
import YieldFit

@Suite struct JSONPatchTests {
  let doc = try! JSONValue.parse(#"{"a": {"b": [1, 2, 3], "c": "x"}, "d~/e": true}"#, source: "doc")

  func patch(_ text: String) throws -> JSONPatch {
    try JSONPatch(json: JSONValue.parse(text, source: "p.json"), source: "p.json")
  }

  @Test func appliesEveryOperationAsRFC6902Says() throws {
    let p = try patch(#"""
      [{"op": "add", "path": "/a/b/1", "value": 9},
       {"op": "add", "path": "/a/b/-", "value": 4},
       {"op": "replace", "path": "/a/c", "value": "y"},
       {"op": "remove", "path": "/d~0~1e"},
       {"op": "copy", "from": "/a/b/0", "path": "/f"},
       {"op": "move", "from": "/a/c", "path": "/g"},
       {"op": "test", "path": "/a/b", "value": [1, 9, 2, 3, 4]}]
      """#)
    let out = try p.apply(to: doc)
    #expect(out == (try JSONValue.parse(#"{"a": {"b": [1, 9, 2, 3, 4]}, "f": 1, "g": "y"}"#, source: "x")))
    #expect(out.objectValue?.keys == ["a", "f", "g"])
  }

  @Test func replaceKeepsAMembersPosition() throws {
    let out = try patch(#"[{"op": "replace", "path": "/a", "value": 0}]"#).apply(to: doc)
    #expect(out.objectValue?.keys == ["a", "d~/e"])
  }

  @Test func failuresNameTheOperationAndWhy() throws {
    let cases: [(String, String)] = [
      (#"[{"op": "remove", "path": "/a/b/7"}]"#, #"p.json: [0] (op "remove", path "/a/b/7"): no array index 7 (the array has 3 elements)"#),
      (#"[{"op": "replace", "path": "/zz", "value": 1}]"#, #"p.json: [0] (op "replace", path "/zz"): no member "zz" to replace"#),
      (#"[{"op": "test", "path": "/a/c", "value": "q"}]"#, #"p.json: [0] (op "test", path "/a/c"): test failed: the value there differs"#),
      (#"[{"op": "add", "path": "/a/c/x", "value": 1}]"#, #"p.json: [0] (op "add", path "/a/c/x"): cannot add a member to a string"#),
      (#"[{"op": "add", "path": "/a/b/01", "value": 1}]"#, #"p.json: [0] (op "add", path "/a/b/01"): "01" is not an array index"#),
    ]
    for (text, message) in cases {
      #expect(throws: UserError(message)) { try patch(text).apply(to: doc) }
    }
    #expect(throws: UserError(#"p.json: [0].op: "plus" is not a JSON Patch operation (add, remove, replace, move, copy, test)"#)) {
      try patch(#"[{"op": "plus", "path": "/a"}]"#)
    }
    #expect(throws: UserError("p.json: [0].value: missing for \"add\"")) { try patch(#"[{"op": "add", "path": "/a"}]"#) }
  }

  @Test func patchsetFindsPatchesByName() throws {
    let json = try JSONValue.parse(
      #"{"metadata": {"labels": ["m1", "m2"]}, "version": "1.0.0", "patches": [{"metadata": {"name": "p_100_50", "values": [100, 50]}, "patch": [{"op": "add", "path": "/x", "value": 1}]}]}"#,
      source: "ps.json")
    let set = try PatchSet(json: json, source: "ps.json")
    #expect(set.labels == ["m1", "m2"])
    #expect(try set.patch(named: "p_100_50", source: "ps.json").apply(to: doc)["x"] == 1)
    #expect(throws: UserError(#"ps.json: no patch named "nope" (available: p_100_50)"#)) { try set.patch(named: "nope", source: "ps.json") }
  }
}
