import CascadeSupport

/// Renders the efficiency and cutflow tables from their typed records (as stored in
/// `tables/evaluation.json`), as Markdown files, aligned plain text for a terminal, or HTML.
public enum TableRendering {
  /// The output styles of the tables.
  public enum Style: Sendable { case markdown, text, html }

  /// A piece of a rendered document.
  public enum Block: Sendable {
    case heading(Int, String)
    case paragraph(String)
    case table(TextTable)
  }

  /// Renders blocks as Markdown, terminal text or HTML fragments.
  public static func render(_ blocks: [Block], style: Style) -> String {
    var out = ""
    for b in blocks {
      switch (b, style) {
      case (.heading(let level, let text), .markdown): out += String(repeating: "#", count: level) + " " + text + "\n\n"
      case (.heading(let level, let text), .text):
        out += text + "\n" + String(repeating: level == 1 ? "=" : "-", count: text.count) + "\n\n"
      case (.heading(let level, let text), .html): out += "<h\(level + 1)>\(htmlEscape(text))</h\(level + 1)>\n"
      case (.paragraph(let text), .html): out += "<p>\(htmlEscape(text))</p>\n"
      case (.paragraph(let text), _): out += text + "\n\n"
      case (.table(let t), .html): out += t.renderHTML()
      case (.table(let t), _): out += t.render(markdown: style == .markdown) + "\n"
      }
    }
    return out
  }

  /// The TMVA-style efficiency table from the stages' rows, under the heading `title`.
  public static func efficiency(
    _ rows: [EfficiencyRow], title: String = "Efficiency per stage", includeRanking: Bool = true
  ) -> [Block] {
    var out: [Block] = [.heading(1, title)]
    out.append(.paragraph(
      "Signal efficiency at background efficiency B = 0.01, 0.10, 0.30 on the out-of-fold (test) scores, "
        + "the train scores in parentheses; background = the stage's target. Separation, significance and "
        + "KS p-values (train vs test) as TMVA defines them."))
    let keys = StageEvaluation.backgroundEfficiencyPoints.map { NumberFormat.fixed($0, 2) }
    var main = TextTable(header: ["Stage", "Background"] + keys.map { "@B=" + $0 } + [
      "ROC integral", "Separation", "Significance", "KS p (sig)", "KS p (bkg)",
    ])
    for r in rows {
      var row = [r.stage, r.background]
      for i in keys.indices {
        row.append(NumberFormat.fixed(r.sigEffTest[i], 3) + " (" + NumberFormat.fixed(r.sigEffTrain[i], 3) + ")")
      }
      row.append(NumberFormat.fixed(r.aucTest, 4) + " (" + NumberFormat.fixed(r.aucTrain, 4) + ")")
      row += [r.separation, r.significance, r.ksPSignal, r.ksPBackground].map { NumberFormat.fixed($0, 4) }
      main.rows.append(row)
    }
    out.append(.table(main))
    out.append(.heading(2, "ROC integrals"))
    var aucs = TextTable(header: ["Stage", "Signal vs", "Test", "Train"])
    for r in rows {
      for c in r.rocIntegrals {
        let label = c.kind == "all" ? "all backgrounds" : c.background
        aucs.rows.append([r.stage, label, NumberFormat.fixed(c.aucTest, 4), NumberFormat.fixed(c.aucTrain, 4)])
      }
    }
    out.append(.table(aucs))
    if includeRanking {
      for r in rows {
        out.append(.heading(2, "Variable ranking: " + r.stage))
        out.append(.table(ranking(r)))
      }
    }
    return out
  }

  /// A stage's variable ranking (most important first).
  public static func ranking(_ row: EfficiencyRow) -> TextTable {
    var t = TextTable(header: ["Rank", "Variable", "Importance", "Share"])
    let total = row.ranking.reduce(0.0) { $0 + max(0, $1.importance) }
    for (i, f) in row.ranking.enumerated() {
      let v = f.importance
      t.rows.append([String(i + 1), f.feature, NumberFormat.fixed(v, 4), NumberFormat.fixed(total > 0 ? v / total : .nan, 3)])
    }
    return t
  }

  /// The cutflow: per stage and sample, the regions with their purity, and the summary; the
  /// title at heading `level` (1 in the tables, 2 inside the report's cascade section), the
  /// rest one level below.
  public static func cutflow(_ c: CutflowRecord, level: Int = 1) -> [Block] {
    var out: [Block] = [.heading(level, "Cutflow")]
    out.append(.paragraph(
      "Raw event counts and weighted yields ± √Σw² entering each stage, routed to its control region, "
        + "and surviving; efficiency = surviving / entering (weighted)."))
    for st in c.stages {
      let region = st.region
      out.append(.heading(2, "Stage " + st.stage + " → " + region + " (threshold " + NumberFormat.fixed(st.threshold, 4) + ")"))
      var t = TextTable(header: [
        "Sample", "Entering", "Yield entering", "To " + region, "Yield to " + region, "Surviving", "Yield surviving",
        "Efficiency",
      ])
      for s in st.samples {
        var row = [s.sample]
        for y in [s.entering, s.toRegion, s.surviving] {
          row.append(String(y.count))
          row.append(NumberFormat.yield(y.yield, y.error))
        }
        row.append(NumberFormat.fixed(s.efficiency, 4))
        t.rows.append(row)
      }
      out.append(.table(t))
    }
    out.append(.heading(2, "Regions"))
    out.append(.paragraph(
      "Weighted yield ± √Σw² per region and sample; purity = fraction of the region's MC yield from its "
        + "target background(s) (signal for the SR)."))
    var rt = TextTable(header: ["Region"] + c.samples.map(\.name) + ["Purity"])
    for r in c.regions {
      var row = [r.region]
      for s in r.samples { row.append(NumberFormat.yield(s.yield, s.error)) }
      row.append(NumberFormat.fixed(r.purity, 4))
      rt.rows.append(row)
    }
    out.append(.table(rt))
    out.append(.heading(2, "Summary"))
    var sm = TextTable(header: ["Quantity", "Value"])
    sm.rows.append(["signal efficiency (SR / all)", NumberFormat.fixed(c.signalEfficiency, 4)])
    for (name, v) in c.backgroundRejection {
      sm.rows.append(["rejection of " + name, NumberFormat.fixed(v, 4)])
    }
    out.append(.table(sm))
    return out
  }

  /// The efficiency table as CSV, one row per stage.
  public static func efficiencyCSV(_ rows: [EfficiencyRow]) -> String {
    let pts = StageEvaluation.backgroundEfficiencyPoints
    var header = ["stage", "region", "background", "auc_test", "auc_train"]
    for p in pts { header += [EfficiencyKey.test(p), EfficiencyKey.train(p)] }
    header += ["separation", "significance", "ks_d_signal", "ks_p_signal", "ks_d_background", "ks_p_background", "ranking"]
    var out = header.joined(separator: ",") + "\n"
    for r in rows {
      var f = [r.stage, r.region, r.background].map(NumberFormat.csvField)
      f += [r.aucTest, r.aucTrain].map(NumberFormat.csv)
      for i in pts.indices { f += [r.sigEffTest[i], r.sigEffTrain[i]].map(NumberFormat.csv) }
      f += [r.separation, r.significance, r.ksDSignal, r.ksPSignal, r.ksDBackground, r.ksPBackground].map(NumberFormat.csv)
      let ranking = r.ranking.map { $0.feature + ":" + NumberFormat.csv($0.importance) }
      f.append(NumberFormat.csvField(ranking.joined(separator: ";")))
      out += f.joined(separator: ",") + "\n"
    }
    return out
  }

  /// The cutflow as CSV, one row per stage and sample.
  public static func cutflowCSV(_ c: CutflowRecord) -> String {
    var out = "stage,region,threshold,sample,role,entering_count,entering_yield,entering_error,"
    out += "cr_count,cr_yield,cr_error,surviving_count,surviving_yield,surviving_error,efficiency\n"
    var roles: [String: String] = [:]
    for s in c.samples { roles[s.name] = s.role }
    for st in c.stages {
      for s in st.samples {
        var f = [st.stage, st.region].map(NumberFormat.csvField)
        f.append(NumberFormat.csv(st.threshold))
        f += [s.sample, roles[s.sample] ?? ""].map(NumberFormat.csvField)
        for y in [s.entering, s.toRegion, s.surviving] {
          f.append(String(y.count))
          f.append(NumberFormat.csv(y.yield))
          f.append(NumberFormat.csv(y.error))
        }
        f.append(NumberFormat.csv(s.efficiency))
        out += f.joined(separator: ",") + "\n"
      }
    }
    return out
  }
}
