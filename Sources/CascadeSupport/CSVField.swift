/// The one CSV quoting rule for everything the tool writes (event tables, tables/*.csv,
/// fit/yields.csv): a field is quoted — with `""` for a quote inside — when it holds the
/// delimiter, a quote or a line break, or starts or ends with a blank (the project's CSV reader,
/// like most, trims blanks around unquoted values).
///
/// ```swift
/// CSVField.quoted("CR_top")        // CR_top
/// CSVField.quoted("a,b")           // "a,b"
/// CSVField.quoted("say \"hi\"")    // "say ""hi"""
/// ```
public enum CSVField {
  /// `text` as one CSV field.
  public static func quoted(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) -> String {
    var out: [UInt8] = []
    append(text, delimiter: delimiter, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends `text` as one CSV field to a byte buffer.
  public static func append(_ text: String, delimiter: UInt8, to out: inout [UInt8]) {
    let quote = UInt8(ascii: "\""), space = UInt8(ascii: " ")
    let bytes = Array(text.utf8)
    let needsQuotes = bytes.contains { $0 == delimiter || $0 == quote || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
      || bytes.first == space || bytes.last == space
    guard needsQuotes else { out += bytes; return }
    out.append(quote)
    for b in bytes {
      if b == quote { out.append(quote) }
      out.append(b)
    }
    out.append(quote)
  }
}
