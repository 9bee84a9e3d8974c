import Foundation

/// Byte-level CSV field scanning and number parsing, shared by the type-inference pass and
/// the value pass. Nothing here allocates per field.
enum CSVScan {
  static let newline = UInt8(ascii: "\n")
  static let cr = UInt8(ascii: "\r")
  static let quote = UInt8(ascii: "\"")
  static let space = UInt8(ascii: " ")
  static let tab = UInt8(ascii: "\t")

  /// A field's content (quotes removed, surrounding blanks trimmed) and where scanning resumes.
  struct Field {
    var start: Int
    var end: Int
    /// Index after the delimiter, or the line end when this was the last field.
    var next: Int
    var isLast: Bool
    var badQuote: Bool
  }

  /// Scans the field starting at `pos` on a line ending at `lineEnd` (exclusive, no CR/LF).
  @inline(__always)
  static func field(_ p: UnsafePointer<UInt8>, _ pos: Int, _ lineEnd: Int, _ delim: UInt8) -> Field {
    var s = pos
    while s < lineEnd && (p[s] == space || p[s] == tab) && p[s] != delim { s += 1 }
    if s < lineEnd && p[s] == quote {
      // Quoted: up to the closing quote ("" is an escaped quote), then to the delimiter.
      var i = s + 1
      while i < lineEnd {
        if p[i] == quote {
          if i + 1 < lineEnd && p[i + 1] == quote { i += 2; continue }
          break
        }
        i += 1
      }
      if i >= lineEnd { return Field(start: s + 1, end: lineEnd, next: lineEnd, isLast: true, badQuote: true) }
      let contentEnd = i
      i += 1
      while i < lineEnd && p[i] != delim {
        if p[i] != space && p[i] != tab {
          return Field(start: s + 1, end: contentEnd, next: lineEnd, isLast: true, badQuote: true)
        }
        i += 1
      }
      if i < lineEnd { return Field(start: s + 1, end: contentEnd, next: i + 1, isLast: false, badQuote: false) }
      return Field(start: s + 1, end: contentEnd, next: lineEnd, isLast: true, badQuote: false)
    }
    var i = s
    while i < lineEnd && p[i] != delim { i += 1 }
    var e = i
    while e > s && (p[e - 1] == space || p[e - 1] == tab) && p[e - 1] != delim { e -= 1 }
    if i < lineEnd { return Field(start: s, end: e, next: i + 1, isLast: false, badQuote: false) }
    return Field(start: s, end: e, next: lineEnd, isLast: true, badQuote: false)
  }

  /// Cell kinds found by the inference pass (bit flags, OR-ed per column).
  static let kindMissing: UInt8 = 1  // empty cell or nan
  static let kindInteger: UInt8 = 2
  static let kindFloat: UInt8 = 4  // decimal point/exponent, inf, or an integer too large for int64
  static let kindBool: UInt8 = 8

  /// The kind of the cell `p[s..<e]`, or 0 when it is not a number/bool/missing value.
  @inline(__always)
  static func classify(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> UInt8 {
    if s == e { return kindMissing }
    var i = s
    let c0 = p[i]
    if c0 == UInt8(ascii: "-") || c0 == UInt8(ascii: "+") { i += 1 }
    let digitsStart = i
    var value: UInt64 = 0
    var overflow = false
    while i < e, p[i] &- 48 < 10 {
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(UInt64(p[i] &- 48))
      overflow = overflow || o1 || o2
      value = a
      i += 1
    }
    if i == e && i > digitsStart {
      // Integer literal; fits in Int64? (−2^63 is allowed.)
      let limit: UInt64 = c0 == UInt8(ascii: "-") ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
      return overflow || value > limit ? kindFloat : kindInteger
    }
    if isDecimal(p, s, e) { return kindFloat }
    return special(p, s, e)
  }

  /// Decimal floating-point syntax: [sign] digits [. digits] [e [sign] digits], at least one digit.
  @inline(__always)
  static func isDecimal(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
    var i = s
    if i < e && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
    var digits = 0
    while i < e, p[i] &- 48 < 10 { i += 1; digits += 1 }
    if i < e && p[i] == UInt8(ascii: ".") {
      i += 1
      while i < e, p[i] &- 48 < 10 { i += 1; digits += 1 }
    }
    if digits == 0 { return false }
    if i < e && (p[i] | 0x20) == UInt8(ascii: "e") {
      i += 1
      if i < e && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
      var ed = 0
      while i < e, p[i] &- 48 < 10 { i += 1; ed += 1 }
      if ed == 0 { return false }
    }
    return i == e
  }

  /// nan / inf / infinity (any case, optional sign), true / false (any case).
  static func special(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> UInt8 {
    var i = s
    var signed = false
    if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { i += 1; signed = true }
    let n = e - i
    guard n >= 3 && n <= 8 else { return 0 }
    var word: UInt64 = 0
    for k in 0..<n { word = word << 8 | UInt64(p[i + k] | 0x20) }
    switch (n, word) {
    case (3, 0x6e_61_6e): return kindMissing  // nan
    case (3, 0x69_6e_66): return kindFloat  // inf
    case (8, 0x69_6e_66_69_6e_69_74_79): return kindFloat  // infinity
    case (4, 0x74_72_75_65): return signed ? 0 : kindBool  // true
    case (5, 0x66_61_6c_73_65): return signed ? 0 : kindBool  // false
    default: return 0
    }
  }

  /// Exact powers of ten representable as Double (Clinger's fast path).
  static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

  /// Parses a cell already classified as a number, NaN, or bool (→ 1/0) into a Double,
  /// correctly rounded: Clinger's fast path, else strtod on a NUL-terminated copy.
  @inline(__always)
  static func parseDouble(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Double {
    if s == e { return .nan }
    var i = s
    var negative = false
    if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var sawDigit = false
    while i < e, p[i] &- 48 < 10 {
      sawDigit = true
      if digits < 19 {
        mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
        if mantissa != 0 { digits += 1 }
      } else {
        exponent += 1
        digits += 1
      }
      i += 1
    }
    if i < e && p[i] == UInt8(ascii: ".") {
      i += 1
      while i < e, p[i] &- 48 < 10 {
        sawDigit = true
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
          if mantissa != 0 { digits += 1 }
          exponent -= 1
        } else {
          digits += 1
        }
        i += 1
      }
    }
    if !sawDigit {
      let k = special(p, s, e)
      if k == kindMissing { return .nan }
      if k == kindBool { return (p[s] | 0x20) == UInt8(ascii: "t") ? 1 : 0 }
      return negative ? -.infinity : .infinity
    }
    if i < e && (p[i] | 0x20) == UInt8(ascii: "e") {
      i += 1
      var eneg = false
      if i < e && p[i] == UInt8(ascii: "-") { eneg = true; i += 1 } else if i < e && p[i] == UInt8(ascii: "+") { i += 1 }
      var ev = 0
      while i < e, p[i] &- 48 < 10 {
        if ev < 100_000 { ev = ev * 10 + Int(p[i] &- 48) }
        i += 1
      }
      exponent += eneg ? -ev : ev
    }
    if digits <= 19 && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
      var d = Double(mantissa)
      if exponent < 0 { d /= powersOfTen[-exponent] } else { d *= powersOfTen[exponent] }
      return negative ? -d : d
    }
    return slowParse(p, s, e)
  }

  static func slowParse(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Double {
    let n = e - s
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
      for k in 0..<n { buf[k] = CChar(bitPattern: p[s + k]) }
      buf[n] = 0
      return strtod(buf.baseAddress!, nil)
    }
  }

  /// Parses an integer cell (classified as `kindInteger`).
  @inline(__always)
  static func parseInt64(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int64 {
    var i = s
    var negative = false
    if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
    var v: UInt64 = 0
    while i < e { v = v &* 10 &+ UInt64(p[i] &- 48); i += 1 }
    return negative ? Int64(bitPattern: 0 &- v) : Int64(bitPattern: v)
  }
}
