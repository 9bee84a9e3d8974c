import CascadeSupport

extension PublishResults {
  /// Terminal lines for impacts (the 10 largest), breakdown and toys; empty when none was asked.
  public func text() -> String {
    var lines: [String] = []
    if let r = impacts {
      let target = r.targets.first ?? "POI"
      lines.append("impacts on \(target) (largest first; \(r.impacts.count) parameters, all in fit/impacts.json with --out/--run)")
      let width = max(9, r.impacts.prefix(10).map(\.name.count).max() ?? 9)
      lines.append(pad("parameter", width) + "      pull  constraint    postfit down / up        prefit down / up")
      for p in r.impacts.prefix(10) {
        var line = pad(p.name, width) + " " + lpad(fmt(p.pull, 3), 9) + " " + lpad(fmt(p.constraint, 3), 11) + "    "
        line += lpad(fmt(p.postfit[0][0], 3), 10) + " / " + pad(fmt(p.postfit[0][1], 3), 10)
        if let pre = p.prefit { line += "  " + lpad(fmt(pre[0][0], 3), 10) + " / " + fmt(pre[0][1], 3) }
        lines.append(line)
      }
    }
    if let b = breakdown {
      lines.append("uncertainty breakdown (total² = stat² + syst²; groups by quadrature subtraction)")
      for e in b.entries {
        var line = "  \(e.name) = \(fmt(e.value, 5)) ± \(fmt(e.total, 3)) (total) ± \(fmt(e.stat, 3)) (stat) ± \(fmt(e.syst, 3)) (syst)"
        if !b.groupNames.isEmpty {
          line += "; " + zip(b.groupNames, e.groups).map { "\($0.0) \(fmt($0.1, 3))" }.joined(separator: ", ")
        }
        lines.append(line)
      }
    }
    if let s = toySettings {
      for (label, t) in [("hypotest", toyHypotest), ("significance", toySignificance)] {
        guard let t else { continue }
        let failed = t.failedSignalPlusBackground + t.failedBackgroundOnly
        lines.append(
          "\(label) from \(s.toys) toys per hypothesis (seed \(s.seed)): \(t.result.testStatistic == .q0 ? "p0" : "CLs") observed = \(fmt(t.result.clsObserved, 4)) ± \(fmt(t.clsError, 2)) (toy statistics); \(failed) toy fits failed")
      }
    }
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }

  /// The results as extra keys of `--json`'s object: `impacts`, `breakdown`, `toys` (the files' objects).
  public func jsonEntries() throws -> [(key: String, value: JSONValue)] {
    try files().map { (String($0.name.dropLast(5)), $0.json) }
  }
}
