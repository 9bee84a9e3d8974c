extension JSONValue {
  /// Serialises deterministically: keys in insertion order, numbers in the shortest form that
  /// round-trips (integers without a fraction), non-finite numbers as `null`.
  public func serialized(pretty: Bool = true) -> String {
    var out = ""
    write(to: &out, indent: pretty ? 0 : nil)
    if pretty { out += "\n" }
    return out
  }

  /// The JSON text of a number as written by `serialized`.
  public static func format(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == d.rounded(), abs(d) < 1e15 {
      if d == 0 { return d.sign == .minus ? "-0" : "0" }
      return String(Int64(d))
    }
    return "\(d)"
  }

  private func write(to out: inout String, indent: Int?) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let d): out += JSONValue.format(d)
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let a):
      if a.isEmpty { out += "[]"; return }
      // Arrays of scalars stay on one line: long numeric arrays remain readable.
      let flat = a.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
      if indent == nil || flat {
        out += "["
        for (i, v) in a.enumerated() {
          if i > 0 { out += indent == nil ? "," : ", " }
          v.write(to: &out, indent: nil)
        }
        out += "]"
      } else {
        let ind = indent!
        out += "[\n"
        for (i, v) in a.enumerated() {
          out += String(repeating: "  ", count: ind + 1)
          v.write(to: &out, indent: ind + 1)
          out += i + 1 < a.count ? ",\n" : "\n"
        }
        out += String(repeating: "  ", count: ind) + "]"
      }
    case .object(let o):
      if o.count == 0 { out += "{}"; return }
      if let ind = indent {
        out += "{\n"
        var i = 0
        for (k, v) in o {
          out += String(repeating: "  ", count: ind + 1)
          JSONValue.writeString(k, to: &out)
          out += ": "
          v.write(to: &out, indent: ind + 1)
          i += 1
          out += i < o.count ? ",\n" : "\n"
        }
        out += String(repeating: "  ", count: ind) + "}"
      } else {
        out += "{"
        var first = true
        for (k, v) in o {
          if !first { out += "," }
          first = false
          JSONValue.writeString(k, to: &out)
          out += ":"
          v.write(to: &out, indent: nil)
        }
        out += "}"
      }
    }
  }

  static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}
