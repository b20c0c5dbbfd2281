/// Why a run could not be set up; raised before anything large is allocated.
public enum TrainError: Error, CustomStringConvertible, Equatable {
  /// The model's first or last width does not fit the data set.
  case modelMismatch(what: String, model: Int, data: Int)
  /// The model has no layers or a width below 1.
  case invalidModel(String)
  /// Parameters, optimizer state and activations would need `bytes` (Int.max: more than
  /// Int can count), over the limit of 4 GiB or physical memory.
  case modelTooLarge(bytes: Int)
  /// A hyperparameter is out of range.
  case invalidConfig(String)
  /// The requested device cannot be used here.
  case deviceUnavailable(String)
  /// The data set has no training examples.
  case emptyData(String)

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .modelMismatch(let what, let model, let data):
      return "model does not fit the data: \(what) is \(model) but the data set needs \(data)"
    case .invalidModel(let why):
      return "invalid model: \(why)"
    case .modelTooLarge(let bytes):
      let limit = Trainer.memoryLimit
      return "model too large: it would need \(bytes) bytes (\(Self.human(bytes))) for parameters, "
        + "gradients, optimizer state and activations; the limit is \(limit) bytes "
        + "(\(Self.human(limit))). Use smaller widths."
    case .invalidConfig(let why):
      return "invalid training setting: \(why)"
    case .deviceUnavailable(let why):
      return "device unavailable: \(why)"
    case .emptyData(let why):
      return "no data: \(why)"
    }
  }

  static func human(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }
}
