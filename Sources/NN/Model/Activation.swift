/// An elementwise nonlinearity that may follow a Linear layer.
public enum Activation: String, Sendable, Codable, CaseIterable {
  /// max(0, x).
  case relu
  /// tanh(x).
  case tanh
  /// 1 / (1 + e^-x).
  case sigmoid
}
