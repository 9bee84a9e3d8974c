import CascadeSupport

/// Reads pyhf JSON workspaces strictly: unknown keys, wrong types, inconsistent bin counts,
/// negative uncertainties and missing observations are `UserError`s naming the JSON path.
public enum WorkspaceReader {
  /// Loads and validates the workspace at `path`.
  public static func read(path: String) throws -> Workspace {
    try parse(JSONCursor(JSONValue.load(path: path), source: path))
  }

  /// Validates an already-parsed document (`source` names it in errors).
  public static func parse(_ root: JSONCursor) throws -> Workspace {
    let obj = try root.object(allowed: ["channels", "observations", "measurements", "version"])
    let version = try obj.required("version").string()
    guard version == "1.0.0" else {
      throw try obj.required("version").error("unsupported workspace version \"\(version)\" (expected \"1.0.0\")")
    }
    let channelsCursor = try obj.required("channels")
    let channelItems = try channelsCursor.array()
    guard !channelItems.isEmpty else { throw channelsCursor.error("needs at least one channel") }
    var channels: [Channel] = []
    for item in channelItems {
      let channel = try readChannel(item)
      if channels.contains(where: { $0.name == channel.name }) {
        throw item.error("duplicate channel name \"\(channel.name)\"")
      }
      channels.append(channel)
    }
    try checkUnsharedModifiers(channels, channelItems)

    let obsCursor = try obj.required("observations")
    var observations: [Observation] = []
    for item in try obsCursor.array() {
      let o = try item.object(allowed: ["name", "data"])
      let name = try o.required("name").string()
      let dataCursor = try o.required("data")
      let data = try numbers(dataCursor, nonEmpty: true)
      guard let channel = channels.first(where: { $0.name == name }) else {
        var msg = "observation for unknown channel \"\(name)\""
        if let near = nearestName(to: name, in: channels.map(\.name)) { msg += " (did you mean \"\(near)\"?)" }
        throw item.error(msg)
      }
      guard data.count == channel.binCount else {
        throw dataCursor.error("has \(data.count) bins, channel \"\(name)\" has \(channel.binCount)")
      }
      if let bad = data.firstIndex(where: { $0 < 0 }) {
        throw dataCursor.element(bad, .number(data[bad])).error("observed count must not be negative")
      }
      if observations.contains(where: { $0.name == name }) { throw item.error("second observation for channel \"\(name)\"") }
      observations.append(Observation(name: name, data: data))
    }
    for c in channels where !observations.contains(where: { $0.name == c.name }) {
      throw obsCursor.error("missing observation for channel \"\(c.name)\"")
    }

    let measCursor = try obj.required("measurements")
    var measurements: [Measurement] = []
    for item in try measCursor.array() {
      measurements.append(try readMeasurement(item))
    }
    guard !measurements.isEmpty else { throw measCursor.error("needs at least one measurement") }
    return Workspace(channels: channels, observations: observations, measurements: measurements, version: version)
  }

  static func readChannel(_ c: JSONCursor) throws -> Channel {
    let o = try c.object(allowed: ["name", "samples"])
    let name = try o.required("name").string()
    let samplesCursor = try o.required("samples")
    let items = try samplesCursor.array()
    guard !items.isEmpty else { throw samplesCursor.error("needs at least one sample") }
    var samples: [Sample] = []
    var nbins = 0
    for (i, item) in items.enumerated() {
      let so = try item.object(allowed: ["name", "data", "modifiers"])
      let sname = try so.required("name").string()
      let dataCursor = try so.required("data")
      let data = try numbers(dataCursor, nonEmpty: true)
      if i == 0 { nbins = data.count }
      guard data.count == nbins else {
        throw dataCursor.error("has \(data.count) bins, channel \"\(name)\" has \(nbins) (from its first sample)")
      }
      if samples.contains(where: { $0.name == sname }) { throw item.error("duplicate sample name \"\(sname)\" in channel \"\(name)\"") }
      var modifiers: [Modifier] = []
      for m in try so.required("modifiers").array() {
        modifiers.append(try readModifier(m, bins: nbins))
      }
      samples.append(Sample(name: sname, data: data, modifiers: modifiers))
    }
    // Single samples may be negative (interference, subtractions), but a negative total is a
    // Poisson mean below zero: the likelihood is undefined at the nominal point (pyhf fails too).
    for b in 0..<nbins {
      let total = samples.reduce(0) { $0 + $1.data[b] }
      if total < 0 {
        throw samplesCursor.error("bin \(b): the nominal yields of the samples sum to \(JSONValue.format(total)) < 0 (negative template bins)")
      }
    }
    return Channel(name: name, samples: samples)
  }

  /// Reads one modifier `{"name", "type", "data"}` of a sample with `bins` bins; the type's
  /// registered definition reads and checks `data`.
  public static func readModifier(_ m: JSONCursor, bins: Int) throws -> Modifier {
    let o = try m.object(allowed: ["name", "type", "data"])
    let typeCursor = try o.required("type")
    let typeName = try typeCursor.string()
    guard let definition = modifierDefinition(named: typeName) else {
      let known = ModifierType.allCases.map(\.rawValue)
      var msg = "unknown modifier type \"\(typeName)\" (known: \(known.joined(separator: ", ")))"
      if let near = nearestName(to: typeName, in: known) { msg = "unknown modifier type \"\(typeName)\" (did you mean \"\(near)\"?)" }
      throw typeCursor.error(msg)
    }
    let nameCursor = try o.required("name")
    let name = try nameCursor.string()
    let data = try o.required("data")
    return Modifier(name: name, kind: ModifierKind(try definition.read(name: nameCursor, data: data, bins: bins)))
  }

  static func readMeasurement(_ c: JSONCursor) throws -> Measurement {
    let o = try c.object(allowed: ["name", "config"])
    let name = try o.required("name").string()
    let cfg = try o.required("config").object(allowed: ["poi", "parameters"])
    let poi = try cfg.required("poi").string()
    var params: [ParameterConfig] = []
    for p in try cfg.required("parameters").array() {
      let po = try p.object(allowed: ["name", "inits", "bounds", "auxdata", "factors", "sigmas", "fixed"])
      var pc = ParameterConfig(name: try po.required("name").string())
      if let v = po.optional("inits") { pc.inits = try numbers(v, nonEmpty: true) }
      if let v = po.optional("auxdata") { pc.auxdata = try numbers(v, nonEmpty: true) }
      if let v = po.optional("factors") { pc.factors = try numbers(v, nonEmpty: true) }
      if let v = po.optional("sigmas") {
        let s = try numbers(v, nonEmpty: true)
        if let bad = s.firstIndex(where: { !($0 > 0) }) {
          throw v.element(bad, .number(s[bad])).error("sigma must be positive")
        }
        pc.sigmas = s
      }
      if let v = po.optional("fixed") { pc.fixed = try v.bool() }
      if let v = po.optional("bounds") {
        let items = try v.array()
        guard !items.isEmpty else { throw v.error("needs at least one [low, high] pair") }
        pc.bounds = try items.map { b in
          let pair = try numbers(b, nonEmpty: true)
          guard pair.count == 2, pair[0] <= pair[1] else { throw b.error("expected [low, high] with low <= high") }
          return pair
        }
      }
      if params.contains(where: { $0.name == pc.name }) { throw p.error("second configuration for parameter \"\(pc.name)\"") }
      params.append(pc)
    }
    return Measurement(name: name, poi: poi, parameters: params)
  }

  /// pyhf refuses a non-shared modifier (shapesys) name on more than one sample.
  static func checkUnsharedModifiers(_ channels: [Channel], _ items: [JSONCursor]) throws {
    var seen: [String: String] = [:]
    for (ci, c) in channels.enumerated() {
      for s in c.samples {
        for m in s.modifiers where !m.kind.isShared {
          let here = "\(c.name)/\(s.name)"
          let key = "\(m.type.rawValue)/\(m.name)"
          if let prev = seen[key], prev != here {
            throw items[ci].error("\(m.type.rawValue) \"\(m.name)\" is used by \(prev) and \(here); \(m.type.rawValue) names must be unique per sample")
          }
          seen[key] = here
        }
      }
    }
  }

  static func numbers(_ c: JSONCursor, nonEmpty: Bool) throws -> [Double] {
    let items = try c.array()
    if nonEmpty && items.isEmpty { throw c.error("expected a non-empty array of numbers") }
    return try items.map { try $0.finiteDouble() }
  }

  static func uncertainties(_ c: JSONCursor, bins: Int) throws -> [Double] {
    let v = try numbers(c, nonEmpty: true)
    guard v.count == bins else { throw c.error("has \(v.count) values, the sample has \(bins) bins") }
    if let bad = v.firstIndex(where: { $0 < 0 }) {
      throw c.element(bad, .number(v[bad])).error("uncertainty must not be negative")
    }
    return v
  }
}
