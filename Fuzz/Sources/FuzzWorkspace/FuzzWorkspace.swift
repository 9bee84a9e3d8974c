import CascadeSupport
import Foundation
import YieldFit

/// pyhf workspace loader: parse, build the likelihood model, and evaluate it once at the
/// initial parameters — what `cascade fit` does before minimising.
/// One fuzz input (called by libFuzzer through `LLVMFuzzerRunDriver`, see Entry.swift).
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    let json = try JSONValue.parse(bytes, source: "ws.json")
    let ws = try WorkspaceReader.parse(JSONCursor(json, source: "ws.json"))
    _ = try Model(workspace: ws)
    // Writing it back must give JSON that reads as the same workspace.
    let again = try WorkspaceReader.parse(JSONCursor(try JSONValue.parse(ws.json().serialized(), source: "again"), source: "again"))
    precondition(again == ws, "workspace does not round-trip")
  } catch is UserError {
  } catch {
    fatalError("not a UserError: \(error)")
  }
  return 0
}
