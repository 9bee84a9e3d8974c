import CascadeSupport
import Foundation

/// One entry of the config's top-level `systematics` array: a nuisance parameter and how the
/// events vary under it. Weight and shift variations are evaluated in the same pass as the
/// nominal events by `apply`; file variations are alternative ntuples routed through the trained
/// cascade; normalisation and lumi variations need no events.
public struct SystematicConfig: Sendable, Equatable {
  /// One column replaced by its up/down partner in a `shift` variation.
  public struct ShiftedColumn: Sendable, Equatable {
    public var nominal: String
    public var up: String
    public var down: String
    /// `nominal` replaced by `up` / `down`.
  public init(nominal: String, up: String, down: String) {
      self.nominal = nominal
      self.up = up
      self.down = down
    }
  }

  /// What the systematic varies, with its type's settings.
  public enum Kind: Sendable, Equatable {
    /// Alternative weight columns; routing unchanged.
    case weight(up: String, down: String?)
    /// Columns replaced by shifted copies: every stage re-scores, every event re-routes.
    case shift([ShiftedColumn])
    /// Alternative ntuples of one sample, routed through the trained cascade.
    case files(up: [String], down: [String]?)
    /// A plain normsys: yield factors.
    case normalization(up: Double, down: Double)
    /// The luminosity uncertainty σ (one parameter, auxdata 1, on every selected sample).
    case lumi(sigma: Double)

    public var typeName: String {
      switch self {
      case .weight: "weight"
      case .shift: "shift"
      case .files: "files"
      case .normalization: "normalization"
      case .lumi: "lumi"
      }
    }
  }

  /// How a missing or asymmetric side is completed before the modifiers are built.
  public enum Symmetrization: String, Sendable, Equatable {
    /// down = 2·nominal − up (the side given is mirrored).
    case oneSided = "one-sided"
    /// up/down = nominal ± (up − down)/2.
    case twoSided = "two-sided"
    case none
  }

  /// The nuisance parameter's name (shared by its normsys and histosys).
  public var name: String
  public var kind: Kind
  /// Samples varied; nil = every MC sample.
  public var samples: [String]?
  /// Fitted regions the modifiers are added in; nil = every fitted region.
  public var regions: [String]?
  public var symmetrize: Symmetrization
  /// Smooth the up/down ÷ nominal ratio with ROOT's TH1::Smooth (353QH, twice).
  public var smooth: Bool
  /// false: normalisation only (no histosys).
  public var shape: Bool

  /// The variation's sides that have events or factors: `up`, and `down` unless one-sided.
  public var sides: [VariationSide] {
    switch kind {
    case .weight(_, let down): down == nil ? [.up] : [.up, .down]
    case .files(_, let down): down == nil ? [.up] : [.up, .down]
    case .shift, .normalization: [.up, .down]
    case .lumi: []
    }
  }

  /// Whether the variation has its own events (weight, shift or files), i.e. templates.
  public var hasTemplates: Bool {
    switch kind {
    case .weight, .shift, .files: true
    case .normalization, .lumi: false
    }
  }

  /// The samples this systematic varies, from the config's MC samples.
  public func appliesTo(sample: SampleConfig) -> Bool {
    sample.isMC && (samples?.contains(sample.name) ?? true)
  }
}

/// The side of a variation.
public enum VariationSide: String, Sendable, Equatable, CaseIterable {
  case up, down
}

/// One varied copy of the events: a systematic and a side.
public struct Variation: Sendable, Equatable, Hashable {
  public var systematic: String
  public var side: VariationSide
  /// `side` of `systematic`.
  public init(systematic: String, side: VariationSide) {
    self.systematic = systematic
    self.side = side
  }
  /// `jes__up`: the suffix of the variation's columns and directories.
  public var key: String { "\(systematic)__\(side.rawValue)" }
}

/// `fit.prune`: relative thresholds below which a normsys (|factor − 1|) or a histosys (largest
/// relative bin deviation after normalisation) is dropped per (region, sample).
public struct PruningThresholds: Sendable, Equatable {
  public var norm: Double
  public var shape: Double
  /// Thresholds (0: nothing pruned).
  public init(norm: Double = 0, shape: Double = 0) {
    self.norm = norm
    self.shape = shape
  }
}

extension CascadeConfig {
  static let systematicKeys = ["name", "type", "samples", "regions", "up", "down", "columns", "sigma", "symmetrize", "smooth", "shape"]
  static let systematicTypes = ["weight", "shift", "files", "normalization", "lumi"]

  /// The fit observable named by the raw `fit` block (nil without one): apply stores its shifted
  /// values for `shift` variations that list it.
  public var fitObservable: String? { fit?.value["observable"]?.stringValue }

  /// Every column a `shift` systematic replaces, nominal name → (systematic index, column).
  func shiftedColumns() -> [(systematic: Int, column: SystematicConfig.ShiftedColumn)] {
    var out: [(Int, SystematicConfig.ShiftedColumn)] = []
    for (i, s) in systematics.enumerated() {
      if case .shift(let cols) = s.kind { for c in cols { out.append((i, c)) } }
    }
    return out
  }

  static func parseSystematics(_ c: JSONCursor, samples: [SampleConfig], regions: [String], base: String) throws -> [SystematicConfig] {
    var out: [SystematicConfig] = []
    let mc = samples.filter(\.isMC).map(\.name)
    for item in try c.array() {
      let o = try item.object(allowed: systematicKeys)
      let nc = try o.required("name")
      let name = try nc.string()
      guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), !name.contains("__") else {
        throw nc.error("must be non-empty, use only letters, digits, '_' and '-', and not contain \"__\"")
      }
      if out.contains(where: { $0.name == name }) { throw nc.error("duplicate systematic name \"\(name)\"") }
      let tc = try o.required("type")
      let type = try tc.string()
      guard systematicTypes.contains(type) else {
        var msg = "must be one of \(systematicTypes.joined(separator: ", ")) (found \"\(type)\")"
        if let near = nearestName(to: type, in: systematicTypes) { msg += " (did you mean \"\(near)\"?)" }
        throw tc.error(msg)
      }
      let allowedByType: [String: [String]] = [
        "weight": ["up", "down"], "shift": ["columns"], "files": ["up", "down"],
        "normalization": ["up", "down"], "lumi": ["sigma"],
      ]
      for key in ["up", "down", "columns", "sigma"] where o.object[key] != nil && !allowedByType[type]!.contains(key) {
        throw try o.required(key).error("not a key of a \"\(type)\" systematic (it takes \(allowedByType[type]!.joined(separator: ", ")))")
      }
      var selected: [String]?
      if let sc = o.optional("samples") {
        let names = try sc.strings()
        guard !names.isEmpty else { throw sc.error("needs at least one sample (omit it for every MC sample)") }
        for (i, n) in names.enumerated() where !mc.contains(n) {
          var msg = "\"\(n)\" is not an MC sample"
          if let near = nearestName(to: n, in: mc) { msg += " (did you mean \"\(near)\"?)" }
          throw sc.element(i, .string(n)).error(msg)
        }
        if Set(names).count != names.count { throw sc.error("samples must be unique") }
        selected = names
      }
      var regionList: [String]?
      if let rc = o.optional("regions") {
        let names = try rc.strings()
        guard !names.isEmpty else { throw rc.error("needs at least one region (omit it for every fitted region)") }
        for (i, n) in names.enumerated() where !regions.contains(n) {
          var msg = "\"\(n)\" is not a region of this cascade (\(regions.joined(separator: ", ")))"
          if let near = nearestName(to: n, in: regions) { msg = "\"\(n)\" is not a region (did you mean \"\(near)\"?)" }
          throw rc.element(i, .string(n)).error(msg)
        }
        regionList = names
      }
      let kind: SystematicConfig.Kind
      switch type {
      case "weight":
        let up = try o.required("up").string()
        let down = try o.optional("down")?.string()
        if let down, down == up { throw try o.required("down").error("is the same column as \"up\" (\"\(up)\")") }
        kind = .weight(up: up, down: down)
      case "shift":
        let cc = try o.required("columns")
        let obj = try cc.object()
        guard !obj.keys.isEmpty else { throw cc.error("needs at least one column") }
        var cols: [SystematicConfig.ShiftedColumn] = []
        for key in obj.keys {
          let pc = cc.child(key, obj.object[key]!)
          let pair = try pc.strings()
          guard pair.count == 2 else {
            throw pc.error("expected [up column, down column], found \(pair.count) column\(pair.count == 1 ? "" : "s") (a shifted column needs its partner)")
          }
          guard pair[0] != pair[1] else { throw pc.error("up and down are the same column (\"\(pair[0])\")") }
          guard !pair.contains(key) else { throw pc.error("a shifted column cannot be the nominal column \"\(key)\"") }
          cols.append(.init(nominal: key, up: pair[0], down: pair[1]))
        }
        kind = .shift(cols)
      case "files":
        guard let sel = selected, sel.count == 1 else {
          throw (o.optional("samples") ?? item).error("a \"files\" systematic needs \"samples\" with exactly one sample (the one the files replace)")
        }
        let sample = samples.first { $0.name == sel[0] }!
        let up = try resolveFiles(try o.required("up"), base: base)
        var down: [String]?
        if let dc = o.optional("down") {
          let d = try resolveFiles(dc, base: base)
          if d == up { throw dc.error("lists the same files as \"up\"") }
          down = d
        }
        for f in up + (down ?? []) where sample.files.contains(f) {
          throw (o.optional("up") ?? item).error("\(f) is a nominal file of sample \"\(sample.name)\"")
        }
        kind = .files(up: up, down: down)
      case "normalization":
        let uc = try o.required("up"), dc = try o.required("down")
        let up = try uc.finiteDouble(), down = try dc.finiteDouble()
        guard up > 0 else { throw uc.error("must be a positive yield factor (found \(JSONValue.format(up)))") }
        guard down > 0 else { throw dc.error("must be a positive yield factor (found \(JSONValue.format(down)))") }
        guard up != down else { throw dc.error("equals \"up\" (\(JSONValue.format(up))): the variation changes nothing") }
        kind = .normalization(up: up, down: down)
      default:  // lumi
        let sc = try o.required("sigma")
        let sigma = try sc.finiteDouble()
        guard sigma > 0, sigma < 1 else { throw sc.error("must be between 0 and 1 (found \(JSONValue.format(sigma)))") }
        kind = .lumi(sigma: sigma)
      }
      var s = SystematicConfig(name: name, kind: kind, samples: selected, regions: regionList, symmetrize: .none, smooth: false, shape: true)
      let oneSided = s.sides == [.up]
      s.symmetrize = oneSided ? .oneSided : .none
      if let yc = o.optional("symmetrize") {
        let text = try yc.string()
        guard let sym = SystematicConfig.Symmetrization(rawValue: text) else {
          throw yc.error("must be one-sided, two-sided or none (found \"\(text)\")")
        }
        if oneSided, sym != .oneSided { throw yc.error("\"\(text)\" needs a down variation; this systematic has only up (use one-sided)") }
        s.symmetrize = sym
      }
      if let mc = o.optional("smooth") { s.smooth = try mc.bool() }
      if let hc = o.optional("shape") { s.shape = try hc.bool() }
      if !s.hasTemplates {
        for key in ["symmetrize", "smooth", "shape"] where o.optional(key) != nil {
          throw try o.required(key).error("only weight, shift and files systematics have templates to \(key == "shape" ? "shape" : key)")
        }
      }
      out.append(s)
    }
    return out
  }

  static func resolveFiles(_ c: JSONCursor, base: String) throws -> [String] {
    let patterns = try c.stringOrStrings()
    guard !patterns.isEmpty else { throw c.error("at least one file is required") }
    var files: [String] = []
    for (i, p) in patterns.enumerated() {
      let full = resolve(p, against: base)
      let matches = expandGlob(full)
      let at = c.value.arrayValue == nil ? c : c.element(i, .string(p))
      if matches.isEmpty { throw at.error("no file matches \"\(p)\"") }
      if matches.count == 1, matches[0] == full, !FileManager.default.fileExists(atPath: full) { throw at.error("file not found: \(full)") }
      for m in matches where !files.contains(m) { files.append(m) }
    }
    var stems: Set<String> = []
    for f in files where !stems.insert(fileStem(f)).inserted {
      throw c.error("two files share the file name stem \"\(fileStem(f))\"")
    }
    return files
  }

  static func parsePruning(_ fit: JSONCursor?) throws -> PruningThresholds? {
    guard let fit, case .object(let o) = fit.value, let v = o["prune"], v != .null else { return nil }
    let pc = fit.child("prune", v)
    let p = try pc.object(allowed: ["norm", "shape"])
    var t = PruningThresholds()
    for key in ["norm", "shape"] {
      guard let c = p.optional(key) else { continue }
      let x = try c.finiteDouble()
      guard x >= 0, x < 1 else { throw c.error("must be a relative threshold in [0, 1) (found \(JSONValue.format(x)))") }
      if key == "norm" { t.norm = x } else { t.shape = x }
    }
    return t
  }
}
