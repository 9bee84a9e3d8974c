import CascadeSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Expands a shell glob (`wjets*.h5`); a pattern without wildcards is returned as is.
func expandGlob(_ pattern: String) -> [String] {
  guard pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
  var g = glob_t()
  defer { globfree(&g) }
  guard glob(pattern, 0, nil, &g) == 0 else { return [] }
  var out: [String] = []
  for i in 0..<Int(g.gl_pathc) {
    if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
  }
  return out.sorted()
}

/// `relative` resolved against the directory of `file` (absolute paths unchanged).
func resolve(_ relative: String, against file: String) -> String {
  if relative.hasPrefix("/") { return relative }
  let dir = (file as NSString).deletingLastPathComponent
  let joined = dir.isEmpty ? relative : dir + "/" + relative
  return normalizePath(joined)
}

/// Removes `.` and `dir/..` components lexically (`configs/../runs/toy` → `runs/toy`).
func normalizePath(_ path: String) -> String {
  let absolute = path.hasPrefix("/")
  var parts: [Substring] = []
  for c in path.split(separator: "/", omittingEmptySubsequences: true) {
    if c == "." { continue }
    if c == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
    if c == "..", absolute, parts.isEmpty { continue }
    parts.append(c)
  }
  let joined = parts.joined(separator: "/")
  return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
}
