/// Which part of a data set.
public enum DataSplit: String, Sendable, Codable {
  /// The training examples.
  case train
  /// The test examples.
  case test
}
