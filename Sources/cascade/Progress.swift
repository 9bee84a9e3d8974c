import Foundation

enum Progress {
  /// Progress lines on stderr (so stdout stays parseable), none with --quiet.
  static func printer(quiet: Bool) -> (String) -> Void {
    if quiet { return { _ in } }
    return { line in FileHandle.standardError.write(Data("· \(line)\n".utf8)) }
  }
}
