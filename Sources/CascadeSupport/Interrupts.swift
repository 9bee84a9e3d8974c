import Dispatch
import Foundation

/// Installs SIGINT/SIGTERM handlers that delete in-flight temporary files and exit with
/// 128+signal, so an interrupted command leaves the run directory as it was.
public enum InterruptHandler {
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  public static func install() {
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let src = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
      src.setEventHandler {
        TemporaryFiles.removeAll()
        FileHandle.standardError.write(Data("cascade: interrupted (signal \(sig)); no partial output kept\n".utf8))
        exit(128 + sig)
      }
      src.resume()
      sources.append(src)
    }
  }
}
