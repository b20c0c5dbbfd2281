/// One optimizer over the whole parameter arena, with PyTorch's exact update rules.
///
/// SGD: d = g + wd·p; buf = d on the first step, else momentum·buf + d; p −= lr·buf (or lr·d).
/// Adam: g' = g + wd·p; m += (1−β1)(g' − m); v = β2·v + (1−β2)g'²;
/// p −= lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps). The parameter gradients themselves are not changed.
final class Optimizer {
  let kind: OptimizerKind
  let lr: Double
  let momentum: Double
  let weightDecay: Double
  let beta1 = Optimizer.adamBeta1, beta2 = Optimizer.adamBeta2, eps = Optimizer.adamEps
  /// Adam's constants, PyTorch's defaults (the GPU path uses the same).
  static let adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-8
  private let backend: CPUBackend
  private let count: Int
  private var state: [DeviceBuffer<Float>] = []
  /// Steps taken so far.
  private(set) var steps = 0

  /// Arenas of optimizer state per parameter (Adam 2, SGD with momentum 1, plain SGD 0).
  static func slots(_ config: TrainConfig) -> Int {
    switch config.optimizer {
    case .adam: return 2
    case .sgd: return config.momentum != 0 ? 1 : 0
    }
  }

  init(config: TrainConfig, backend: CPUBackend, count: Int) {
    kind = config.optimizer
    lr = config.lr
    momentum = config.momentum
    weightDecay = config.weightDecay
    self.backend = backend
    self.count = count
    for _ in 0..<Self.slots(config) { state.append(backend.allocate(floats: count)) }
  }

  deinit { for buffer in state { backend.free(buffer) } }

  /// Applies one update to `parameters` from `gradients`.
  func step(parameters: DeviceBuffer<Float>, gradients: DeviceBuffer<Float>) {
    steps += 1
    switch kind {
    case .adam:
      backend.adamUpdate(
        parameters: parameters, gradients: gradients, m: state[0], v: state[1], n: count,
        lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: Float(weightDecay),
        step: steps)
    case .sgd:
      backend.sgdUpdate(
        parameters: parameters, gradients: gradients, momentumBuffer: state.first, n: count,
        lr: Float(lr), momentum: Float(momentum), weightDecay: Float(weightDecay),
        firstStep: steps == 1)
    }
  }
}
