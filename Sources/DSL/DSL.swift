import NN

/// The training language: front end, session and outputs (placeholder).
public enum DSLInfo {
  /// The language's version string.
  public static let version = "0.1.0"
}
