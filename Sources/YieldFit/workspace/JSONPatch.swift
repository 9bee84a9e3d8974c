import CascadeSupport

/// RFC 6902 JSON Patch, applied to a parsed JSON document: how published likelihoods ship their
/// signal hypotheses (a background-only workspace plus one patch per signal point, as in
/// `pyhf cls BkgOnly.json -p patch.json`).
///
/// Operations: `add`, `remove`, `replace`, `move`, `copy`, `test`; paths are RFC 6901 JSON
/// Pointers (`/channels/0/samples/-`, with `~1` for `/` and `~0` for `~`). A patch applies whole
/// or not at all: the first operation that cannot apply throws an error naming the patch file,
/// the operation's index, its `op` and `path`, and why.
///
/// ```swift
/// let patch = try JSONPatch(json: JSONValue.load(path: "signal.json"), source: "signal.json")
/// let patched = try patch.apply(to: JSONValue.load(path: "BkgOnly.json"))
/// ```
public struct JSONPatch: Sendable {
  /// One operation of a patch.
  public struct Operation: Sendable, Equatable {
    /// The `op` of an operation, spelled as in RFC 6902.
    public enum Kind: String, Sendable, CaseIterable { case add, remove, replace, move, copy, test }
    public var kind: Kind
    public var path: String
    /// `value` of add/replace/test.
    public var value: JSONValue?
    /// `from` of move/copy.
    public var from: String?
  }

  public var operations: [Operation]
  /// Where the patch came from, for error messages.
  public var source: String

  /// Parses a patch document: a JSON array of operation objects.
  public init(json: JSONValue, source: String) throws {
    self.source = source
    guard let items = json.arrayValue else {
      throw UserError("\(source): a JSON Patch must be an array of operations, found \(json.typeName)")
    }
    operations = try items.enumerated().map { i, item in
      let at = "\(source): [\(i)]"
      guard let object = item.objectValue else { throw UserError("\(at): an operation must be an object, found \(item.typeName)") }
      guard let opName = object["op"]?.stringValue else { throw UserError("\(at).op: missing (a string: add, remove, replace, move, copy or test)") }
      guard let kind = Operation.Kind(rawValue: opName) else {
        throw UserError("\(at).op: \"\(opName)\" is not a JSON Patch operation (add, remove, replace, move, copy, test)")
      }
      guard let path = object["path"]?.stringValue else { throw UserError("\(at).path: missing") }
      var op = Operation(kind: kind, path: path, value: nil, from: nil)
      switch kind {
      case .add, .replace, .test:
        guard let v = object["value"] else { throw UserError("\(at).value: missing for \"\(opName)\"") }
        op.value = v
      case .move, .copy:
        guard let f = object["from"]?.stringValue else { throw UserError("\(at).from: missing for \"\(opName)\"") }
        op.from = f
      case .remove:
        break
      }
      return op
    }
  }

  /// The document with every operation applied in order.
  public func apply(to document: JSONValue) throws -> JSONValue {
    var doc = document
    for (i, op) in operations.enumerated() {
      do {
        try Self.apply(op, to: &doc)
      } catch let e as PatchFailure {
        throw UserError("\(source): [\(i)] (op \"\(op.kind.rawValue)\", path \"\(op.path)\"): \(e.reason)")
      }
    }
    return doc
  }

  struct PatchFailure: Error { var reason: String }

  static func apply(_ op: Operation, to doc: inout JSONValue) throws {
    switch op.kind {
    case .add: try insert(op.value!, at: pointer(op.path), in: &doc)
    case .remove: _ = try remove(at: pointer(op.path), in: &doc)
    case .replace: try replace(with: op.value!, at: pointer(op.path), in: &doc)
    case .move:
      let from = try pointer(op.from!), to = try pointer(op.path)
      if to.count > from.count && Array(to.prefix(from.count)) == from {
        throw PatchFailure(reason: "cannot move \"\(op.from!)\" into its own child")
      }
      let value = try remove(at: from, in: &doc)
      try insert(value, at: to, in: &doc)
    case .copy:
      try insert(try value(at: pointer(op.from!), in: doc), at: pointer(op.path), in: &doc)
    case .test:
      let actual = try value(at: pointer(op.path), in: doc)
      if actual != op.value! { throw PatchFailure(reason: "test failed: the value there differs") }
    }
  }

  /// RFC 6901 tokens of a JSON Pointer ("" is the whole document).
  static func pointer(_ path: String) throws -> [String] {
    if path.isEmpty { return [] }
    guard path.hasPrefix("/") else { throw PatchFailure(reason: "a JSON Pointer starts with \"/\"") }
    return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
      $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
  }

  static func index(_ token: String, count: Int, allowEnd: Bool) throws -> Int {
    if allowEnd && token == "-" { return count }
    guard !token.isEmpty, token.allSatisfy(\.isASCIIDigit), token == "0" || !token.hasPrefix("0"), let i = Int(token) else {
      throw PatchFailure(reason: "\"\(token)\" is not an array index")
    }
    guard i < count || (allowEnd && i == count) else {
      throw PatchFailure(reason: "no array index \(i) (the array has \(count) elements)")
    }
    return i
  }

  static func value(at tokens: [String], in doc: JSONValue) throws -> JSONValue {
    var node = doc
    for t in tokens {
      switch node {
      case .object(let o):
        guard let next = o[t] else { throw PatchFailure(reason: "no member \"\(t)\"") }
        node = next
      case .array(let a):
        node = a[try index(t, count: a.count, allowEnd: false)]
      default:
        throw PatchFailure(reason: "\"\(t)\" is inside a \(node.typeName)")
      }
    }
    return node
  }

  /// Replaces an existing value in place (an object member keeps its position).
  static func replace(with value: JSONValue, at tokens: [String], in doc: inout JSONValue) throws {
    guard let last = tokens.last else { doc = value; return }
    try modifyParent(of: tokens, in: &doc) { parent in
      switch parent {
      case .object(var o):
        guard o[last] != nil else { throw PatchFailure(reason: "no member \"\(last)\" to replace") }
        o[last] = value
        parent = .object(o)
      case .array(var a):
        a[try index(last, count: a.count, allowEnd: false)] = value
        parent = .array(a)
      default:
        throw PatchFailure(reason: "\"\(last)\" is inside a \(parent.typeName)")
      }
    }
  }

  /// Adds `value` at `tokens`: arrays insert at the index (`-` appends), objects set the member.
  static func insert(_ value: JSONValue, at tokens: [String], in doc: inout JSONValue) throws {
    guard let last = tokens.last else { doc = value; return }
    try modifyParent(of: tokens, in: &doc) { parent in
      switch parent {
      case .object(var o):
        o[last] = value
        parent = .object(o)
      case .array(var a):
        a.insert(value, at: try index(last, count: a.count, allowEnd: true))
        parent = .array(a)
      default:
        throw PatchFailure(reason: "cannot add a member to a \(parent.typeName)")
      }
    }
  }

  static func remove(at tokens: [String], in doc: inout JSONValue) throws -> JSONValue {
    guard let last = tokens.last else { throw PatchFailure(reason: "cannot remove the whole document") }
    var removed = JSONValue.null
    try modifyParent(of: tokens, in: &doc) { parent in
      switch parent {
      case .object(var o):
        guard let v = o[last] else { throw PatchFailure(reason: "no member \"\(last)\"") }
        removed = v
        o[last] = nil
        parent = .object(o)
      case .array(var a):
        removed = a.remove(at: try index(last, count: a.count, allowEnd: false))
        parent = .array(a)
      default:
        throw PatchFailure(reason: "\"\(last)\" is inside a \(parent.typeName)")
      }
    }
    return removed
  }

  /// Runs `body` on the container holding the last token, writing the result back up the path.
  static func modifyParent(of tokens: [String], in doc: inout JSONValue, _ body: (inout JSONValue) throws -> Void) throws {
    func descend(_ node: inout JSONValue, _ depth: Int) throws {
      if depth == tokens.count - 1 { return try body(&node) }
      let t = tokens[depth]
      switch node {
      case .object(var o):
        guard var child = o[t] else { throw PatchFailure(reason: "no member \"\(t)\"") }
        try descend(&child, depth + 1)
        o[t] = child
        node = .object(o)
      case .array(var a):
        let i = try index(t, count: a.count, allowEnd: false)
        try descend(&a[i], depth + 1)
        node = .array(a)
      default:
        throw PatchFailure(reason: "\"\(t)\" is inside a \(node.typeName)")
      }
    }
    try descend(&doc, 0)
  }
}

/// A pyhf patchset (`pyhf.patchset.PatchSet` JSON, version 1.0.0): named signal patches for one
/// background-only workspace, as published on HEPData.
public struct PatchSet: Sendable {
  /// A named patch with its signal-model parameter values.
  public struct Entry: Sendable {
    public var name: String
    public var values: [JSONValue]
    public var patch: JSONPatch
  }

  public var labels: [String]
  public var entries: [Entry]

  /// Parses `{"metadata": {"labels": [...], ...}, "patches": [{"metadata": {"name", "values"}, "patch": [...]}], "version"}`.
  public init(json: JSONValue, source: String) throws {
    guard let object = json.objectValue else { throw UserError("\(source): a patchset must be a JSON object") }
    guard let patches = object["patches"]?.arrayValue else { throw UserError("\(source): patches: missing (an array)") }
    labels = object["metadata"]?["labels"]?.arrayValue?.compactMap(\.stringValue) ?? []
    entries = try patches.enumerated().map { i, p in
      guard let name = p["metadata"]?["name"]?.stringValue else { throw UserError("\(source): patches[\(i)].metadata.name: missing") }
      guard let ops = p["patch"] else { throw UserError("\(source): patches[\(i)].patch: missing") }
      let patch = try JSONPatch(json: ops, source: "\(source): patches[\(i)] (\(name))")
      return Entry(name: name, values: p["metadata"]?["values"]?.arrayValue ?? [], patch: patch)
    }
  }

  /// The patch called `name`; an error listing the available names otherwise.
  public func patch(named name: String, source: String) throws -> JSONPatch {
    if let e = entries.first(where: { $0.name == name }) { return e.patch }
    let names = entries.map(\.name)
    let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", … (\(names.count) in all)" : "")
    throw UserError("\(source): no patch named \"\(name)\" (available: \(shown))")
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
