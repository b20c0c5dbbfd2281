/// The NN engine: tensors, layers, optimizers, data, and training (placeholder until issue 3 lands).
public enum NNInfo {
  /// The engine's version string.
  public static let version = "0.1.0"
}
