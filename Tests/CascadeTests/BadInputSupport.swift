import Foundation
import Testing
import TestSupport

/// Small CSV samples and configs for the bad-input matrix, plus the checks every bad input must
/// pass: one `cascade: error:` line naming the culprit, exit ≠ 0, no stack trace, and the
/// directory exactly as before (no partial output, previous outputs intact).
enum BadInput {
  /// Deterministic pseudo-random numbers (the tests must not depend on the system generator).
  struct LCG {
    var state: UInt64
    mutating func uniform() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    mutating func normal() -> Double {
      let u = max(uniform(), 1e-12), v = uniform()
      return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
  }

  /// CSV text of `n` events: `a` and `b` centred on the means, `m` uniform in [0, 10).
  static func csv(n: Int, meanA: Double, meanB: Double, firstEvent: Int, weight: Double = 0.5, seed: UInt64 = 1) -> String {
    var rng = LCG(state: seed &+ UInt64(firstEvent))
    var text = "event_number,a,b,m,weight\n"
    for i in 0..<n {
      let a = meanA + rng.normal(), b = meanB + rng.normal(), m = 10 * rng.uniform()
      text += "\(firstEvent + i),\(String(format: "%.4f", a)),\(String(format: "%.4f", b)),\(String(format: "%.4f", m)),\(weight)\n"
    }
    return text
  }

  static let defaultStages = """
    {"name": "s1", "background": "bkg", "features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}},
    {"name": "s2", "background": "bkg2", "features": ["b"], "working_point": {"signal_efficiency": 0.9}}
    """

  static func configText(stages: String = defaultStages, fit: String = #""fit": {"observable": "m", "bins": 5, "range": [0, 10]}"#,
                         training: String = #"{"folds": 2, "seed": 1, "chunk_rows": 100, "threads": 1}"#) -> String {
    """
    {"name": "bad", "output": "run", "event_number": "event_number",
     "samples": [
       {"name": "signal", "role": "signal", "files": ["signal.csv"], "weight": "weight"},
       {"name": "bkg", "role": "background", "files": ["bkg_*.csv"], "weight": "weight"},
       {"name": "bkg2", "role": "background", "files": ["bkg2.csv"], "weight": "weight"},
       {"name": "data", "role": "data", "files": ["data.csv"]}],
     "bdt": {"trees": 4, "depth": 2, "bins": 16, "learning_rate": 0.3},
     "stages": [\(stages)],
     "training": \(training)\(fit.isEmpty ? "" : ", " + fit)}
    """
  }

  /// A directory with signal.csv, bkg_1.csv, bkg_2.csv, bkg2.csv, data.csv and config.json.
  static func samples(rows: Int = 300, config: String = configText()) throws -> String {
    let dir = TestPaths.temporaryDirectory("badinput")
    try write(csv(n: rows, meanA: 1, meanB: 1, firstEvent: 0), dir + "/signal.csv")
    try write(csv(n: rows / 2, meanA: -1, meanB: 1, firstEvent: 10_000), dir + "/bkg_1.csv")
    try write(csv(n: rows / 2, meanA: -1, meanB: 1, firstEvent: 20_000), dir + "/bkg_2.csv")
    try write(csv(n: rows, meanA: 1, meanB: -1, firstEvent: 30_000), dir + "/bkg2.csv")
    try write(csv(n: rows, meanA: 0, meanB: 0, firstEvent: 40_000).replacingOccurrences(of: ",weight\n", with: ",w\n"), dir + "/data.csv")
    try write(config, dir + "/config.json")
    return dir
  }

  /// A trained run (models/ under run/) made once and copied for each test that needs it.
  static let trainedTemplate: String = {
    let dir = try! samples()
    let r = try! runCascade(["train", dir + "/config.json", "--quiet"])
    precondition(r.status == 0, "training the bad-input template failed: \(r.stderr)")
    return dir
  }()

  /// A fresh copy of the trained run.
  static func trained() throws -> String {
    let dir = TestPaths.temporaryDirectory("badinput-trained")
    try FileManager.default.removeItem(atPath: dir)
    try FileManager.default.copyItem(atPath: trainedTemplate, toPath: dir)
    return dir
  }

  /// A fresh copy of a trained and applied run (scores/ and regions/ present).
  static let appliedTemplate: String = {
    let dir = try! trained()
    let r = try! runCascade(["apply", dir + "/config.json", "--quiet"])
    precondition(r.status == 0, "applying the bad-input template failed: \(r.stderr)")
    return dir
  }()

  static func applied() throws -> String {
    let dir = TestPaths.temporaryDirectory("badinput-applied")
    try FileManager.default.removeItem(atPath: dir)
    try FileManager.default.copyItem(atPath: appliedTemplate, toPath: dir)
    return dir
  }

  static func write(_ text: String, _ path: String) throws {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
  }

  /// Every file under `dir` (hidden ones included) with its inode,
  /// size and modification time: equal snapshots mean nothing was added, removed or replaced.
  static func snapshot(_ dir: String) -> [String: String] {
    var out: [String: String] = [:]
    guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
    while let f = e.nextObject() as? String {
      var st = stat()
      guard lstat(dir + "/" + f, &st) == 0 else { continue }
      // Directories are covered by the files below them (an empty directory is not an output).
      if (st.st_mode & S_IFMT) == S_IFDIR { continue }
      out[f] = "\(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
    return out
  }

  /// Runs `arguments` in `dir` and checks the one-line error contract; `mentions` must all
  /// appear in the message (file, row, column, JSON path…).
  @discardableResult
  static func expectError(_ arguments: [String], in dir: String, mentions: [String],
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let before = snapshot(dir)
    let r = try runCascade(arguments, cwd: dir)
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
    #expect(r.status != 0, "exit status 0 for \(arguments)", sourceLocation: sourceLocation)
    #expect(r.status == 1, "exit status \(r.status) (a crash?) for \(arguments): \(r.stderr)", sourceLocation: sourceLocation)
    #expect(lines.count == 1, "expected one stderr line, got: \(r.stderr)", sourceLocation: sourceLocation)
    let message = String(lines.first ?? "")
    #expect(message.hasPrefix("cascade: error: "), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    for m in mentions {
      #expect(message.contains(m), "\"\(m)\" not in: \(message)", sourceLocation: sourceLocation)
    }
    for trace in ["Fatal error", "Stack dump", "stack trace", "Swift runtime failure", "0x0000"] {
      #expect(!r.stderr.contains(trace), "stack trace: \(r.stderr)", sourceLocation: sourceLocation)
    }
    #expect(snapshot(dir) == before, "the directory changed: \(diff(before, snapshot(dir)))", sourceLocation: sourceLocation)
    return message
  }

  static func diff(_ a: [String: String], _ b: [String: String]) -> String {
    let keys = Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
    return keys.map { "\($0): \(a[$0] ?? "-") → \(b[$0] ?? "-")" }.joined(separator: "; ")
  }
}
