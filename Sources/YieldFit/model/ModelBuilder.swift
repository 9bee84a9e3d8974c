import CascadeSupport

extension Model {
  /// Compiles `workspace` with measurement `measurement` (default: the first), POI `poi`
  /// (default: the measurement's) and the interpolation codes. Parameters follow pyhf's order:
  /// grouped by modifier type (histosys, lumi, normfactor, normsys, shapefactor, shapesys,
  /// staterror), within a type by first use over sorted channels, sorted samples, sorted names.
  public init(
    workspace: Workspace, measurement: String? = nil, poi: String? = nil,
    interpolation: InterpolationSettings = InterpolationSettings()
  ) throws {
    let meas: Measurement
    if let measurement {
      guard let m = workspace.measurements.first(where: { $0.name == measurement }) else {
        throw UserError("workspace has no measurement \"\(measurement)\" (has: \(workspace.measurements.map(\.name).joined(separator: ", ")))")
      }
      meas = m
    } else {
      guard let m = workspace.measurements.first else { throw UserError("workspace has no measurement") }
      meas = m
    }
    let channels = workspace.channels.sorted { $0.name < $1.name }
    let sampleNames = Array(Set(channels.flatMap { $0.samples.map(\.name) })).sorted()
    var channelBins: [Range<Int>] = []
    var offset = 0
    for c in channels {
      channelBins.append(offset..<(offset + c.binCount))
      offset += c.binCount
    }

    // Modifiers per (channel, sample), keyed by (type, name); a repeated key keeps the last (pyhf).
    func modifiers(_ s: Sample) -> [Modifier] {
      var byKey: [String: Modifier] = [:]
      for m in s.modifiers { byKey["\(m.type.rawValue)/\(m.name)"] = m }
      return byKey.values.sorted { ($0.name, $0.type.rawValue) < ($1.name, $1.type.rawValue) }
    }
    var placed: [ModifierPlacement] = []
    for (ci, c) in channels.enumerated() {
      for name in sampleNames {
        if let s = c.samples.first(where: { $0.name == name }) {
          let site = ModifierSite(channel: c.name, sample: s.name, channelOffset: channelBins[ci].lowerBound, nominal: s.data)
          placed.append(ModifierPlacement(channelIndex: ci, site: site, modifiers: modifiers(s)))
        }
      }
    }

    // Parameter sets, grouped by type in pyhf's order; one set per name.
    var order: [String] = []
    var requirements: [String: ParameterRequirement] = [:]
    var firstType: [String: ModifierType] = [:]
    /// The plan each (type, name) was compiled from, for its applier.
    var plans: [String: ParameterPlan] = [:]
    for definition in modifierRegistry {
      let type = definition.type
      for plan in try definition.plans(in: placed) {
        let name = plan.name
        if plans["\(type.rawValue)/\(name)"] == nil { plans["\(type.rawValue)/\(name)"] = plan }
        if let prev = requirements[name] {
          guard prev == plan.requirement else {
            throw UserError(
              "modifier \"\(name)\": its \(type.rawValue) use conflicts with its \(firstType[name]!.rawValue) use (different parameter settings or bin counts); use distinct names")
          }
          continue
        }
        order.append(name)
        requirements[name] = plan.requirement
        firstType[name] = type
      }
    }
    guard !order.isEmpty else { throw UserError("workspace: the model has no parameters (no modifiers)") }

    var sets: [ParameterSet] = []
    var next = 0
    for name in order {
      var s = try requirements[name]!.applying(
        meas.parameters.first { $0.name == name } ?? ParameterConfig(name: name), measurement: meas.name)
      s.name = name
      s.offset = next
      next += s.count
      sets.append(s)
    }
    let setIndex = Dictionary(uniqueKeysWithValues: sets.enumerated().map { ($1.name, $0) })

    let poiName = poi ?? meas.poi
    var poiIndex: Int?
    if !poiName.isEmpty {
      guard let si = setIndex[poiName] else {
        var msg = "the parameter of interest \"\(poiName)\" is not a parameter of the model"
        if let near = nearestName(to: poiName, in: order) { msg += " (did you mean \"\(near)\"?)" }
        throw UserError(msg)
      }
      guard sets[si].count == 1 else { throw UserError("the parameter of interest \"\(poiName)\" has \(sets[si].count) components; it must be a scalar") }
      poiIndex = sets[si].offset
    }

    // Terms, one per (sample, bin), sorted by bin so each bin's terms are contiguous.
    var raw: [(term: Term, add: [AddEntry], mul: [MulEntry])] = []
    var ops = TermOperations(interpolation: interpolation)
    let sampleIndex = Dictionary(uniqueKeysWithValues: sampleNames.enumerated().map { ($1, $0) })
    for p in placed {
      for b in 0..<p.site.nominal.count {
        ops.startTerm()
        for m in p.modifiers {
          let set = sets[setIndex[m.name]!]
          m.kind.definition.apply(bin: b, site: p.site, set: set, plan: plans["\(m.type.rawValue)/\(m.name)"]!, to: &ops)
        }
        let t = Term(
          bin: p.site.channelOffset + b, sample: sampleIndex[p.site.sample]!, nominal: p.site.nominal[b], addStart: 0, addEnd: 0,
          mulStart: 0, mulEnd: 0)
        raw.append((t, ops.adds, ops.muls))
      }
    }
    raw.sort { ($0.term.bin, $0.term.sample) < ($1.term.bin, $1.term.sample) }
    var terms: [Term] = [], adds: [AddEntry] = [], muls: [MulEntry] = []
    for r in raw {
      var t = r.term
      t.addStart = adds.count
      adds += r.add
      t.addEnd = adds.count
      t.mulStart = muls.count
      muls += r.mul
      t.mulEnd = muls.count
      terms.append(t)
    }
    self.init(
      parameterSets: sets, poiIndex: poiIndex, poiName: poiIndex == nil ? nil : poiName, channelNames: channels.map(\.name),
      channelBins: channelBins, sampleNames: sampleNames, measurementName: meas.name, interpolation: interpolation,
      terms: terms, adds: adds, muls: muls, factorInterpolations: ops.factorInterpolations)
  }
}
