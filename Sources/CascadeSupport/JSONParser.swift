import Foundation

extension JSONValue {
  /// Parses a JSON document. Errors name `source` with line and column.
  ///
  /// ```swift
  /// let v = try JSONValue.parse(Array("{\"a\": [1, 2]}".utf8), source: "inline")
  /// ```
  public static func parse(_ bytes: [UInt8], source: String) throws -> JSONValue {
    var p = JSONByteParser(bytes: bytes, source: source)
    p.skipWhitespace()
    let v = try p.parseValue(depth: 0)
    p.skipWhitespace()
    if p.index < bytes.count { throw p.error("unexpected trailing characters") }
    return v
  }

  /// Parses a JSON document given as text (its UTF-8 bytes); like the `[UInt8]` form.
  public static func parse(_ text: String, source: String) throws -> JSONValue {
    try parse(Array(text.utf8), source: source)
  }

  /// Reads and parses a JSON file; a missing or unreadable file is a `UserError`.
  public static func load(path: String) throws -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw UserError("\(path): cannot read file")
    }
    return try parse([UInt8](data), source: path)
  }
}

struct JSONByteParser {
  let bytes: [UInt8]
  let source: String
  var index = 0
  static let maxDepth = 512

  init(bytes: [UInt8], source: String) {
    self.bytes = bytes
    self.source = source
  }

  func error(_ what: String) -> UserError {
    var line = 1
    var col = 1
    var i = 0
    while i < index && i < bytes.count {
      if bytes[i] == 0x0A { line += 1; col = 1 } else { col += 1 }
      i += 1
    }
    return UserError("\(source): invalid JSON at line \(line), column \(col): \(what)")
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws -> JSONValue {
    guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
    guard index < bytes.count else { throw error("unexpected end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectWord("null"); return .null
    case UInt8(ascii: "N"): try expectWord("NaN"); return .number(.nan)
    case UInt8(ascii: "I"): try expectWord("Infinity"); return .number(.infinity)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
    }
  }

  mutating func expectWord(_ w: String) throws {
    for b in w.utf8 {
      guard index < bytes.count, bytes[index] == b else { throw error("expected '\(w)'") }
      index += 1
    }
  }

  mutating func parseObject(depth: Int) throws -> JSONValue {
    index += 1
    var obj = JSONObject()
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") { index += 1; return .object(obj) }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
      index += 1
      skipWhitespace()
      let value = try parseValue(depth: depth + 1)
      if obj[key] != nil { throw error("duplicate key \"\(key)\"") }
      obj[key] = value
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of input in object") }
      if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
      if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(obj) }
      throw error("expected ',' or '}'")
    }
  }

  mutating func parseArray(depth: Int) throws -> JSONValue {
    index += 1
    var arr: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") { index += 1; return .array(arr) }
    while true {
      skipWhitespace()
      arr.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of input in array") }
      if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
      if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(arr) }
      throw error("expected ',' or ']'")
    }
  }

  mutating func parseNumber() throws -> Double {
    let start = index
    if bytes[index] == UInt8(ascii: "-") {
      index += 1
      if index < bytes.count && bytes[index] == UInt8(ascii: "I") {
        try expectWord("Infinity")
        return -.infinity
      }
    }
    var digits = 0
    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1; digits += 1 }
    guard digits > 0 else { throw error("invalid number") }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      var frac = 0
      while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1; frac += 1 }
      guard frac > 0 else { throw error("invalid number") }
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
      var exp = 0
      while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1; exp += 1 }
      guard exp > 0 else { throw error("invalid number") }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let d = Double(text) else { throw error("invalid number") }
    return d
  }

  mutating func parseString() throws -> String {
    index += 1
    var out: [UInt8] = []
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let b = bytes[index]
      if b == UInt8(ascii: "\"") { index += 1; break }
      if b < 0x20 { throw error("control character in string") }
      if b == UInt8(ascii: "\\") {
        index += 1
        guard index < bytes.count else { throw error("unterminated string") }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var code = try parseHex4()
          if (0xD800..<0xDC00).contains(code) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
              throw error("unpaired surrogate")
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else if (0xDC00..<0xE000).contains(code) {
            throw error("unpaired surrogate")
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("invalid escape") }
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw error("invalid escape")
        }
      } else {
        out.append(b)
        index += 1
      }
    }
    guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
    return s
  }

  mutating func parseHex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("invalid \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[index]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: throw error("invalid \\u escape")
      }
      v = v * 16 + d
      index += 1
    }
    return v
  }
}
