import Foundation

/// Where a command's text goes. The executable uses `standard(quiet:)`; tests capture it.
///
/// Output (`write`, `line`, `note`) is stdout, kept parseable; progress, warnings and the
/// problem lists of `validate` go to stderr.
public struct Console: Sendable {
  /// Writes command output exactly as given (no newline added).
  public var write: @Sendable (String) -> Void
  /// Writes diagnostics exactly as given (stderr).
  public var writeError: @Sendable (String) -> Void
  /// `--quiet`: no progress lines and no closing summary (`note`); results are still written.
  public var quiet: Bool
  /// Whether stderr is a terminal, so a redrawn progress bar is readable there.
  public var errorIsTerminal: Bool

  /// A console writing to the given sinks.
  public init(
    quiet: Bool = false, errorIsTerminal: Bool = false, write: @escaping @Sendable (String) -> Void,
    writeError: @escaping @Sendable (String) -> Void
  ) {
    self.quiet = quiet
    self.errorIsTerminal = errorIsTerminal
    self.write = write
    self.writeError = writeError
  }

  /// stdout and stderr of this process.
  public static func standard(quiet: Bool = false) -> Console {
    Console(
      quiet: quiet, errorIsTerminal: isatty(STDERR_FILENO) != 0,
      write: { print($0, terminator: "") },
      writeError: { FileHandle.standardError.write(Data($0.utf8)) })
  }

  /// One line of output.
  public func line(_ text: String) { write(text + "\n") }

  /// One line of closing summary ("wrote 12 files"), left out with `--quiet`.
  public func note(_ text: String) { if !quiet { line(text) } }

  /// Progress as `· <line>` on stderr, none with `--quiet`: the shape the pipeline's
  /// `progress` callbacks take.
  public var progress: @Sendable (String) -> Void {
    if quiet { return { _ in } }
    let sink = writeError
    return { sink("· \($0)\n") }
  }

  /// A warning line `cascade: warning: <text>` on stderr (never silenced).
  public func warn(_ text: String) { writeError("cascade: warning: \(text)\n") }
}

/// Thrown after a command has already reported its problems itself (e.g. every line of
/// `cascade validate`): the executable exits with `exitCode` and prints nothing more.
public struct ProblemsReported: Error, Sendable {
  /// The process exit status to end with.
  public var exitCode: Int32
  /// Problems were written; end with `exitCode`.
  public init(exitCode: Int32 = 1) { self.exitCode = exitCode }
}
