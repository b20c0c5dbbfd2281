extension RunField {
  /// How `print` shows this field: the style the tables use for it (accuracies as 87.69%,
  /// losses with 4 decimals, seconds as durations); nil for fields printed as their text.
  /// `get` and exports keep the plain value with every digit.
  var displayStyle: Table.NumberStyle? {
    switch self {
    case .testAcc, .bestTestAcc, .trainAcc: return .percent(2)
    case .trainLoss, .testLoss: return .fixed(4)
    case .trainS, .totalS: return .seconds
    case .stepsPerS: return .fixed(0)
    case .status, .epochs, .batch, .lr, .opt, .momentum, .weightDecay, .seed, .zeroGrad, .device: return nil
    }
  }
}
