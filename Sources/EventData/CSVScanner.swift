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
    var i = firstByte(delim, p, s, lineEnd)
    var e = i
    while e > s && (p[e - 1] == space || p[e - 1] == tab) && p[e - 1] != delim { e -= 1 }
    if i < lineEnd { return Field(start: s, end: e, next: i + 1, isLast: false, badQuote: false) }
    return Field(start: s, end: e, next: lineEnd, isLast: true, badQuote: false)
  }

  /// Eight copies of byte `b` in one word.
  @inline(__always)
  static func broadcast(_ b: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(b) }

  /// An unaligned little-endian load of the 8 bytes at `p + i`.
  @inline(__always)
  static func word(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
    UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
  }

  /// Index of the first `b` in `p[from..<end]`, or `end`: eight bytes per step (SWAR zero-byte
  /// test on `word ^ b`, whose lowest flagged byte is always a true match), then byte by byte.
  @inline(__always)
  static func firstByte(_ b: UInt8, _ p: UnsafePointer<UInt8>, _ from: Int, _ end: Int) -> Int {
    var i = from
    let pattern = broadcast(b)
    while i &+ 8 <= end {
      let x = word(p, i) ^ pattern
      let hit = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
      if hit != 0 { return i &+ (hit.trailingZeroBitCount &>> 3) }
      i &+= 8
    }
    while i < end && p[i] != b { i &+= 1 }
    return i
  }

  /// Appends the run of decimal digits at `p[i..<e]` to `mantissa` (wrapping, as the byte loop
  /// does) and returns where the run ends: eight digits at a time (Lemire's SWAR conversion),
  /// then byte by byte.
  @inline(__always)
  static func digitRun(_ p: UnsafePointer<UInt8>, _ from: Int, _ e: Int, _ mantissa: inout UInt64) -> Int {
    var i = from
    while i &+ 8 <= e {
      let v = word(p, i)
      // All eight bytes in '0'…'9': high nibbles 3, and adding 6 keeps them 3.
      let allDigits = (v & 0xF0F0_F0F0_F0F0_F0F0) | (((v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) &>> 4)
      if allDigits != 0x3333_3333_3333_3333 { break }
      var d = v &- 0x3030_3030_3030_3030
      d = (d &* 10) &+ (d &>> 8)
      d = (((d & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32))) &+ (((d &>> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32)))) &>> 32
      mantissa = mantissa &* 100_000_000 &+ d
      i &+= 8
    }
    while i < e {
      let d = p[i] &- 48
      if d >= 10 { break }
      mantissa = mantissa &* 10 &+ UInt64(d)
      i &+= 1
    }
    return i
  }

  /// Character classes for the fused inference scan (bit flags OR-ed over a cell's bytes).
  static let classDigit: UInt8 = 1, classSign: UInt8 = 2, classDot: UInt8 = 4, classExp: UInt8 = 8
  static let classLetter: UInt8 = 16, classBlank: UInt8 = 32, classQuote: UInt8 = 64, classOther: UInt8 = 128

  static let classTable: UnsafePointer<UInt8> = {
    let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for c in 0..<256 {
      let u = UInt8(c)
      var k = classOther
      if u >= 48 && u <= 57 { k = classDigit }
      else if u == UInt8(ascii: "+") || u == UInt8(ascii: "-") { k = classSign }
      else if u == UInt8(ascii: ".") { k = classDot }
      else if u == UInt8(ascii: "e") || u == UInt8(ascii: "E") { k = classExp }
      else if (u | 0x20) >= UInt8(ascii: "a") && (u | 0x20) <= UInt8(ascii: "z") { k = classLetter }
      else if u == space || u == tab { k = classBlank }
      else if u == quote { k = classQuote }
      t[c] = k
    }
    return UnsafePointer(t)
  }()

  /// Scans one field and infers its kind in the same pass over its bytes: the common unquoted,
  /// untrimmed case only ORs character classes; anything unusual takes the exact path.
  /// Malformed numbers made only of number characters ("1.2.3", "1e") are caught by the
  /// value pass (`parseDouble` returns nil), with the same message.
  @inline(__always)
  static func fieldKind(_ p: UnsafePointer<UInt8>, _ pos: Int, _ lineEnd: Int, _ delim: UInt8) -> (Field, UInt8) {
    let table = classTable
    var m: UInt8 = 0
    var i = pos
    while i < lineEnd {
      let c = p[i]
      if c == delim { break }
      m |= table[Int(c)]
      i += 1
    }
    if m & (classBlank | classQuote) != 0 {
      let f = field(p, pos, lineEnd, delim)
      return (f, f.badQuote ? 0 : classify(p, f.start, f.end))
    }
    let f = Field(start: pos, end: i, next: i < lineEnd ? i + 1 : lineEnd, isLast: i >= lineEnd, badQuote: false)
    if m == 0 { return (f, kindMissing) }
    if m == classDigit && i - pos <= 18 { return (f, kindInteger) }
    if m & (classLetter | classOther) == 0 && m & classDigit != 0 && m & (classDot | classExp) != 0 {
      return (f, kindFloat)
    }
    return (f, classify(p, pos, i))
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

  /// Parses a cell classified as a number, missing, or bool (→ 1/0), correctly rounded:
  /// Clinger's fast path, then Eisel-Lemire, then strtod for the rare leftovers (more than 19
  /// significant digits, subnormals, ambiguous halfway cases). nil when the syntax is invalid
  /// (the inference pass only checks the characters used, not their order).
  @inline(__always)
  static func parseDouble(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Double? {
    if s == e { return .nan }
    var i = s
    var negative = false
    if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
    // Digits accumulate without overflow checks; more than 19 of them (rare: shortest
    // round-trip text has at most 17 significant digits) goes to strtod below.
    var mantissa: UInt64 = 0
    let intStart = i
    // Integer parts are short (a word test would rarely pay): byte by byte.
    while i < e {
      let d = p[i] &- 48
      if d >= 10 { break }
      mantissa = mantissa &* 10 &+ UInt64(d)
      i += 1
    }
    var digits = i - intStart
    var exponent = 0
    if i < e && p[i] == UInt8(ascii: ".") {
      i += 1
      let fracStart = i
      i = digitRun(p, i, e, &mantissa)
      exponent = fracStart - i
      digits += i - fracStart
    }
    let sawDigit = digits > 0
    if !sawDigit {
      let k = special(p, s, e)
      if k == kindMissing { return .nan }
      if k == kindBool { return (p[s] | 0x20) == UInt8(ascii: "t") ? 1 : 0 }
      if k == kindFloat { return negative ? -.infinity : .infinity }
      return nil
    }
    if i < e && (p[i] | 0x20) == UInt8(ascii: "e") {
      i += 1
      var eneg = false
      if i < e && p[i] == UInt8(ascii: "-") { eneg = true; i += 1 } else if i < e && p[i] == UInt8(ascii: "+") { i += 1 }
      var ev = 0
      let expStart = i
      while i < e, p[i] &- 48 < 10 {
        if ev < 100_000 { ev = ev * 10 + Int(p[i] &- 48) }
        i += 1
      }
      if i == expStart { return nil }
      exponent += eneg ? -ev : ev
    }
    if i != e { return nil }
    if digits > 19 {
      // Leading zeros do not count: "0.000…0123" still fits.
      var k = intStart
      while k < e && (p[k] == UInt8(ascii: "0") || p[k] == UInt8(ascii: ".")) {
        if p[k] == UInt8(ascii: "0") { digits -= 1 }
        k += 1
      }
    }
    if digits <= 19 {
      // Clinger's fast path for non-negative exponents (a division would cost more than
      // Eisel-Lemire's two multiplications, so negative exponents go there).
      if mantissa <= (1 << 53) && exponent >= 0 && exponent <= 22 {
        let d = exponent == 0 ? Double(mantissa) : Double(mantissa) * powersOfTen[exponent]
        return negative ? -d : d
      }
      if let d = eiselLemire(mantissa, exponent, negative) { return d }
    }
    return slowParse(p, s, e)
  }

  /// Eisel-Lemire: w × 10^q correctly rounded via a 128-bit product with a truncated power of
  /// five, or nil when the truncation could matter (then strtod decides). Lemire, "Number
  /// Parsing at a Gigabyte per Second" (2021), as in simdjson's compute_float_64.
  @inline(__always)
  static func eiselLemire(_ w: UInt64, _ q: Int, _ negative: Bool) -> Double? {
    if w == 0 { return negative ? -0.0 : 0.0 }
    guard q >= -325 && q <= 308 else { return nil }
    let index = q - PowersOfFive.smallestPower
    let exponent = (((152_170 + 65_536) * q) >> 16) + 1024 + 63
    var lz = w.leadingZeroBitCount
    let i = w << UInt64(lz)
    var (upper, lower) = i.multipliedFullWidth(by: PowersOfFive.high[index])
    if upper & 0x1FF == 0x1FF && lower &+ i < lower {
      let (middle2, productLow) = i.multipliedFullWidth(by: PowersOfFive.low[index])
      var productHigh = upper
      let middle = lower &+ middle2
      if middle < lower { productHigh &+= 1 }
      if middle &+ 1 == 0 && productHigh & 0x1FF == 0x1FF && productLow &+ i < productLow { return nil }
      upper = productHigh
      lower = middle
    }
    let upperBit = Int(upper >> 63)
    var m = upper >> UInt64(upperBit + 9)
    lz += 1 ^ upperBit
    if lower == 0 && upper & 0x1FF == 0 && m & 3 == 1 { return nil }
    m += m & 1
    m >>= 1
    if m >= (1 << 53) {
      m = 1 << 52
      lz -= 1
    }
    m &= ~(1 << 52)
    let realExponent = exponent - lz
    if realExponent < 1 || realExponent > 2046 { return nil }
    return Double(bitPattern: m | UInt64(realExponent) << 52 | (negative ? 1 << 63 : 0))
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
