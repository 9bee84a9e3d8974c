import CascadeSupport
import Foundation

/// Statistics of one column: min/max over non-NaN values (nil when there are none), the NaN
/// count, and the sum of non-NaN values accumulated in row order as Double.
///
/// JSON (`cascade inspect --json`): `{"name","dtype","min","max","nan_count","sum"}`;
/// non-finite numbers and a missing min/max are `null`.
public struct ColumnSummary: Codable, Sendable, Equatable {
  public var name: String
  public var dtype: DType
  public var min: Double?
  public var max: Double?
  public var nanCount: Int
  public var sum: Double

  /// The summary of an empty column: no min/max, no NaNs, a zero sum; rows are added block by block.
  public init(name: String, dtype: DType) {
    self.name = name
    self.dtype = dtype
    nanCount = 0
    sum = 0
  }

  mutating func add(_ data: ColumnData) {
    switch data {
    case .float32(let v): addFloats(v)
    case .float64(let v): addFloats(v)
    case .int8(let v): addIntegers(v)
    case .int16(let v): addIntegers(v)
    case .int32(let v): addIntegers(v)
    case .int64(let v): addIntegers(v)
    case .uint8(let v): addIntegers(v)
    case .uint16(let v): addIntegers(v)
    case .uint32(let v): addIntegers(v)
    case .uint64(let v): addIntegers(v)
    case .bool(let v): addIntegers(v.map { UInt8($0 ? 1 : 0) })
    }
  }

  private mutating func addFloats<F: BinaryFloatingPoint>(_ v: [F]) {
    var lo = Double.infinity, hi = -Double.infinity, s = 0.0, nans = 0, any = false
    v.withUnsafeBufferPointer { b in
      for x in b {
        let d = Double(x)
        if d.isNaN { nans &+= 1; continue }
        any = true
        if d < lo { lo = d }
        if d > hi { hi = d }
        s += d
      }
    }
    merge(any: any, lo: lo, hi: hi, sum: s, nans: nans)
  }

  private mutating func addIntegers<I: BinaryInteger>(_ v: [I]) {
    guard !v.isEmpty else { return }
    var lo = v[0], hi = v[0]
    var s = 0.0
    v.withUnsafeBufferPointer { b in
      for x in b {
        if x < lo { lo = x }
        if x > hi { hi = x }
        s += Double(x)
      }
    }
    merge(any: true, lo: Double(lo), hi: Double(hi), sum: s, nans: 0)
  }

  private mutating func merge(any: Bool, lo: Double, hi: Double, sum s: Double, nans: Int) {
    nanCount += nans
    sum += s
    guard any else { return }
    min = Swift.min(min ?? lo, lo)
    max = Swift.max(max ?? hi, hi)
  }

  enum CodingKeys: String, CodingKey {
    case name, dtype, min, max
    case nanCount = "nan_count"
    case sum
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(dtype, forKey: .dtype)
    try c.encodeNullable(min, forKey: .min)
    try c.encodeNullable(max, forKey: .max)
    try c.encode(nanCount, forKey: .nanCount)
    try c.encode(sum, forKey: .sum)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    dtype = try c.decode(DType.self, forKey: .dtype)
    min = try c.decodeNullable(Double.self, forKey: .min)
    max = try c.decodeNullable(Double.self, forKey: .max)
    nanCount = try c.decode(Int.self, forKey: .nanCount)
    sum = try c.decode(Double.self, forKey: .sum)
  }
}

extension TableLayout: Codable {}

/// Per-column summary for `inspect` (min, max, nan_count, NaN-aware sum) + layout, table, rows.
/// Its JSON form, `{"file","layout","table","rows","columns":[…]}`, is what
/// `cascade inspect --json` prints.
public struct EventFileSummary: Codable, Sendable, Equatable {
  public var file: String
  public var layout: TableLayout
  public var table: String
  public var rows: Int
  public var columns: [ColumnSummary]

  /// Reads every column in blocks of `blockRows` rows (memory stays bounded) and accumulates
  /// the statistics in row order, so results are identical for any block size ≥ the reading
  /// granularity and any thread count.
  public static func compute(_ reader: EventFileReader, blockRows: Int = 1 << 20) throws -> EventFileSummary {
    var cols = reader.schema.map { ColumnSummary(name: $0.name, dtype: $0.dtype) }
    for r in reader.blockRanges(of: blockRows) {
      let block = try reader.read(columns: nil, rows: r)
      // Columns are independent: summarise them in parallel (each one sequentially).
      let updated = ParallelBlocks.map(count: cols.count, blockSize: 1, threads: 0) { c -> ColumnSummary in
        var s = cols[c.lowerBound]
        s.add(block.columns[c.lowerBound].data)
        return s
      }
      cols = updated
    }
    return EventFileSummary(file: reader.path, layout: reader.layout, table: reader.tablePath, rows: reader.rowCount, columns: cols)
  }

  /// A human-readable table: one header line, then one line per column.
  public var text: String {
    var out = "\(file)  layout: \(layout.rawValue)  table: \(table)  rows: \(rows)\n"
    let header = ["column", "dtype", "min", "max", "nan", "sum"]
    var lines: [[String]] = [header]
    for c in columns {
      lines.append([
        c.name, c.dtype.rawValue, c.min.map(EventFileSummary.format) ?? "-", c.max.map(EventFileSummary.format) ?? "-",
        String(c.nanCount), EventFileSummary.format(c.sum),
      ])
    }
    var widths = [Int](repeating: 0, count: header.count)
    for l in lines { for (i, f) in l.enumerated() { widths[i] = Swift.max(widths[i], f.count) } }
    for l in lines {
      var s = " "
      for (i, f) in l.enumerated() {
        // Names and dtypes left-aligned, numbers right-aligned.
        let pad = String(repeating: " ", count: widths[i] - f.count)
        s += " " + (i < 2 ? f + pad : pad + f)
      }
      while s.last == " " { s.removeLast() }
      out += s + "\n"
    }
    return out
  }

  static func format(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return String(format: "%.6g", d)
  }
}
