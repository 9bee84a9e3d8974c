import Dispatch
import Foundation

/// Installs SIGINT/SIGTERM handlers that delete in-flight temporary files and exit with
/// 128+signal, so an interrupted command leaves the run directory as it was.
public enum InterruptHandler {
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  /// Blocks for good when an interrupt is being handled: an error caused by the clean-up
  /// (a staging directory removed under a writer) must not be reported, nor exit first.
  public static func waitIfInterrupted() {
    if TemporaryFiles.isInterrupted { while true { sleep(3600) } }
  }

  /// Installs the handlers (once, at process start). SIGINT and SIGTERM are then ignored by the
  /// default disposition and handled on a global queue: temporary files are removed, one line
  /// goes to stderr and the process exits with status 128 + signal.
  public static func install() {
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let src = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
      src.setEventHandler {
        TemporaryFiles.removeAllForExit()
        FileHandle.standardError.write(Data("cascade: interrupted (signal \(sig)); no partial output kept\n".utf8))
        // _exit: no atexit handlers racing the threads still running (they are blocked on the
        // temporary-file registry, or writing files that no longer have a name).
        _exit(128 + sig)
      }
      src.resume()
      sources.append(src)
    }
  }
}
