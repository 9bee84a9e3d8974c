/// A JSON value together with its path in the document (`stages[1].features[2]`), for
/// decoding user files with errors that point at the offending key.
///
/// ```swift
/// let root = JSONCursor(value, source: "configs/toy.json")
/// let obj = try root.object(allowed: ["name", "stages"])
/// let name = try obj.required("name").string()
/// ```
public struct JSONCursor: Sendable {
  public let value: JSONValue
  public let path: String
  public let source: String

  /// A cursor at `value`; `source` (usually the file path) and `path` (empty for the document
  /// root) prefix every error it makes.
  public init(_ value: JSONValue, source: String, path: String = "") {
    self.value = value
    self.source = source
    self.path = path
  }

  /// `"<source>: <path>: <message>"` — the one line the user sees.
  public func error(_ message: String) -> UserError {
    UserError("\(source): \(path.isEmpty ? "(root)" : path): \(message)")
  }

  /// The cursor of `value` found under `key` of this object: its path is `path.key`.
  public func child(_ key: String, _ value: JSONValue) -> JSONCursor {
    JSONCursor(value, source: source, path: path.isEmpty ? key : "\(path).\(key)")
  }

  /// The cursor of `value`, element `i` (zero-based) of this array: its path is `path[i]`.
  public func element(_ i: Int, _ value: JSONValue) -> JSONCursor {
    JSONCursor(value, source: source, path: "\(path)[\(i)]")
  }

  /// The value as a string; any other JSON type throws, naming the type found.
  public func string() throws -> String {
    guard case .string(let s) = value else { throw error("expected a string, found \(value.typeName)") }
    return s
  }

  /// The value as a number. NaN and infinities cannot come from a parsed file, but may from a
  /// built `JSONValue`; use ``finiteDouble()`` where they must be rejected.
  public func double() throws -> Double {
    guard case .number(let d) = value else { throw error("expected a number, found \(value.typeName)") }
    return d
  }

  /// The value as a finite number; a non-number or a non-finite value throws.
  public func finiteDouble() throws -> Double {
    let d = try double()
    guard d.isFinite else { throw error("expected a finite number") }
    return d
  }

  /// The value as an integer: the number must be integral (`3` or `3.0`, not `3.5`) and below
  /// 9e15 in magnitude, where a `Double` still holds every integer exactly.
  public func int() throws -> Int {
    guard case .number(let d) = value else { throw error("expected an integer, found \(value.typeName)") }
    guard d.isFinite, d == d.rounded(), abs(d) < 9.0e15 else { throw error("expected an integer, found \(JSONValue.format(d))") }
    return Int(d)
  }

  /// The value as `true` or `false`; numbers and strings are not converted.
  public func bool() throws -> Bool {
    guard case .bool(let b) = value else { throw error("expected true or false, found \(value.typeName)") }
    return b
  }

  /// The elements of an array, each a cursor with its `[i]` path.
  public func array() throws -> [JSONCursor] {
    guard case .array(let a) = value else { throw error("expected an array, found \(value.typeName)") }
    return a.enumerated().map { element($0.offset, $0.element) }
  }

  /// An array of numbers; the first non-number throws with its element path.
  public func doubles() throws -> [Double] { try array().map { try $0.double() } }
  /// An array of strings; the first non-string throws with its element path.
  public func strings() throws -> [String] { try array().map { try $0.string() } }

  /// A string or an array of strings (e.g. `"background": "wjets"` or `["ttbar", "singletop"]`).
  public func stringOrStrings() throws -> [String] {
    if case .string(let s) = value { return [s] }
    guard case .array = value else { throw error("expected a string or an array of strings, found \(value.typeName)") }
    return try strings()
  }

  /// The value as an object; keys outside `allowed` are errors naming the nearest valid key.
  public func object(allowed: [String]? = nil) throws -> JSONObjectCursor {
    guard case .object(let o) = value else { throw error("expected an object, found \(value.typeName)") }
    if let allowed {
      for key in o.keys where !allowed.contains(key) {
        var msg = "unknown key \"\(key)\""
        if let near = nearestName(to: key, in: allowed) { msg += " (did you mean \"\(near)\"?)" }
        throw child(key, o[key]!).error(msg)
      }
    }
    return JSONObjectCursor(object: o, cursor: self)
  }
}

/// A JSON object with the cursor that found it, made by ``JSONCursor/object(allowed:)``: looks up
/// keys as cursors so that errors keep naming the full path.
public struct JSONObjectCursor: Sendable {
  public let object: JSONObject
  public let cursor: JSONCursor

  public var keys: [String] { object.keys }

  /// The cursor of `key`, or `nil` when the key is absent or `null` (both mean "use the default").
  public func optional(_ key: String) -> JSONCursor? {
    guard let v = object[key], v != .null else { return nil }
    return cursor.child(key, v)
  }

  /// The cursor of `key`; an absent key throws `missing required key "<key>"` at this object's path.
  /// An explicit `null` is returned as is, for the caller's type check to reject.
  public func required(_ key: String) throws -> JSONCursor {
    guard let v = object[key] else { throw cursor.error("missing required key \"\(key)\"") }
    return cursor.child(key, v)
  }

  /// An error at this object's path (see ``JSONCursor/error(_:)``).
  public func error(_ message: String) -> UserError { cursor.error(message) }
}

/// The candidate closest to `name` by edit distance (a transposition counts once), if it is
/// plausibly a typo of it.
public func nearestName(to name: String, in candidates: [String]) -> String? {
  var best: (String, Int)?
  for c in candidates {
    let d = editDistance(name.lowercased(), c.lowercased())
    if best == nil || d < best!.1 { best = (c, d) }
  }
  guard let (c, d) = best, d <= max(1, name.count / 3), d < max(name.count, c.count) else { return nil }
  return c
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions each cost 1.
public func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
  for i in 0...x.count { d[i][0] = i }
  for j in 0...y.count { d[0][j] = j }
  for i in 1...x.count {
    for j in 1...y.count {
      let cost = x[i - 1] == y[j - 1] ? 0 : 1
      d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1) }
    }
  }
  return d[x.count][y.count]
}
