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
    struct Placed { var channel: Int; var sample: Sample; var modifiers: [Modifier] }
    var placed: [Placed] = []
    for (ci, c) in channels.enumerated() {
      for name in sampleNames {
        if let s = c.samples.first(where: { $0.name == name }) { placed.append(Placed(channel: ci, sample: s, modifiers: modifiers(s))) }
      }
    }

    // Requirements, grouped by type in pyhf's order.
    var order: [String] = []
    var requirements: [String: ParameterRequirement] = [:]
    var firstType: [String: ModifierType] = [:]
    var statLayouts: [String: StatError.Layout] = [:]
    func add(_ name: String, _ r: ParameterRequirement, _ type: ModifierType) throws {
      if let prev = requirements[name] {
        guard prev == r else {
          throw UserError(
            "modifier \"\(name)\": its \(type.rawValue) use conflicts with its \(firstType[name]!.rawValue) use (different parameter settings or bin counts); use distinct names")
        }
        return
      }
      order.append(name)
      requirements[name] = r
      firstType[name] = type
    }
    for type in ModifierType.allCases {
      if type == .staterror {
        let names = Set(placed.flatMap { $0.modifiers.filter { $0.type == .staterror }.map(\.name) }).sorted()
        for name in names {
          var uses: [(channel: String, sample: String, offset: Int, nominal: [Double], sigma: [Double])] = []
          for p in placed {
            for m in p.modifiers where m.type == .staterror && m.name == name {
              if case .staterror(let sig) = m.kind {
                uses.append((channels[p.channel].name, p.sample.name, channelBins[p.channel].lowerBound, p.sample.data, sig))
              }
            }
          }
          let layout = try StatError.layout(name: name, uses: uses)
          statLayouts[name] = layout
          try add(name, layout.requirement, .staterror)
        }
        continue
      }
      for p in placed {
        for m in p.modifiers where m.type == type {
          let r: ParameterRequirement
          switch m.kind {
          case .normfactor: r = NormFactor.requirement()
          case .shapefactor: r = ShapeFactor.requirement(bins: p.sample.data.count)
          case .lumi: r = Lumi.requirement()
          case .normsys: r = NormSys.requirement()
          case .histosys: r = HistoSys.requirement()
          case .shapesys(let sig): r = ShapeSys.requirement(nominal: p.sample.data, sigmas: sig)
          case .staterror: continue
          }
          try add(m.name, r, type)
        }
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
    var interps: [FactorInterpolation] = []
    var interpIndex: [String: Int] = [:]
    let sampleIndex = Dictionary(uniqueKeysWithValues: sampleNames.enumerated().map { ($1, $0) })
    for p in placed {
      let base = channelBins[p.channel].lowerBound
      for b in 0..<p.sample.data.count {
        var add: [AddEntry] = [], mul: [MulEntry] = []
        for m in p.modifiers {
          let set = sets[setIndex[m.name]!]
          switch m.kind {
          case .normfactor: mul.append(NormFactor.entry(set))
          case .shapefactor: mul.append(ShapeFactor.entry(set, bin: b))
          case .lumi: mul.append(Lumi.entry(set))
          case .normsys(let lo, let hi):
            let key = "\(lo)/\(hi)"
            let idx: Int
            if let i = interpIndex[key] {
              idx = i
            } else {
              idx = interps.count
              interps.append(FactorInterpolation(lo: lo, hi: hi, code: interpolation.normsys))
              interpIndex[key] = idx
            }
            mul.append(NormSys.entry(set, interpolation: idx))
          case .histosys(let lo, let hi):
            add.append(HistoSys.entry(set, lo: lo[b], nominal: p.sample.data[b], hi: hi[b], code: interpolation.histosys))
          case .shapesys: mul.append(ShapeSys.entry(set, bin: b))
          case .staterror:
            let comp = statLayouts[m.name]!.bins.firstIndex(of: base + b)!
            mul.append(StatError.entry(set, component: comp))
          }
        }
        let t = Term(bin: base + b, sample: sampleIndex[p.sample.name]!, nominal: p.sample.data[b], addStart: 0, addEnd: 0, mulStart: 0, mulEnd: 0)
        raw.append((t, add, mul))
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
      terms: terms, adds: adds, muls: muls, factorInterpolations: interps)
  }
}
