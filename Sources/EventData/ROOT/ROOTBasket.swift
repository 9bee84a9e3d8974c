/// Reads one basket's entry bytes (decompressed, entry offsets dropped) and checks them
/// against what the branch says the basket holds.
enum ROOTBasketReader {
  static func entryBytes(file: ROOTFile, branch: ROOTBranch, basket: ROOTBasketRef, index: Int) throws -> [UInt8] {
    let what = "branch \"\(branch.name)\" basket \(index)"
    let expected = basket.entries.count * branch.entrySize
    switch basket.location {
    case .embedded(let data):
      guard data.count == expected else {
        throw ROOTFormatError("\(what): \(data.count) bytes for \(basket.entries.count) entries of \(branch.entrySize) bytes (corrupt file?)")
      }
      return data
    case .file(let seek, let bytes):
      let raw = try file.read(offset: seek, count: bytes, what: what)
      var c = ROOTCursor(raw, context: what)
      let key = try ROOTKey(&c)
      guard key.totalBytes <= raw.count, key.keyLength >= 19 else {
        throw ROOTFormatError("\(what): basket key of \(key.totalBytes) bytes, \(raw.count) stored (corrupt file?)")
      }
      try c.seek(to: key.keyLength - 19)
      let fields = try ROOTBasketFields(&c)
      let border = fields.last - key.keyLength
      guard fields.entries == basket.entries.count, border == expected, border <= key.objectLength else {
        throw ROOTFormatError(
          "\(what): holds \(fields.entries) entries in \(border) bytes, expected \(basket.entries.count) entries of \(branch.entrySize) bytes (corrupt file?)")
      }
      let stored = Array(raw[key.keyLength..<key.totalBytes])
      var data = stored.count == key.objectLength ? stored : try ROOTDecompression.decompress(stored, into: key.objectLength, what: what)
      if data.count > border { data.removeSubrange(border...) }
      return data
    }
  }
}

/// Big-endian entry bytes → typed values: leaf `offset` within each `stride`-byte entry.
enum ROOTDecoder {
  static func decode(_ parts: [(bytes: [UInt8], rows: Range<Int>)], total: Int, dtype: DType, stride: Int, offset: Int) -> ColumnData {
    switch dtype {
    case .float32: .float32(gather(parts, total, stride, offset) { Float(bitPattern: UInt32(bigEndian: $0)) })
    case .float64: .float64(gather(parts, total, stride, offset) { Double(bitPattern: UInt64(bigEndian: $0)) })
    case .int8: .int8(gather(parts, total, stride, offset) { (x: UInt8) in Int8(bitPattern: x) })
    case .uint8: .uint8(gather(parts, total, stride, offset) { (x: UInt8) in x })
    case .bool: .bool(gather(parts, total, stride, offset) { (x: UInt8) in x != 0 })
    case .int16: .int16(gather(parts, total, stride, offset) { Int16(bitPattern: UInt16(bigEndian: $0)) })
    case .uint16: .uint16(gather(parts, total, stride, offset) { UInt16(bigEndian: $0) })
    case .int32: .int32(gather(parts, total, stride, offset) { Int32(bitPattern: UInt32(bigEndian: $0)) })
    case .uint32: .uint32(gather(parts, total, stride, offset) { UInt32(bigEndian: $0) })
    case .int64: .int64(gather(parts, total, stride, offset) { Int64(bitPattern: UInt64(bigEndian: $0)) })
    case .uint64: .uint64(gather(parts, total, stride, offset) { UInt64(bigEndian: $0) })
    }
  }

  /// Rows `rows` of each part (entry indices within that part's bytes), converted by `f`
  /// from the raw stored word, concatenated.
  @inline(__always)
  private static func gather<Raw: FixedWidthInteger, T>(
    _ parts: [(bytes: [UInt8], rows: Range<Int>)], _ total: Int, _ stride: Int, _ offset: Int, _ f: (Raw) -> T
  ) -> [T] {
    [T](unsafeUninitializedCapacity: total) { out, initialized in
      var at = 0
      for p in parts {
        p.bytes.withUnsafeBytes { raw in
          if stride == MemoryLayout<Raw>.size && offset == 0 {
            var src = p.rows.lowerBound * stride
            for _ in p.rows {
              (out.baseAddress! + at).initialize(to: f(raw.loadUnaligned(fromByteOffset: src, as: Raw.self)))
              at += 1
              src += stride
            }
          } else {
            for r in p.rows {
              (out.baseAddress! + at).initialize(to: f(raw.loadUnaligned(fromByteOffset: r * stride + offset, as: Raw.self)))
              at += 1
            }
          }
        }
      }
      initialized = at
    }
  }
}
