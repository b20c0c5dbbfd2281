/// The NN engine: data sets, models, the CPU kernels, the CUDA path, and training runs.
public enum NNInfo {
  /// The engine's version string.
  public static let version = "0.1.0"
}
