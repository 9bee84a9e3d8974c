import Boosting
import CascadeSupport
import EventData
import Foundation

/// Training events read from event files for `cascade bdt train`.
enum BDTEvents {
  static func load(
    _ sources: [(path: String, signal: Bool?)], features: [String], weight: String?, label: String?,
    eventNumber: String?, k: Int, threads: Int
  ) throws -> (data: TrainingData, folds: [Int]) {
    var columns = [[Float]](repeating: [], count: features.count)
    var isSignal: [Bool] = [], weights: [Double] = [], folds: [Int] = []
    for (path, fixed) in sources {
      let reader = try openEventFile(path, options: EventFileOptions(threads: threads))
      var needed = features
      for c in [weight, fixed == nil ? label : nil, k > 1 ? eventNumber : nil].compactMap({ $0 }) where !needed.contains(c) {
        needed.append(c)
      }
      try reader.requireColumns(needed)
      let table = try reader.readAll(columns: needed)
      for (f, name) in features.enumerated() { columns[f] += try table.column(named: name).float32Values() }
      let n = table.rowCount
      if let w = weight {
        let ws = try table.column(named: w).float64Values()
        if let bad = ws.firstIndex(where: { !$0.isFinite }) {
          throw UserError("\(path): row \(bad): column \"\(w)\": weight is not finite")
        }
        weights += ws
      } else {
        weights += Array(repeating: 1, count: n)
      }
      if let s = fixed {
        isSignal += Array(repeating: s, count: n)
      } else if let l = label {
        let col = try table.column(named: l)
        for i in 0..<n {
          let v = col.doubleValue(at: i)
          if v.isNaN { throw UserError("\(path): row \(i): column \"\(l)\": label is NaN") }
          isSignal.append(v != 0)
        }
      }
      if k > 1 {
        if let e = eventNumber {
          folds += Folds.assign(eventNumbers: try table.column(named: e).int64Values(source: path), k: k)
        } else {
          folds += Folds.assign(fileName: path, firstRow: 0, count: n, k: k)
        }
      } else {
        folds += Array(repeating: 0, count: n)
      }
    }
    return (TrainingData(featureNames: features, columns: columns, isSignal: isSignal, weights: weights), folds)
  }
}

/// A one-line progress bar on stderr (trees done, ETA), drawn only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
  let enabled: Bool
  let start = Date()
  private var lastDraw = Date.distantPast
  private let lock = NSLock()

  init(enabled: Bool) { self.enabled = enabled }

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
    let line = "\r\(label) [\(bar)] \(done)/\(total) trees, ETA \(Int(eta.rounded())) s  "
    FileHandle.standardError.write(Data(line.utf8))
  }

  func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\n".utf8))
  }
}
