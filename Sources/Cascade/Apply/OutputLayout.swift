import CascadeSupport
import EventData

/// Paths and file options of apply outputs, shared by `apply` and `merge` so both write the
/// same bytes.
public enum OutputLayout {
  /// `scores/<sample>/<file stem>.h5`, relative to a run or shard directory.
  public static func scoresFile(sample: String, file: String) -> String { "scores/\(sample)/\(fileStem(file)).h5" }
  /// `regions/<region>/<sample>.h5`, relative to a run or shard directory.
  public static func regionFile(region: String, sample: String) -> String { "regions/\(region)/\(sample).h5" }
  /// `scoresFile(sample:file:)` under the run or shard directory `root`.
  public static func scoresPath(root: String, sample: String, file: String) -> String {
    root + "/" + scoresFile(sample: sample, file: file)
  }
  /// `regionFile(region:sample:)` under the run or shard directory `root`.
  public static func regionPath(root: String, region: String, sample: String) -> String {
    root + "/" + regionFile(region: region, sample: sample)
  }
  /// HDF5 layout of every output table.
  public static func writeOptions(attributes: [String: String]) -> EventFileWriteOptions {
    EventFileWriteOptions(gzipLevel: 1, chunkRows: 65_536, attributes: attributes)
  }
  /// Metadata attribute on score and region files.
  public static let metadataKey = "cascade"
}
