/// A training parameter, as named in `set`, `train` and `sweep`.
public enum TrainParam: String, CaseIterable, Sendable {
  /// Mini-batch size.
  case batch
  /// Learning rate.
  case lr
  /// Optimizer.
  case opt
  /// SGD momentum.
  case momentum
  /// L2 weight decay.
  case weightDecay = "weight_decay"
  /// Number of epochs.
  case epochs
  /// Random seed for initialisation and shuffling.
  case seed
  /// Whether parameter gradients are reset before each step.
  case zeroGrad = "zero_grad"
  /// The backend to train on.
  case device
  /// CPU threads.
  case threads
}

/// The optimizer a run uses.
public enum OptimizerName: String, CaseIterable, Sendable {
  /// Adam (β 0.9/0.999, eps 1e-8).
  case adam
  /// Stochastic gradient descent (with optional momentum).
  case sgd
}

/// The device a run trains on.
public enum DeviceName: String, CaseIterable, Sendable {
  /// The GPU when one works, else the CPU.
  case auto
  /// The CPU backend.
  case cpu
  /// The CUDA backend (an error when no GPU is usable).
  case gpu
}

/// Training parameters; nil means "inherit" (from `set`, then from the built-in defaults).
public struct TrainParams: Sendable, Hashable {
  /// Mini-batch size (1...1_000_000).
  public var batch: Int?
  /// Learning rate (> 0, finite, ≤ 10).
  public var lr: Double?
  /// Optimizer.
  public var opt: OptimizerName?
  /// Momentum in [0, 1).
  public var momentum: Double?
  /// Weight decay in [0, 1].
  public var weightDecay: Double?
  /// Epochs (1...10_000).
  public var epochs: Int?
  /// Seed (0...2^53).
  public var seed: Int?
  /// Reset parameter gradients before each step.
  public var zeroGrad: Bool?
  /// Device.
  public var device: DeviceName?
  /// CPU threads (1...256).
  public var threads: Int?

  /// Creates an empty set of parameters (everything inherited).
  public init() {}

  /// The built-in defaults: batch 32, lr 0.001, adam, momentum 0, weight_decay 0, 10 epochs,
  /// seed 0, zero_grad on, device auto, 1 thread.
  public static let defaults: TrainParams = {
    var p = TrainParams()
    p.batch = 32
    p.lr = 0.001
    p.opt = .adam
    p.momentum = 0
    p.weightDecay = 0
    p.epochs = 10
    p.seed = 0
    p.zeroGrad = true
    p.device = .auto
    p.threads = 1
    return p
  }()

  /// These parameters with every nil field taken from `base`.
  public func merged(over base: TrainParams) -> TrainParams {
    var out = self
    out.batch = batch ?? base.batch
    out.lr = lr ?? base.lr
    out.opt = opt ?? base.opt
    out.momentum = momentum ?? base.momentum
    out.weightDecay = weightDecay ?? base.weightDecay
    out.epochs = epochs ?? base.epochs
    out.seed = seed ?? base.seed
    out.zeroGrad = zeroGrad ?? base.zeroGrad
    out.device = device ?? base.device
    out.threads = threads ?? base.threads
    return out
  }

  /// A number as short text: integral values without a fraction (`0`, not `0.0`).
  static func format(_ value: Double) -> String {
    if value.magnitude < 1e15, value == Double(Int(value)) { return String(Int(value)) }
    return "\(value)"
  }

  /// Whether `param` is set here.
  public func isSet(_ param: TrainParam) -> Bool { value(of: param) != nil }

  /// The value of `param` as display text (`on`/`off` for zero_grad), or nil when inherited.
  public func value(of param: TrainParam) -> String? {
    switch param {
    case .batch: return batch.map(String.init)
    case .lr: return lr.map(TrainParams.format)
    case .opt: return opt?.rawValue
    case .momentum: return momentum.map(TrainParams.format)
    case .weightDecay: return weightDecay.map(TrainParams.format)
    case .epochs: return epochs.map(String.init)
    case .seed: return seed.map(String.init)
    case .zeroGrad: return zeroGrad.map { $0 ? "on" : "off" }
    case .device: return device?.rawValue
    case .threads: return threads.map(String.init)
    }
  }
}
