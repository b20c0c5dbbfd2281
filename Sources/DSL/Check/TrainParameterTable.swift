import NN

/// A training parameter, as named in `set`, `train` and `sweep`; the order of the cases is the
/// order of help, `set`'s summary, `show`, exports and the seed groups.
enum TrainParam: String, CaseIterable, Sendable {
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

extension TrainParam {
  /// The parameter's one definition: range (checked by `Checker`, printed by help), meaning,
  /// example, its field in `TrainParams` and in NN's `TrainConfig`. Its default is the value of
  /// `TrainConfig()`, the configuration that runs when nothing is set.
  var definition: TrainParameter {
    switch self {
    case .batch:
      return .integer(
        self, IntegerBounds(1...1_000_000, shown: "1...1_000_000"), \.batch, config: \.batch,
        meaning: "mini-batch size: examples per optimisation step", example: "batch=64")
    case .lr:
      return .number(
        self,
        NumberBounds(
          lower: .exclusive(0), upper: .inclusive(1e30), shown: "> 0 and ≤ 1e30", help: "> 0, finite, ≤ 1e30"),
        \.lr, config: \.lr,
        meaning: "learning rate of the optimizer", example: "lr=1e-3")
    case .opt:
      return .choice(
        self, \.opt, config: \.optimizer,
        meaning: "optimizer: Adam (β 0.9/0.999, eps 1e-8) or plain SGD with optional momentum", example: "opt=sgd")
    case .momentum:
      return .number(
        self,
        NumberBounds(lower: .inclusive(0), upper: .exclusive(1), shown: "in [0, 1)", help: "0 ≤ momentum < 1"),
        \.momentum, config: \.momentum,
        meaning: "SGD momentum (ignored by Adam)", example: "momentum=0.9")
    case .weightDecay:
      return .number(
        self, NumberBounds(lower: .inclusive(0), upper: .inclusive(1), shown: "in [0, 1]", help: "0...1"),
        \.weightDecay, config: \.weightDecay,
        meaning: "L2 weight decay added to the gradient", example: "weight_decay=1e-4")
    case .epochs:
      return .integer(
        self, IntegerBounds(1...10_000, shown: "1...10_000"), \.epochs, config: \.epochs,
        meaning: "passes over the training set", example: "epochs=5")
    case .seed:
      return .integer(
        self, IntegerBounds(0...(1 << 53), shown: "0...2^53"), \.seed, config: \.seed,
        meaning: "random seed for initialisation and shuffling (same seed, backend, threads → same numbers)",
        example: "seed=42")
    case .zeroGrad:
      return .boolean(
        self, \.zeroGrad, config: \.zeroGrad,
        meaning:
          "reset parameter gradients before each step; off lets them accumulate as in PyTorch without zero_grad()",
        example: "zero_grad=off")
    case .device:
      return .choice(
        self, \.device, config: \.device,
        meaning: "where to train: auto uses the GPU when one works, else the CPU", example: "device=gpu")
    case .threads:
      return .integer(
        self, IntegerBounds(TrainConfig.threadRange, shown: "\(TrainConfig.threadRange)"), \.threads, config: \.threads,
        meaning: "CPU threads for the CPU backend", example: "threads=2")
    }
  }

  /// The value's text in a resolved configuration.
  func text(_ config: TrainConfig) -> String { definition.text(config) }
}
