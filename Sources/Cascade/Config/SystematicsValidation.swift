import CascadeSupport
import EventData

extension CascadeConfig {
  /// Columns a systematic needs in a nominal input file of sample `si`: the alternative weights
  /// of `weight` systematics and both partners of every `shift` column.
  func systematicColumnProblems(sampleIndex si: Int, file: String, have: [String]) -> [String] {
    let sample = samples[si]
    let present = Set(have)
    var problems: [String] = []
    func check(_ column: String, _ jsonPath: String) {
      guard !present.contains(column) else { return }
      var msg = "\(jsonPath): column \"\(column)\" not found in \(file)"
      if let near = nearestName(to: column, in: have) { msg += " (did you mean \"\(near)\"?)" }
      problems.append(msg)
    }
    for (i, s) in systematics.enumerated() where s.appliesTo(sample: sample) {
      switch s.kind {
      case .weight(let up, let down):
        check(up, "systematics[\(i)].up")
        if let down { check(down, "systematics[\(i)].down") }
      case .shift(let cols):
        for c in cols {
          check(c.nominal, "systematics[\(i)].columns.\(c.nominal)")
          check(c.up, "systematics[\(i)].columns.\(c.nominal)[0]")
          check(c.down, "systematics[\(i)].columns.\(c.nominal)[1]")
        }
      case .files, .normalization, .lumi:
        break
      }
    }
    return problems
  }

  /// Alternative ntuples of `files` systematics must open and have exactly the columns (names
  /// and types) of the sample's first nominal file; a shifted column must feed a stage or the fit.
  func alternativeFileProblems() -> [String] {
    var problems: [String] = []
    let used = Set(stages.flatMap(\.features) + [fitObservable].compactMap { $0 })
    for (i, s) in systematics.enumerated() {
      switch s.kind {
      case .shift(let cols):
        for c in cols where !used.contains(c.nominal) {
          problems.append("systematics[\(i)].columns.\(c.nominal): \"\(c.nominal)\" is neither a stage feature nor the fit observable, so shifting it changes nothing")
        }
      case .files(let up, let down):
        guard let name = s.samples?.first, let sample = sample(named: name), let nominalFile = sample.files.first else { continue }
        guard let nominal = try? openEventFile(nominalFile, options: EventFileOptions(table: sample.table)) else { continue }
        for (key, files) in [("up", up), ("down", down ?? [])] {
          for (j, f) in files.enumerated() {
            let at = "systematics[\(i)].\(key)[\(j)]"
            let reader: EventFileReader
            do {
              reader = try openEventFile(f, options: EventFileOptions(table: sample.table))
            } catch let e as UserError {
              problems.append("\(at): \(e.message)")
              continue
            } catch {
              problems.append("\(at): \(f): \(error)")
              continue
            }
            let mine = reader.schema.map { "\($0.name):\($0.dtype.rawValue)" }
            let theirs = nominal.schema.map { "\($0.name):\($0.dtype.rawValue)" }
            if mine != theirs {
              let missing = nominal.schema.map(\.name).filter { !reader.columnNames.contains($0) }
              let extra = reader.columnNames.filter { !nominal.columnNames.contains($0) }
              var what: [String] = []
              if !missing.isEmpty { what.append("lacks \(missing.joined(separator: ", "))") }
              if !extra.isEmpty { what.append("has extra \(extra.joined(separator: ", "))") }
              if what.isEmpty { what.append("has the columns in another order or with other types") }
              problems.append("\(at): \(f) must have the columns of the nominal \(nominalFile): it \(what.joined(separator: " and "))")
            }
          }
        }
      case .weight, .normalization, .lumi:
        break
      }
    }
    return problems
  }
}
