import CascadeSupport
import Foundation

/// Helpers shared by the test targets: fixture paths, temporary directories, running the CLI.
public enum TestPaths {
  /// The package root (two levels above this file's directory).
  public static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  public static func fixture(_ relative: String) -> String { packageRoot + "/Tests/Fixtures/" + relative }

  /// A fresh empty directory under the system temp dir.
  public static func temporaryDirectory(_ label: String = "cascade-test") -> String {
    let dir = NSTemporaryDirectory() + "\(label)-\(getpid())-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The built `cascade` executable next to the test bundle (debug or release).
  public static var cascadeBinary: String {
    let candidates = [
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("cascade").path,
      Bundle.main.bundleURL.appendingPathComponent("cascade").path,
      packageRoot + "/.build/debug/cascade",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
  }
}

public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

/// Runs the `cascade` executable with `arguments` and captures its output.
public func runCascade(_ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
  try runProcess(TestPaths.cascadeBinary, arguments, cwd: cwd, environment: environment)
}

public func runProcess(_ exe: String, _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: exe)
  p.arguments = arguments
  if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
  if let environment { p.environment = environment }
  let outPipe = Pipe(), errPipe = Pipe()
  p.standardOutput = outPipe
  p.standardError = errPipe
  try p.run()
  // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
  nonisolated(unsafe) var errData = Data()
  let group = DispatchGroup()
  group.enter()
  DispatchQueue.global().async {
    errData = errPipe.fileHandleForReading.readDataToEndOfFile()
    group.leave()
  }
  let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  p.waitUntilExit()
  return ProcessResult(
    status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// Lists every regular file under `dir` (relative paths, sorted).
public func listFiles(_ dir: String) -> [String] {
  guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
  var out: [String] = []
  while let f = e.nextObject() as? String {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir + "/" + f, isDirectory: &isDir), !isDir.boolValue { out.append(f) }
  }
  return out.sorted()
}
