import Foundation

/// A one-line progress bar (trees done, ETA) on the console's stderr, redrawn in place; drawn
/// only when stderr is a terminal, so logs never fill with carriage returns.
final class ProgressBar: @unchecked Sendable {
  let enabled: Bool
  let write: @Sendable (String) -> Void
  let start = Date()
  private var lastDraw = Date.distantPast
  private let lock = NSLock()

  init(console: Console) {
    enabled = console.errorIsTerminal
    write = console.writeError
  }

  func update(label: String, done: Int, total: Int) {
    guard enabled else { return }
    lock.lock(); defer { lock.unlock() }
    let now = Date()
    guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
    lastDraw = now
    let width = 30
    let frac = total > 0 ? Double(done) / Double(total) : 1
    let filled = Int(frac * Double(width))
    let elapsed = now.timeIntervalSince(start)
    let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    write("\r\(label) [\(bar)] \(done)/\(total) trees, ETA \(Int(eta.rounded())) s  ")
  }

  func finish() {
    guard enabled else { return }
    write("\n")
  }
}
