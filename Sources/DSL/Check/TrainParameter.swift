import NN

/// One training parameter: the values it accepts, its help, and where its value lives in
/// `TrainParams` and in the engine's `TrainConfig`. The entries are in `TrainParameterTable.swift`.
struct TrainParameter: Sendable {
  /// The values a parameter accepts, each kind with the field its checked value goes to.
  enum Kind: Sendable {
    /// Whole numbers within the bounds.
    case integer(IntegerBounds, ParamField<Int>)
    /// Finite numbers within the bounds.
    case number(NumberBounds, ParamField<Double>)
    /// One case of an enumeration (written in any letter case), in its declaration order.
    case choice(any ChoiceField)
    /// on/off (also true/false).
    case boolean(ParamField<Bool>)
  }

  /// The parameter's name.
  let param: TrainParam
  /// What it accepts, and its field.
  let kind: Kind
  /// What it means (help).
  let meaning: String
  /// An example use (help).
  let example: String

  /// The field, whatever its value type.
  var field: any TrainField {
    switch kind {
    case .integer(_, let f): return f
    case .number(_, let f): return f
    case .choice(let f): return f
    case .boolean(let f): return f
    }
  }

  /// The value's text in a resolved configuration (tables, exports, `get`, the help's default).
  func text(_ config: TrainConfig) -> String { field.text(in: config) }

  /// An integer parameter; the configuration may hold it in another integer type (the seed is
  /// a `UInt64` there), and the checked range keeps every value representable in both.
  static func integer<Stored: BinaryInteger>(
    _ param: TrainParam, _ bounds: IntegerBounds, _ params: WritableKeyPath<TrainParams, Int?> & Sendable,
    config: WritableKeyPath<TrainConfig, Stored> & Sendable, meaning: String, example: String
  ) -> TrainParameter {
    let field = ParamField(
      params, write: { $0[keyPath: config] = Stored(clamping: $1) }, read: { Int(clamping: $0[keyPath: config]) },
      show: { String($0) }, describe: { String($0[keyPath: config]) })
    return TrainParameter(param: param, kind: .integer(bounds, field), meaning: meaning, example: example)
  }

  /// A number parameter.
  static func number(
    _ param: TrainParam, _ bounds: NumberBounds, _ params: WritableKeyPath<TrainParams, Double?> & Sendable,
    config: WritableKeyPath<TrainConfig, Double> & Sendable, meaning: String, example: String
  ) -> TrainParameter {
    let field = ParamField(params, config: config, show: { NumberFormatting.roundTrip($0) })
    return TrainParameter(param: param, kind: .number(bounds, field), meaning: meaning, example: example)
  }

  /// A parameter that picks one case of an enumeration of the engine.
  static func choice<E: TrainChoice>(
    _ param: TrainParam, _ params: WritableKeyPath<TrainParams, E?> & Sendable,
    config: WritableKeyPath<TrainConfig, E> & Sendable, meaning: String, example: String
  ) -> TrainParameter {
    let field = ParamField(params, config: config, show: { $0.rawValue })
    return TrainParameter(param: param, kind: .choice(field), meaning: meaning, example: example)
  }

  /// An on/off parameter.
  static func boolean(
    _ param: TrainParam, _ params: WritableKeyPath<TrainParams, Bool?> & Sendable,
    config: WritableKeyPath<TrainConfig, Bool> & Sendable, meaning: String, example: String
  ) -> TrainParameter {
    let field = ParamField(params, config: config, show: { $0 ? "on" : "off" })
    return TrainParameter(param: param, kind: .boolean(field), meaning: meaning, example: example)
  }
}
