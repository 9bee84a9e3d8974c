import Foundation

/// A number with `digits` decimals for plot labels and tables; "—" when not finite.
func fmt(_ v: Double, _ digits: Int = 3) -> String {
  v.isFinite ? String(format: "%.\(digits)f", v) : "—"
}
