import CascadeSupport
import Foundation

/// Lenient accessors for our own JSON files (missing values read as NaN / empty).
extension JSONValue {
  var num: Double { doubleValue ?? .nan }
  var arr: [JSONValue] { arrayValue ?? [] }
  var str: String { stringValue ?? "" }
  var doubles: [Double] { arr.map { $0.doubleValue ?? .nan } }
}

extension Optional where Wrapped == JSONValue {
  var num: Double { self?.doubleValue ?? .nan }
  var arr: [JSONValue] { self?.arrayValue ?? [] }
  var str: String { self?.stringValue ?? "" }
  var doubles: [Double] { arr.map { $0.doubleValue ?? .nan } }
}

func fmt(_ v: Double, _ digits: Int = 3) -> String {
  v.isFinite ? String(format: "%.\(digits)f", v) : "—"
}
