/// Hyperparameters of one training run; the defaults are the study's baseline.
public struct TrainConfig: Sendable, Codable, Equatable {
  /// Examples per step; the last partial batch of an epoch is kept.
  public var batch = 32
  /// Learning rate.
  public var lr = 1e-3
  /// Optimizer.
  public var optimizer = OptimizerKind.adam
  /// SGD momentum (ignored by Adam).
  public var momentum = 0.0
  /// L2 weight decay added to the gradient (PyTorch's `weight_decay`).
  public var weightDecay = 0.0
  /// Number of passes over the training set.
  public var epochs = 10
  /// Seed of the run's generator (initialisation and shuffling).
  public var seed: UInt64 = 0
  /// true: parameter gradients are reset before each backward; false: they accumulate across steps.
  public var zeroGrad = true
  /// Device choice (CPU, GPU, or the GPU when usable).
  public var device = DeviceChoice.auto
  /// CPU threads the engine may use: the caller plus `threads − 1` workers that split large
  /// products (one-thread OpenBLAS calls on output blocks) and elementwise kernels.
  /// Results are bit-identical for the same seed and thread count.
  public var threads = 1

  /// The thread counts a run accepts.
  public static let threadRange = 1...256

  /// The baseline configuration.
  public init() {}

  /// Checks the ranges as `Trainer` does before a run; throws `.invalidConfig` naming the bad
  /// field (for callers that train elsewhere, such as a batch job, and refuse a run up front).
  public func validate() throws(TrainError) {
    if let problem = validationError() { throw .invalidConfig(problem) }
  }

  /// Checks ranges; returns a message naming the bad field, or nil when valid.
  func validationError() -> String? {
    if batch < 1 { return "batch must be at least 1 (got \(batch))" }
    if !(lr.isFinite && lr > 0) { return "lr must be a positive finite number (got \(lr))" }
    if !(momentum.isFinite && momentum >= 0) { return "momentum must be ≥ 0 (got \(momentum))" }
    if !(weightDecay.isFinite && weightDecay >= 0) {
      return "weight decay must be ≥ 0 (got \(weightDecay))"
    }
    if epochs < 1 { return "epochs must be at least 1 (got \(epochs))" }
    if !Self.threadRange.contains(threads) {
      return "threads must be in \(Self.threadRange) (got \(threads))"
    }
    return nil
  }
}
