import Cascade
import CascadeSupport
import Foundation

/// Config loader: any bytes parse into a config or fail with a UserError naming the JSON path.
/// One fuzz input (called by libFuzzer through `LLVMFuzzerRunDriver`, see Entry.swift).
func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  do {
    // Relative sample paths resolve against the package root, so the shipped samples match.
    _ = try CascadeConfig.parse(bytes: bytes, source: "fuzz.json", resolvingAgainst: FuzzRoot.configBase)
  } catch is UserError {
  } catch {
    fatalError("not a UserError: \(error)")
  }
  return 0
}

enum FuzzRoot {
  /// A (non-existent) file in configs/, as the shipped configs are.
  static let configBase: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { url.deleteLastPathComponent() }
    return url.path + "/configs/fuzz.json"
  }()
}
