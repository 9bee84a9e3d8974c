import CascadeSupport

extension Workspace {
  /// The workspace as pyhf JSON (schema 1.0.0), accepted by `pyhf.Workspace`.
  public func json() -> JSONValue {
    var root = JSONObject()
    root["channels"] = .array(channels.map { c in
      var o = JSONObject()
      o["name"] = .string(c.name)
      o["samples"] = .array(c.samples.map { s in
        var so = JSONObject()
        so["name"] = .string(s.name)
        so["data"] = JSONValue(s.data)
        so["modifiers"] = .array(s.modifiers.map(\.json))
        return .object(so)
      })
      return .object(o)
    })
    root["observations"] = .array(observations.map { .object(JSONObject([("name", .string($0.name)), ("data", JSONValue($0.data))])) })
    root["measurements"] = .array(measurements.map { m in
      var cfg = JSONObject()
      cfg["poi"] = .string(m.poi)
      cfg["parameters"] = .array(m.parameters.map(\.json))
      return .object(JSONObject([("name", .string(m.name)), ("config", .object(cfg))]))
    })
    root["version"] = .string(version)
    return .object(root)
  }

  /// Writes the workspace atomically to `path`.
  public func write(to path: String) throws {
    try AtomicFile.write(json().serialized(), to: path)
  }
}

extension Modifier {
  var json: JSONValue {
    var o = JSONObject()
    o["name"] = .string(name)
    o["type"] = .string(type.rawValue)
    o["data"] = kind.dataJSON
    return .object(o)
  }
}

extension ParameterConfig {
  var json: JSONValue {
    var o = JSONObject()
    o["name"] = .string(name)
    if let inits { o["inits"] = JSONValue(inits) }
    if let bounds { o["bounds"] = .array(bounds.map { JSONValue($0) }) }
    if let auxdata { o["auxdata"] = JSONValue(auxdata) }
    if let factors { o["factors"] = JSONValue(factors) }
    if let sigmas { o["sigmas"] = JSONValue(sigmas) }
    if let fixed { o["fixed"] = .bool(fixed) }
    return .object(o)
  }
}
