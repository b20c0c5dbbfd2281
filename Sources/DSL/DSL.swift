import NN

/// The training language: front end, checker, session, run store and outputs; this is its version.
public enum DSLInfo {
  /// The language's version string.
  public static let version = "0.1.0"
}
