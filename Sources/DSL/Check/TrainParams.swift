import NN

/// Training parameters; nil means "inherit" (from `set`, then from the engine's baseline
/// `TrainConfig()`). Ranges, help and the way each value lands in `TrainConfig` are in the
/// parameter table (`TrainParam.definition`).
struct TrainParams: Sendable, Hashable {
  /// Mini-batch size.
  var batch: Int?
  /// Learning rate.
  var lr: Double?
  /// Optimizer.
  var opt: OptimizerKind?
  /// SGD momentum.
  var momentum: Double?
  /// L2 weight decay.
  var weightDecay: Double?
  /// Epochs.
  var epochs: Int?
  /// Seed.
  var seed: Int?
  /// Reset parameter gradients before each step.
  var zeroGrad: Bool?
  /// Device.
  var device: DeviceChoice?
  /// CPU threads.
  var threads: Int?

  /// Creates an empty set of parameters (everything inherited).
  init() {}

  /// Every parameter set to its value in `config`.
  init(config: TrainConfig) {
    for p in TrainParam.allCases { p.definition.field.copy(from: config, into: &self) }
  }

  /// The built-in defaults, every parameter set: the engine's baseline `TrainConfig()`.
  static let defaults = TrainParams(config: TrainConfig())

  /// These parameters with every nil field taken from `base`.
  func merged(over base: TrainParams) -> TrainParams {
    var out = self
    for p in TrainParam.allCases { p.definition.field.inherit(&out, from: base) }
    return out
  }

  /// `base` with every parameter set here written over it.
  func config(over base: TrainConfig = TrainConfig()) -> TrainConfig {
    var config = base
    for p in TrainParam.allCases { p.definition.field.land(self, in: &config) }
    return config
  }

  /// Whether `param` is set here.
  func isSet(_ param: TrainParam) -> Bool { param.definition.field.isSet(self) }

  /// The value of `param` as display text (`on`/`off` for zero_grad), or nil when inherited.
  func value(of param: TrainParam) -> String? { param.definition.field.setText(self) }
}
