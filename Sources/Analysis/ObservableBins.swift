/// The one binning rule of the fit observable: bin `i` holds `edges[i] ≤ x < edges[i + 1]`;
/// values outside `[edges.first, edges.last)` or not finite are in no bin (not in the fit).
/// Nominal templates, variation templates and the working-point optimiser's cached templates
/// all bin through here, so an event lands in the same bin everywhere.
public enum ObservableBins {
  /// The bin of `x` (binary search), or nil outside the range or for NaN/±inf.
  public static func bin(_ x: Double, edges: [Double]) -> Int? {
    let nb = edges.count - 1
    guard nb >= 1, x.isFinite, x >= edges[0], x < edges[nb] else { return nil }
    var lo = 0, hi = nb
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if x >= edges[mid] { lo = mid } else { hi = mid }
    }
    return lo
  }
}
