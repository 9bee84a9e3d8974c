/// The version written into manifests and model files.
public enum CascadeVersion {
  public static let string = "0.1.0"
}
