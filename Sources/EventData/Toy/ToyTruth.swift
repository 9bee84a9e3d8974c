import CascadeSupport
import Foundation

extension ToyGenerator {
  /// The `truth.json` document: per process the true normalisation, σ, the MC and pseudo-data
  /// yields and event-number range; plus seed, luminosity and sizes. Deterministic (no clock).
  public func truth(mc: [ToySample], data: ToyData, format: String = "h5") -> JSONValue {
    var processes = JSONObject()
    for p in settings.processes {
      var o = JSONObject()
      o["role"] = .string(p.role.rawValue)
      o["file"] = .string("\(p.name).\(format)")
      o["cross_section_fb"] = .number(p.crossSectionFb)
      o["expected_yield"] = .number((p.crossSectionFb * settings.luminosityFb * 1e6).rounded() / 1e6)
      o["true_normalisation"] = .number(settings.trueNormalisation(p.name))
      if let y = data.yields.first(where: { $0.process == p.name }) {
        // Rounded to 1e-6: norm·σ·L in floating point carries noise like 30800.000000000004.
        o["data_expected"] = .number((y.expected * 1e6).rounded() / 1e6)
        o["data_drawn"] = .number(Double(y.drawn))
      }
      if let s = mc.first(where: { $0.process.name == p.name }) {
        let first = Int64(processIndex(p)) * Self.eventNumberStride + 1
        o["mc_events"] = .number(Double(s.events))
        o["mc_sum_weights"] = .number(s.sumOfWeights)
        o["mc_negative_weight_events"] = .number(Double(s.negativeWeightEvents))
        o["event_numbers"] = .array([.number(Double(first)), .number(Double(first) + Double(s.events) - 1)])
      }
      processes[p.name] = .object(o)
    }
    let dataEvents = data.table.rowCount
    var extra: [(String, JSONValue)] = []
    if let c = settings.correlation { extra.append(("correlation", c.jsonValue)) }
    if let d = settings.dataSeed { extra.append(("data_seed", .number(Double(d)))) }
    return .object(JSONObject([
      ("generator", .string("cascade generate \(CascadeVersion.string)")),
      ("seed", .number(Double(settings.seed))),
      ("luminosity_fb", .number(settings.luminosityFb)),
      ("events_per_process", .number(Double(settings.eventsPerProcess))),
      ("processes", .object(processes)),
      ("systematics", .object(JSONObject([
        ("jes", .object(JSONObject([
          ("jet_energy_scale", .number(ToySystematics.jetEnergyScale)),
          ("mass_jet_coupling", .number(ToySystematics.massJetCoupling)),
          ("true_shift", .number(settings.trueJESShift)),
        ]))),
        ("alternatives", .array(settings.alternatives.map { .string("\($0.name).\(format)") })),
      ]))),
      ("data", .object(JSONObject([
        ("file", .string("data.\(format)")),
        ("events", .number(Double(dataEvents))),
        ("event_numbers", .array([.number(dataEvents > 0 ? 1 : 0), .number(Double(dataEvents))])),
      ]))),
    ] + extra))
  }
}
