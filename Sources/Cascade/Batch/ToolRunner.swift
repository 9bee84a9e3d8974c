import CascadeSupport
import Foundation

/// Runs the batch system's command-line tools (`sbatch`, `squeue`, `sacct`, `scontrol`) as child
/// processes with an argument vector — never through a shell, so no path or option value is ever
/// re-parsed.
public struct ToolRunner: Sendable {
  /// What a finished child process left: its exit status and everything it printed, decoded as
  /// UTF-8.
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The first non-empty line of stderr (else stdout), for one-line error messages.
    public var firstMessageLine: String {
      for text in [stderr, stdout] {
        if let line = text.split(whereSeparator: \.isNewline).first(where: { !$0.allSatisfy(\.isWhitespace) }) {
          return line.trimmingCharacters(in: .whitespaces)
        }
      }
      return "exit status \(status)"
    }
  }

  /// Environment of the children; its `PATH` is searched for the tools.
  public var environment: [String: String]

  /// A runner whose children get `environment` (the process's own by default) and whose tools
  /// are looked up on its `PATH`.
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// The absolute path of executable `name` on `PATH`, or nil.
  public func locate(_ name: String) -> String? {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") where !dir.isEmpty {
      let candidate = "\(dir)/\(name)"
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
    }
    return nil
  }

  /// Runs `name` with `arguments`; throws only when it cannot be started (not found, not
  /// executable). A non-zero exit is reported in the result.
  public func run(_ name: String, _ arguments: [String]) throws -> Result {
    guard let exe = locate(name) else { throw UserError("\(name): command not found on PATH") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: exe)
    process.arguments = arguments
    process.environment = environment
    let outPipe = Pipe(), errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw UserError("\(exe): cannot run (\(error.localizedDescription))")
    }
    // Drain stderr on another thread so a chatty child cannot block on a full pipe.
    let box = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      box.data = errPipe.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                  stderr: String(decoding: box.data, as: UTF8.self))
  }

  private final class DataBox: @unchecked Sendable { var data = Data() }

  /// The absolute path of the running executable (so batch jobs run this very `cascade`).
  public static func currentExecutable() -> String {
    #if os(Linux)
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
    #endif
    if let p = Bundle.main.executablePath { return URL(fileURLWithPath: p).resolvingSymlinksInPath().path }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
  }
}
