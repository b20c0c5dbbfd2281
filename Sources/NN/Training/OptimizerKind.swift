/// Which optimizer updates the parameters.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
  /// torch.optim.Adam semantics (β1 0.9, β2 0.999, eps 1e-8, L2 weight decay in the gradient).
  case adam
  /// torch.optim.SGD semantics (momentum buffer = grad on its first step, no dampening).
  case sgd
}
