import CascadeSupport

/// Renders the efficiency and cutflow tables from their JSON objects (as stored in
/// `tables/evaluation.json`), as Markdown files or as aligned plain text for a terminal.
public enum TableRendering {
  static func num(_ v: JSONValue?) -> Double { v?.doubleValue ?? .nan }
  static func str(_ v: JSONValue?) -> String { v?.stringValue ?? "" }
  static func arr(_ v: JSONValue?) -> [JSONValue] { v?.arrayValue ?? [] }

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

  /// The TMVA-style efficiency table from the stages' `table` objects.
  public static func efficiency(_ rows: [JSONValue], includeRanking: Bool = true) -> [Block] {
    var out: [Block] = [.heading(1, "Efficiency per stage")]
    out.append(.paragraph(
      "Signal efficiency at background efficiency B = 0.01, 0.10, 0.30 on the out-of-fold (test) scores, "
        + "the train scores in parentheses; background = the stage's target. Separation, significance and "
        + "KS p-values (train vs test) as TMVA defines them."))
    let keys = StageEvaluation.backgroundEfficiencyPoints.map { NumberFormat.fixed($0, 2) }
    var main = TextTable(header: ["Stage", "Background"] + keys.map { "@B=" + $0 } + [
      "ROC integral", "Separation", "Significance", "KS p (sig)", "KS p (bkg)",
    ])
    for r in rows {
      var row = [str(r["stage"]), str(r["background"])]
      for k in keys {
        row.append(NumberFormat.fixed(num(r["sig_eff_at_bkg_" + k]), 3) + " (" + NumberFormat.fixed(num(r["sig_eff_train_at_bkg_" + k]), 3) + ")")
      }
      row.append(NumberFormat.fixed(num(r["auc_test"]), 4) + " (" + NumberFormat.fixed(num(r["auc_train"]), 4) + ")")
      row += [num(r["separation"]), num(r["significance"]), num(r["ks_p_signal"]), num(r["ks_p_background"])].map {
        NumberFormat.fixed($0, 4)
      }
      main.rows.append(row)
    }
    out.append(.table(main))
    out.append(.heading(2, "ROC integrals"))
    var aucs = TextTable(header: ["Stage", "Signal vs", "Test", "Train"])
    for r in rows {
      for c in arr(r["roc_integrals"]) {
        let label = str(c["kind"]) == "all" ? "all backgrounds" : str(c["background"])
        aucs.rows.append([str(r["stage"]), label, NumberFormat.fixed(num(c["auc_test"]), 4), NumberFormat.fixed(num(c["auc_train"]), 4)])
      }
    }
    out.append(.table(aucs))
    if includeRanking {
      for r in rows {
        out.append(.heading(2, "Variable ranking: " + str(r["stage"])))
        out.append(.table(ranking(r)))
      }
    }
    return out
  }

  /// A stage's variable ranking (most important first).
  public static func ranking(_ row: JSONValue) -> TextTable {
    var t = TextTable(header: ["Rank", "Variable", "Importance", "Share"])
    let ranking = arr(row["ranking"])
    let total = ranking.reduce(0.0) { $0 + max(0, num($1["importance"])) }
    for (i, f) in ranking.enumerated() {
      let v = num(f["importance"])
      t.rows.append([String(i + 1), str(f["feature"]), NumberFormat.fixed(v, 4), NumberFormat.fixed(total > 0 ? v / total : .nan, 3)])
    }
    return t
  }

  /// The cutflow: per stage and sample, the regions with their purity, and the summary.
  public static func cutflow(_ c: JSONValue) -> [Block] {
    var out: [Block] = [.heading(1, "Cutflow")]
    out.append(.paragraph(
      "Raw event counts and weighted yields ± √Σw² entering each stage, routed to its control region, "
        + "and surviving; efficiency = surviving / entering (weighted)."))
    for st in arr(c["stages"]) {
      let region = str(st["region"])
      out.append(.heading(
        2, "Stage " + str(st["stage"]) + " → " + region + " (threshold " + NumberFormat.fixed(num(st["threshold"]), 4) + ")"))
      var t = TextTable(header: [
        "Sample", "Entering", "Yield entering", "To " + region, "Yield to " + region, "Surviving", "Yield surviving",
        "Efficiency",
      ])
      for s in arr(st["samples"]) {
        var row = [str(s["sample"])]
        for key in ["entering", "to_region", "surviving"] {
          row.append(String(Int(num(s[key]?["count"]))))
          row.append(NumberFormat.yield(num(s[key]?["yield"]), num(s[key]?["error"])))
        }
        row.append(NumberFormat.fixed(num(s["efficiency"]), 4))
        t.rows.append(row)
      }
      out.append(.table(t))
    }
    out.append(.heading(2, "Regions"))
    out.append(.paragraph(
      "Weighted yield ± √Σw² per region and sample; purity = fraction of the region's MC yield from its "
        + "target background(s) (signal for the SR)."))
    let names = arr(c["samples"]).map { str($0["name"]) }
    var rt = TextTable(header: ["Region"] + names + ["Purity"])
    for r in arr(c["regions"]) {
      var row = [str(r["region"])]
      for s in arr(r["samples"]) { row.append(NumberFormat.yield(num(s["yield"]), num(s["error"]))) }
      row.append(NumberFormat.fixed(num(r["purity"]), 4))
      rt.rows.append(row)
    }
    out.append(.table(rt))
    out.append(.heading(2, "Summary"))
    var sm = TextTable(header: ["Quantity", "Value"])
    sm.rows.append(["signal efficiency (SR / all)", NumberFormat.fixed(num(c["signal_efficiency"]), 4)])
    for (name, v) in c["background_rejection"]?.objectValue ?? JSONObject() {
      sm.rows.append(["rejection of " + name, NumberFormat.fixed(num(v), 4)])
    }
    out.append(.table(sm))
    return out
  }

  /// The efficiency table as CSV, one row per stage.
  public static func efficiencyCSV(_ rows: [JSONValue]) -> String {
    let pts = StageEvaluation.backgroundEfficiencyPoints.map { NumberFormat.fixed($0, 2) }
    var header = ["stage", "region", "background", "auc_test", "auc_train"]
    for p in pts { header += ["sig_eff_at_bkg_\(p)", "sig_eff_train_at_bkg_\(p)"] }
    header += ["separation", "significance", "ks_d_signal", "ks_p_signal", "ks_d_background", "ks_p_background", "ranking"]
    var out = header.joined(separator: ",") + "\n"
    for r in rows {
      var f = [str(r["stage"]), str(r["region"]), str(r["background"])].map(NumberFormat.csvField)
      f += [num(r["auc_test"]), num(r["auc_train"])].map(NumberFormat.csv)
      for p in pts { f += [num(r["sig_eff_at_bkg_\(p)"]), num(r["sig_eff_train_at_bkg_\(p)"])].map(NumberFormat.csv) }
      f += ["separation", "significance", "ks_d_signal", "ks_p_signal", "ks_d_background", "ks_p_background"].map {
        NumberFormat.csv(num(r[$0]))
      }
      let ranking = arr(r["ranking"]).map { str($0["feature"]) + ":" + NumberFormat.csv(num($0["importance"])) }
      f.append(NumberFormat.csvField(ranking.joined(separator: ";")))
      out += f.joined(separator: ",") + "\n"
    }
    return out
  }

  /// The cutflow as CSV, one row per stage and sample.
  public static func cutflowCSV(_ c: JSONValue) -> String {
    var out = "stage,region,threshold,sample,role,entering_count,entering_yield,entering_error,"
    out += "cr_count,cr_yield,cr_error,surviving_count,surviving_yield,surviving_error,efficiency\n"
    var roles: [String: String] = [:]
    for s in arr(c["samples"]) { roles[str(s["name"])] = str(s["role"]) }
    for st in arr(c["stages"]) {
      for s in arr(st["samples"]) {
        var f = [str(st["stage"]), str(st["region"])].map(NumberFormat.csvField)
        f.append(NumberFormat.csv(num(st["threshold"])))
        f += [str(s["sample"]), roles[str(s["sample"])] ?? ""].map(NumberFormat.csvField)
        for key in ["entering", "to_region", "surviving"] {
          f.append(String(Int(num(s[key]?["count"]))))
          f.append(NumberFormat.csv(num(s[key]?["yield"])))
          f.append(NumberFormat.csv(num(s[key]?["error"])))
        }
        f.append(NumberFormat.csv(num(s["efficiency"])))
        out += f.joined(separator: ",") + "\n"
      }
    }
    return out
  }
}
