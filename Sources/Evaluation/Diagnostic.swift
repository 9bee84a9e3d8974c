import CascadeSupport
import Foundation

/// Diagnostic used by the oracle tests (`cascade report --evaluate-csv FILE`): reads a CSV with
/// the header `score,label,weight` (label 1 = signal, 0 = background) and returns the ROC area,
/// the signal efficiency at the TMVA background efficiencies, and the two-sample KS test of the
/// signal against the background scores, as JSON.
public func evaluateScoreCSV(path: String) throws -> JSONValue {
  guard let data = FileManager.default.contents(atPath: path) else { throw UserError("\(path): cannot read file") }
  let text = String(decoding: data, as: UTF8.self)
  var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).map {
    $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
  }
  while lines.last == "" { lines.removeLast() }
  guard let header = lines.first?.split(separator: ",").map(String.init), header == ["score", "label", "weight"] else {
    throw UserError("\(path): row 1: expected the header \"score,label,weight\"")
  }
  var sig = [Double](), sigW = [Double](), bkg = [Double](), bkgW = [Double]()
  for (i, line) in lines.enumerated().dropFirst() {
    let f = line.split(separator: ",", omittingEmptySubsequences: false)
    guard f.count == 3 else { throw UserError("\(path): row \(i + 1): expected 3 fields, found \(f.count)") }
    var v = [Double]()
    for (c, field) in f.enumerated() {
      guard let d = Double(field.trimmingCharacters(in: .whitespaces)) else {
        throw UserError("\(path): row \(i + 1), column \(header[c]): \"\(field)\" is not a number")
      }
      v.append(d)
    }
    switch v[1] {
    case 1: sig.append(v[0]); sigW.append(v[2])
    case 0: bkg.append(v[0]); bkgW.append(v[2])
    default: throw UserError("\(path): row \(i + 1), column label: expected 0 or 1, found \(f[1])")
    }
  }
  let roc = ROC.curve(signalScores: sig, signalWeights: sigW, backgroundScores: bkg, backgroundWeights: bkgW)
  let ks = Statistics.kolmogorovSmirnov(sig, weights: sigW, bkg, weights: bkgW)
  var o = JSONObject()
  o["auc"] = .number(roc.auc)
  o["roc_points"] = .number(Double(roc.points.count))
  for b in StageEvaluation.backgroundEfficiencyPoints {
    o[EfficiencyKey.test(b)] = .number(roc.signalEfficiency(atBackgroundEfficiency: b))
  }
  o["ks_statistic"] = .number(ks.statistic)
  o["ks_p"] = .number(ks.pValue)
  return .object(o)
}
