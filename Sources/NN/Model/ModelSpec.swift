/// A multilayer perceptron: Linear(prev → width) then an optional activation, per layer.
public struct ModelSpec: Sendable, Codable, Equatable, CustomStringConvertible {
  /// One Linear layer and the activation after it (nil: none, e.g. the logits layer).
  public struct Layer: Sendable, Codable, Equatable {
    /// Output width of the Linear layer.
    public var width: Int
    /// Activation applied to the Linear output, if any.
    public var activation: Activation?

    /// Creates a layer description.
    public init(width: Int, activation: Activation? = nil) {
      self.width = width
      self.activation = activation
    }
  }

  /// Width of the input (784 for Fashion-MNIST).
  public var inputWidth: Int
  /// The layers, first to last; the last layer's width is the number of classes.
  public var layers: [Layer]

  /// Creates a model description.
  public init(inputWidth: Int, layers: [Layer]) {
    self.inputWidth = inputWidth
    self.layers = layers
  }

  /// The study's baseline: 784-128-relu-10.
  public static let baseline = ModelSpec(
    inputWidth: 784, layers: [Layer(width: 128, activation: .relu), Layer(width: 10)])

  /// The compact form "784-128-relu-10".
  public var description: String {
    var parts = [String(inputWidth)]
    for layer in layers {
      parts.append(String(layer.width))
      if let activation = layer.activation { parts.append(activation.rawValue) }
    }
    return parts.joined(separator: "-")
  }

  /// Number of trainable scalars (weights and biases), saturating at Int.max for absurd sizes.
  public var parameterCount: Int {
    var total = 0
    var fanIn = inputWidth
    for layer in layers {
      let (w, o1) = fanIn.multipliedReportingOverflow(by: layer.width)
      let (wb, o2) = w.addingReportingOverflow(layer.width)
      let (sum, o3) = total.addingReportingOverflow(wb)
      if o1 || o2 || o3 { return Int.max }
      total = sum
      fanIn = layer.width
    }
    return total
  }

  /// Number of Linear layers.
  public var linearCount: Int { layers.count }

  /// (fanIn, fanOut) of each Linear layer.
  var linearShapes: [(fanIn: Int, fanOut: Int)] {
    var shapes: [(Int, Int)] = []
    var fanIn = inputWidth
    for layer in layers {
      shapes.append((fanIn, layer.width))
      fanIn = layer.width
    }
    return shapes
  }

  /// Parameter tensor names in arena order: fc1.weight, fc1.bias, fc2.weight, ...
  public var parameterNames: [String] {
    (0..<layers.count).flatMap { ["fc\($0 + 1).weight", "fc\($0 + 1).bias"] }
  }
}
