import CascadeSupport
import EventData

extension CascadeConfig {
  /// Opens every input file and checks that each column the config uses exists in it.
  /// Returns every problem, one line each with its JSON path, e.g.
  /// `stages[1].features[2]: column "ht" not found in samples/toy/ttbar.h5`.
  public func validateInputs(fitObservable: String? = nil) -> [String] {
    var problems: [String] = []
    for (si, sample) in samples.enumerated() {
      for file in sample.files {
        let reader: EventFileReader
        do {
          reader = try openEventFile(file, options: EventFileOptions(table: sample.table))
        } catch let e as UserError {
          problems.append("samples[\(si)].files: \(e.message)")
          continue
        } catch {
          problems.append("samples[\(si)].files: \(file): \(error)")
          continue
        }
        let have = Set(reader.columnNames)
        func check(_ column: String, _ jsonPath: String) {
          if !have.contains(column) {
            var msg = "\(jsonPath): column \"\(column)\" not found in \(file)"
            if let near = nearestName(to: column, in: reader.columnNames) { msg += " (did you mean \"\(near)\"?)" }
            problems.append(msg)
          }
        }
        for (ki, stage) in stages.enumerated() {
          for (fi, f) in stage.features.enumerated() { check(f, "stages[\(ki)].features[\(fi)]") }
          if let d = stage.decorrelate { check(d.observable, "stages[\(ki)].decorrelate.observable") }
        }
        if let w = sample.weight { check(w, "samples[\(si)].weight") }
        if let e = eventNumber { check(e, "event_number") }
        if let o = fitObservable { check(o, "fit.observable") }
        for (ci, c) in (sample.keepColumns ?? []).enumerated() { check(c, "samples[\(si)].keep_columns[\(ci)]") }
        problems += systematicColumnProblems(sampleIndex: si, file: file, have: reader.columnNames)
        for reserved in outputColumnNames where have.contains(reserved) {
          problems.append("samples[\(si)].files: \(file) already has a column \"\(reserved)\", which cascade writes")
        }
      }
    }
    return problems + alternativeFileProblems()
  }

  /// Columns added to every score and region file.
  public var outputColumnNames: [String] { stages.map { "score_\($0.name)" } + ["region", "fold"] }
}
