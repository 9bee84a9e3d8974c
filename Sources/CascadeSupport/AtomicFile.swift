import Foundation

/// Every file the tool writes goes through here: content goes to a hidden temporary file in the
/// destination's directory, which is renamed over the destination only when complete. A crash,
/// SIGINT or full disk therefore never leaves a partial output, and a previous output stays
/// intact until the new one is whole. The file is fsynced before the rename and its directory
/// after it, so a power loss right after a command returns cannot leave a truncated file under
/// the final name either.
///
/// ```swift
/// try AtomicFile.write(Array(json.utf8), to: "runs/toy/fit/result.json")
/// try AtomicFile.withTemporaryPath(for: "out.h5") { tmp in try writeHDF5(to: tmp) }
/// ```
public enum AtomicFile {
  /// Writes `bytes` to `path` atomically, creating parent directories.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try withTemporaryPath(for: path) { tmp in
      guard let fh = fopen(tmp, "wb") else {
        throw UserError("\(path): cannot write (\(String(cString: strerror(errno))))")
      }
      var ok = bytes.isEmpty || fwrite(bytes, 1, bytes.count, fh) == bytes.count
      ok = (fflush(fh) == 0) && ok
      ok = (fsync(fileno(fh)) == 0) && ok
      ok = (fclose(fh) == 0) && ok
      if !ok { throw UserError("\(path): write failed (\(String(cString: strerror(errno))))") }
    }
  }

  /// Writes `text` as UTF-8 (no BOM, no added newline) to `path` atomically, like the byte form.
  public static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  /// Runs `body` with a temporary path next to `path`, then renames it into place.
  /// On any error the temporary file is removed and `path` is untouched.
  public static func withTemporaryPath<T>(for path: String, _ body: (String) throws -> T) throws -> T {
    let tmp = try temporaryPath(for: path)
    TemporaryFiles.register(tmp)
    defer { TemporaryFiles.unregister(tmp) }
    do {
      let result = try body(tmp)
      try commit(temporary: tmp, to: path)
      return result
    } catch {
      unlink(tmp)
      throw error
    }
  }

  /// The one naming rule for temporary files: hidden, next to `path` (same directory, so the
  /// final rename is atomic), unique per process and call. Creates the parent directories.
  /// Register the path with `TemporaryFiles` before creating the file.
  public static func temporaryPath(for path: String) throws -> String {
    let dir = (path as NSString).deletingLastPathComponent
    try createDirectory(dir.isEmpty ? "." : dir)
    let name = (path as NSString).lastPathComponent
    return (dir.isEmpty ? "" : dir + "/") + ".\(name).tmp-\(getpid())-\(TemporaryFiles.nextSerial())"
  }

  /// Makes a complete temporary file durable and puts it in place: fsync the file, rename it
  /// over `path` (under `TemporaryFiles.commit`, so an interrupt cannot interleave), fsync the
  /// directory so the rename itself survives a crash. The temporary file is removed on failure.
  public static func commit(temporary tmp: String, to path: String) throws {
    guard syncPath(tmp) else {
      let err = String(cString: strerror(errno))
      unlink(tmp)
      throw UserError("\(path): cannot write (\(err))")
    }
    try TemporaryFiles.commit {
      if rename(tmp, path) != 0 {
        let err = String(cString: strerror(errno))
        unlink(tmp)
        throw UserError("\(path): cannot write (\(err))")
      }
    }
    let dir = (path as NSString).deletingLastPathComponent
    _ = syncPath(dir.isEmpty ? "." : dir)
  }

  /// fsync of a file or directory by path (a directory's entries are what a rename changes).
  @discardableResult
  static func syncPath(_ p: String) -> Bool {
    let fd = open(p, O_RDONLY)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    // Some file systems refuse fsync on directories (EINVAL): nothing more can be done there.
    return fsync(fd) == 0 || errno == EINVAL
  }

  /// Creates `dir` and its parents; a clear error when that is impossible.
  /// Runs under `TemporaryFiles.commit`, so an interrupt cannot race it (re-creating a staging
  /// directory the clean-up has just removed).
  public static func createDirectory(_ dir: String) throws {
    try TemporaryFiles.commit {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
        if isDir.boolValue { return }
        throw UserError("\(dir): exists and is not a directory")
      }
      do {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      } catch {
        throw UserError("\(dir): cannot create directory")
      }
    }
  }
}

extension AtomicFile {
  /// Builds a directory tree in a hidden staging directory next to `targets`' parent, then
  /// swaps each target (e.g. `scores`, `regions`) into place: an interrupted or failed run leaves
  /// the previous outputs as they were.
  public static func replaceDirectories<T>(in parent: String, names: [String], _ body: (String) throws -> T) throws -> T {
    try createDirectory(parent)
    let staging = parent + "/.staging-\(getpid())-\(TemporaryFiles.nextSerial())"
    TemporaryFiles.register(staging)
    defer {
      TemporaryFiles.unregister(staging)
      try? FileManager.default.removeItem(atPath: staging)
    }
    try createDirectory(staging)
    let result = try body(staging)
    // The swaps run as one commit: an interrupt either comes before them (staging removed,
    // targets untouched) or waits until every target is in place.
    try TemporaryFiles.commit {
      for name in names {
        let new = staging + "/" + name
        let target = parent + "/" + name
        try createDirectory(new)
        let old = staging + "/.old-" + name
        if FileManager.default.fileExists(atPath: target) {
          guard rename(target, old) == 0 else { throw UserError("\(target): cannot replace (\(String(cString: strerror(errno))))") }
        }
        guard rename(new, target) == 0 else { throw UserError("\(target): cannot write (\(String(cString: strerror(errno))))") }
      }
    }
    syncPath(parent)
    return result
  }
}

/// Temporary files in flight, removed if the process is interrupted (SIGINT/SIGTERM).
///
/// Every temporary path is registered before the file or directory is created, and every rename
/// into place runs through `commit`. The interrupt handler takes the registry's lock for good
/// (`removeAllForExit`): from then on no thread can register, create a directory or rename into
/// place, and whatever registered paths appear meanwhile are swept again before exit.
public enum TemporaryFiles {
  nonisolated(unsafe) private static var paths: Set<String> = []
  nonisolated(unsafe) private static var serial = 0
  nonisolated(unsafe) private static var interrupted = false
  private static let flagLock = NSLock()
  // Recursive: `commit` bodies create directories, which take the lock too.
  private static let lock = NSRecursiveLock()

  static func nextSerial() -> Int {
    lock.lock(); defer { lock.unlock() }
    serial += 1
    return serial
  }
  /// Records `p` as in flight, so an interrupt removes it. Call before the file or directory at
  /// `p` is created, or an interrupt between the two would leave it behind.
  public static func register(_ p: String) { lock.lock(); paths.insert(p); lock.unlock() }
  /// Forgets `p` once it was renamed into place or removed; unknown paths are ignored.
  public static func unregister(_ p: String) { lock.lock(); paths.remove(p); lock.unlock() }

  /// Runs `body` (a rename into place, a directory creation) so that it never overlaps the
  /// interrupt clean-up: once that has started, callers block until the process exits.
  public static func commit<T>(_ body: () throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  /// Whether an interrupt is being handled (the process is about to exit).
  public static var isInterrupted: Bool {
    flagLock.lock(); defer { flagLock.unlock() }
    return interrupted
  }

  /// Removes every registered temporary file or directory and keeps the registry locked.
  /// Only for the interrupt handler, which exits right after.
  public static func removeAllForExit() {
    flagLock.lock(); interrupted = true; flagLock.unlock()
    lock.lock()
    // Sweep twice: a thread that registered a path just before the lock was taken may create
    // the file a moment later.
    for sweep in 0..<3 {
      if sweep > 0 { usleep(20_000) }
      for p in paths {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: p, isDirectory: &isDir) {
          if isDir.boolValue { try? FileManager.default.removeItem(atPath: p) } else { unlink(p) }
        }
      }
    }
  }
}
