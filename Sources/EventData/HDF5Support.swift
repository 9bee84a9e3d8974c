import CHDF5
import CascadeSupport
import Foundation

/// An owned HDF5 id, closed (by its kind) when the last reference goes away.
final class H5Handle {
  let id: hid_t
  init(_ id: hid_t) { self.id = id }
  deinit { if id >= 0 { _ = cascade_H5close_id(id) } }

  /// Wraps `id`, throwing `message` when the call that produced it failed.
  static func check(_ id: hid_t, _ message: @autoclosure () -> String) throws -> H5Handle {
    guard id >= 0 else { throw UserError(message()) }
    return H5Handle(id)
  }
}

enum HDF5 {
  /// HDF5 prints its own error stack to stderr by default; our errors are one line.
  /// No atexit clean-up: after a failed write (e.g. a full disk) HDF5's own clean-up at exit
  /// crashes on the half-closed file; every file is closed by its owner before exit anyway.
  static let initialized: Bool = {
    _ = H5dont_atexit()
    _ = H5open()
    _ = cascade_H5Eset_auto_off()
    return true
  }()

  static func ensureInitialized() { _ = initialized }

  /// The 8-byte HDF5 signature at offset 0, 512, 1024, … (user blocks): as H5Fis_hdf5.
  static func hasSignature(_ path: String) -> Bool {
    ensureInitialized()
    return H5Fis_hdf5(path) > 0
  }

  /// Whether the HDF5 object at `path` exists: checks each component, as H5Lexists
  /// fails (rather than answering false) when an intermediate group is missing.
  static func exists(_ loc: hid_t, _ path: String) -> Bool {
    let parts = path.split(separator: "/")
    var prefix = ""
    for p in parts {
      prefix += "/" + p
      if H5Lexists(loc, prefix, cascade_H5P_DEFAULT()) <= 0 { return false }
    }
    return true
  }

  /// Names of the links in group `gid`, in creation order when the group tracks it (h5py's
  /// `track_order=True`, and files `cascade` writes), else in name order (h5py's default).
  static func linkNames(_ gid: hid_t) -> [String] {
    var info = H5G_info_t()
    guard H5Gget_info(gid, &info) >= 0 else { return [] }
    var order = H5_INDEX_NAME
    let gcpl = H5Gget_create_plist(gid)
    if gcpl >= 0 {
      var flags: UInt32 = 0
      if H5Pget_link_creation_order(gcpl, &flags) >= 0, flags & cascade_H5P_CRT_ORDER_INDEXED() != 0 {
        order = H5_INDEX_CRT_ORDER
      }
      H5Pclose(gcpl)
    }
    var names: [String] = []
    for i in 0..<info.nlinks {
      let n = H5Lget_name_by_idx(gid, ".", order, H5_ITER_INC, i, nil, 0, cascade_H5P_DEFAULT())
      guard n >= 0 else { continue }
      var buf = [CChar](repeating: 0, count: Int(n) + 1)
      _ = H5Lget_name_by_idx(gid, ".", order, H5_ITER_INC, i, &buf, buf.count, cascade_H5P_DEFAULT())
      names.append(String(cString: buf))
    }
    return names
  }

  /// The string value of attribute `name` on `obj` (fixed or variable length), nil otherwise.
  static func stringAttribute(_ obj: hid_t, _ name: String) -> String? {
    guard H5Aexists(obj, name) > 0 else { return nil }
    let aid = H5Aopen(obj, name, cascade_H5P_DEFAULT())
    guard aid >= 0 else { return nil }
    defer { H5Aclose(aid) }
    return readStringAttribute(aid)
  }

  /// Reads a scalar (or 1-element) string attribute; nil for other types.
  static func readStringAttribute(_ aid: hid_t) -> String? {
    let ftype = H5Aget_type(aid)
    guard ftype >= 0 else { return nil }
    defer { H5Tclose(ftype) }
    guard H5Tget_class(ftype) == H5T_STRING else { return nil }
    let space = H5Aget_space(aid)
    defer { H5Sclose(space) }
    let npoints = H5Sget_simple_extent_npoints(space)
    guard npoints == 1 else { return nil }
    if H5Tis_variable_str(ftype) > 0 {
      let mtype = H5Tcopy(cascade_H5T_C_S1())
      defer { H5Tclose(mtype) }
      H5Tset_size(mtype, cascade_H5T_VARIABLE())
      H5Tset_cset(mtype, H5Tget_cset(ftype))
      var ptr: UnsafeMutablePointer<CChar>? = nil
      guard H5Aread(aid, mtype, &ptr) >= 0 else { return nil }
      defer {
        if ptr != nil { H5free_memory(ptr) }
      }
      return ptr.map { String(cString: $0) } ?? ""
    }
    let size = H5Tget_size(ftype)
    var buf = [UInt8](repeating: 0, count: size + 1)
    guard H5Aread(aid, ftype, &buf) >= 0 else { return nil }
    let end = buf.firstIndex(of: 0) ?? size
    return String(decoding: buf[0..<end], as: UTF8.self)
  }

  /// All string attributes of `obj`, in name order.
  static func stringAttributes(_ obj: hid_t) -> [(String, String)] {
    let names = AttributeNames()
    var idx: hsize_t = 0
    let ctx = Unmanaged.passUnretained(names).toOpaque()
    _ = H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, { _, name, _, data in
      if let name, let data {
        Unmanaged<AttributeNames>.fromOpaque(data).takeUnretainedValue().list.append(String(cString: name))
      }
      return 0
    }, ctx)
    var out: [(String, String)] = []
    for n in names.list {
      if let v = stringAttribute(obj, n) { out.append((n, v)) }
    }
    return out
  }

  /// The memory type used to read `dtype` values into Swift arrays.
  static func nativeType(_ dtype: DType) -> hid_t {
    switch dtype {
    case .float32: cascade_H5T_NATIVE_FLOAT()
    case .float64: cascade_H5T_NATIVE_DOUBLE()
    case .int8: cascade_H5T_NATIVE_INT8()
    case .int16: cascade_H5T_NATIVE_INT16()
    case .int32: cascade_H5T_NATIVE_INT32()
    case .int64: cascade_H5T_NATIVE_INT64()
    case .uint8: cascade_H5T_NATIVE_UINT8()
    case .uint16: cascade_H5T_NATIVE_UINT16()
    case .uint32: cascade_H5T_NATIVE_UINT32()
    case .uint64: cascade_H5T_NATIVE_UINT64()
    case .bool: cascade_H5T_NATIVE_UINT8()
    }
  }

  /// The little-endian file type `cascade` writes for `dtype` (bool: see `boolEnumType`).
  static func fileType(_ dtype: DType) -> hid_t {
    switch dtype {
    case .float32: cascade_H5T_IEEE_F32LE()
    case .float64: cascade_H5T_IEEE_F64LE()
    case .int8: cascade_H5T_STD_I8LE()
    case .int16: cascade_H5T_STD_I16LE()
    case .int32: cascade_H5T_STD_I32LE()
    case .int64: cascade_H5T_STD_I64LE()
    case .uint8: cascade_H5T_STD_U8LE()
    case .uint16: cascade_H5T_STD_U16LE()
    case .uint32: cascade_H5T_STD_U32LE()
    case .uint64: cascade_H5T_STD_U64LE()
    case .bool: cascade_H5T_STD_I8LE()
    }
  }

  /// h5py's bool: an enum over int8 with FALSE = 0, TRUE = 1 (h5py reads it as numpy bool).
  static func boolEnumType() -> H5Handle {
    let t = H5Tenum_create(cascade_H5T_NATIVE_INT8())
    var f: Int8 = 0, tr: Int8 = 1
    H5Tenum_insert(t, "FALSE", &f)
    H5Tenum_insert(t, "TRUE", &tr)
    return H5Handle(t)
  }

  /// How a stored HDF5 type maps onto a column: its dtype, or why it cannot be read.
  enum TypeMapping {
    case supported(DType)
    case unsupported(String)
  }

  static func mapType(_ t: hid_t) -> TypeMapping {
    let size = H5Tget_size(t)
    switch H5Tget_class(t) {
    case H5T_FLOAT:
      if size == 4 { return .supported(.float32) }
      if size == 8 { return .supported(.float64) }
      return .unsupported("float\(size * 8)")
    case H5T_INTEGER:
      let signed = H5Tget_sign(t) == H5T_SGN_2
      switch (size, signed) {
      case (1, true): return .supported(.int8)
      case (2, true): return .supported(.int16)
      case (4, true): return .supported(.int32)
      case (8, true): return .supported(.int64)
      case (1, false): return .supported(.uint8)
      case (2, false): return .supported(.uint16)
      case (4, false): return .supported(.uint32)
      case (8, false): return .supported(.uint64)
      default: return .unsupported("integer of \(size) bytes")
      }
    case H5T_ENUM:
      // h5py's bool (FALSE/TRUE over int8); other enums are categorical → unsupported.
      if size == 1, H5Tget_nmembers(t) == 2, enumMemberName(t, 0) == "FALSE", enumMemberName(t, 1) == "TRUE" {
        return .supported(.bool)
      }
      return .unsupported("enum")
    case H5T_BITFIELD:
      // PyTables stores bool columns as 8-bit bitfields.
      if size == 1 { return .supported(.bool) }
      return .unsupported("bitfield of \(size) bytes")
    case H5T_STRING: return .unsupported("string")
    case H5T_COMPOUND: return .unsupported("compound")
    case H5T_ARRAY: return .unsupported("array")
    case H5T_VLEN: return .unsupported("variable-length")
    case H5T_REFERENCE: return .unsupported("reference")
    case H5T_OPAQUE: return .unsupported("opaque")
    default: return .unsupported("unknown")
    }
  }

  static func enumMemberName(_ t: hid_t, _ i: UInt32) -> String? {
    guard let p = H5Tget_member_name(t, i) else { return nil }
    defer { H5free_memory(p) }
    return String(cString: p)
  }

  /// The memory type for reading a stored bool-like type (enum or bitfield) as bytes.
  static func boolMemoryType(for fileType: hid_t) -> H5Handle {
    H5Handle(H5Tget_native_type(fileType, H5T_DIR_ASCEND))
  }
}

/// Collects attribute names from the C iteration callback.
private final class AttributeNames { var list: [String] = [] }
