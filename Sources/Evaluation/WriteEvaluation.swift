import CascadeSupport

/// A file-name-safe form of a stage name (letters, digits, `_`, `-`, `.`; others become `_`).
public func fileSafeName(_ name: String) -> String {
  String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") ? $0 : "_" })
}

/// All evaluation results of a run, as computed from the cascade's arrays.
public struct EvaluationResult: Sendable {
  public var stages: [StageEvaluation]
  public var cutflow: Cutflow
  public var scans: [WorkingPointScan]

  /// Evaluates every stage, the cutflow and one working-point scan per stage.
  ///
  /// - Throws: `UserError` when an input's arrays are inconsistent (lengths, sample indices, a
  ///   stage without a target background).
  public init(stages: [StageEvaluationInput], flow: CascadeFlowInput) throws {
    // Stages, and the scans, are independent: computed side by side, kept in stage order.
    self.stages = try ParallelBlocks.map(count: stages.count, blockSize: 1, threads: 0) { r in
      Result { try StageEvaluation(stages[r.lowerBound]) }
    }.map { try $0.get() }
    cutflow = try Cutflow(flow)
    let cf = cutflow
    scans = ParallelBlocks.map(count: flow.stages.count, blockSize: 1, threads: 0) { r in
      WorkingPointScan(flow: flow, cutflow: cf, stage: r.lowerBound)
    }
  }

  /// The whole of `tables/evaluation.json`: what the report reads.
  public var file: EvaluationFile {
    EvaluationFile(stages: stages.map(\.record), cutflow: cutflow.record, wpscan: scans.map(\.record))
  }

  /// `tables/efficiency.json`: one object per stage with exactly the contract's keys.
  public var efficiencyEntries: [EfficiencyFileEntry] { stages.map(\.tableRow.fileEntry) }

  /// The files under `tables/`, path relative to it → contents.
  public var files: [(name: String, contents: String)] {
    get throws {
      let rows = stages.map(\.tableRow)
      let cf = cutflow.record
      var out: [(String, String)] = [
        ("evaluation.json", try JSONFile.text(file)),
        ("efficiency.json", try JSONFile.text(efficiencyEntries)),
        ("efficiency.md", TableRendering.render(TableRendering.efficiency(rows), style: .markdown)),
        ("efficiency.csv", TableRendering.efficiencyCSV(rows)),
        ("cutflow.json", try JSONFile.text(cf)),
        ("cutflow.md", TableRendering.render(TableRendering.cutflow(cf), style: .markdown)),
        ("cutflow.csv", TableRendering.cutflowCSV(cf)),
      ]
      out += csvFiles
      return out
    }
  }

  /// `roc_<stage>.csv` and `wpscan_<stage>.csv`.
  var csvFiles: [(name: String, contents: String)] {
    var out: [(String, String)] = []
    for st in stages {
      var csv = "threshold,signal_efficiency,background_efficiency,background_rejection\n"
      for p in st.target.test.thinned() {
        csv += [p.threshold, p.signalEfficiency, p.backgroundEfficiency, 1 - p.backgroundEfficiency]
          .map(NumberFormat.csv).joined(separator: ",") + "\n"
      }
      out.append(("roc_\(fileSafeName(st.stage)).csv", csv))
    }
    for scan in scans {
      // Summed signal, then every background sample.
      let bkg = scan.sampleNames.indices.filter { scan.sampleRoles[$0] == "background" }
      var csv = (["threshold", "signal_efficiency"] + bkg.map { scan.sampleNames[$0] + "_efficiency" })
        .map(NumberFormat.csvField).joined(separator: ",") + "\n"
      for i in scan.thresholds.indices {
        csv += ([scan.thresholds[i], scan.signalEfficiency[i]] + bkg.map { scan.efficiency[$0][i] })
          .map(NumberFormat.csv).joined(separator: ",") + "\n"
      }
      out.append(("wpscan_\(fileSafeName(scan.stage)).csv", csv))
    }
    return out
  }
}

/// Computes everything and writes `tables/`: efficiency.{md,csv,json}, cutflow.{md,csv,json},
/// roc_<stage>.csv, wpscan_<stage>.csv and evaluation.json (all the data the report needs).
/// Every file is written atomically; inputs are checked before anything is written.
public func writeEvaluation(stages: [StageEvaluationInput], flow: CascadeFlowInput, to tablesDirectory: String) throws {
  let result = try EvaluationResult(stages: stages, flow: flow)
  for f in try result.files { try AtomicFile.write(f.contents, to: tablesDirectory + "/" + f.name) }
}
