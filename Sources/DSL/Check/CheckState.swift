/// What the checker knows of the session's data set and model, so that a whole script can be
/// checked before it runs (`kernel --script --check`): `train` before any `load` or `model`, and a
/// model whose widths do not fit the data set, are errors at the statement that needs them.
public struct CheckState: Sendable, Equatable {
  /// The loaded data set's shape, or nil when nothing is loaded.
  public var data: DataShape?
  /// The current model's input and output widths, or nil when no model is defined.
  public var model: DataShape?

  /// Creates a state.
  public init(data: DataShape? = nil, model: DataShape? = nil) {
    self.data = data
    self.model = model
  }
}

/// Input width and number of classes of a data set, or input and output width of a model.
public struct DataShape: Sendable, Equatable {
  /// Name used in messages (`fashion-mnist`).
  public var name: String
  /// Pixels per image, or the model's input width.
  var inputs: Int
  /// Classes, or the model's output width.
  public var outputs: Int

  /// Creates a shape.
  public init(name: String, inputs: Int, outputs: Int) {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
  }

  /// Fashion-MNIST as `load fashion` reads it: 28×28 images, 10 classes (any subset).
  static let fashion = DataShape(name: "fashion-mnist", inputs: 784, outputs: 10)

  /// Why a model of this shape does not fit the data set `data` (message and hint), or nil when it fits.
  /// The one wording of the mismatch, for the checker and for the session alike.
  func misfit(on data: DataShape) -> (message: String, hint: String)? {
    let example = "`model \(data.inputs)-128-relu-\(data.outputs)`"
    if inputs != data.inputs {
      return (
        "the model's input width is \(inputs) but \(data.name) images have \(data.inputs) pixels",
        "start the model with \(data.inputs), e.g. \(example)"
      )
    }
    if outputs != data.outputs {
      return (
        "the model's output width is \(outputs) but \(data.name) has \(data.outputs) classes",
        "end the model with \(data.outputs), e.g. \(example)"
      )
    }
    return nil
  }
}
