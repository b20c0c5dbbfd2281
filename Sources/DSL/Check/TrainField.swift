import NN

/// Where one training parameter's value lives: in `TrainParams` (nil = inherited) and in the
/// engine's `TrainConfig`, with its text.
protocol TrainField: Sendable {
  /// The value's type, the same in `TrainParams` and as the checker returns it.
  associatedtype Value: Hashable & Sendable
  /// The value in `TrainParams`; nil when inherited.
  var params: WritableKeyPath<TrainParams, Value?> & Sendable { get }
  /// Writes a value into an engine configuration.
  func land(_ value: Value, in config: inout TrainConfig)
  /// The value an engine configuration holds.
  func value(in config: TrainConfig) -> Value
  /// A value as text: integers as digits, numbers as their shortest round-trip text, on/off,
  /// enumeration cases by name.
  func text(_ value: Value) -> String
  /// The value's text in an engine configuration.
  func text(in config: TrainConfig) -> String
}

extension TrainField {

  /// The value's text where `p` sets it, else nil.
  func setText(_ p: TrainParams) -> String? { p[keyPath: params].map(text) }

  /// Whether `p` sets the value.
  func isSet(_ p: TrainParams) -> Bool { p[keyPath: params] != nil }

  /// Takes the value from `base` where `p` does not set it.
  func inherit(_ p: inout TrainParams, from base: TrainParams) {
    if p[keyPath: params] == nil { p[keyPath: params] = base[keyPath: params] }
  }

  /// Writes the value `p` sets into `config`; an inherited value leaves `config` as it is.
  func land(_ p: TrainParams, in config: inout TrainConfig) {
    if let v = p[keyPath: params] { land(v, in: &config) }
  }

  /// Sets the value in `p` to the one `config` holds.
  func copy(from config: TrainConfig, into p: inout TrainParams) { p[keyPath: params] = value(in: config) }

  /// `p` with only this value set.
  func only(_ value: Value) -> TrainParams {
    var p = TrainParams()
    p[keyPath: params] = value
    return p
  }
}

/// An enumeration of the engine a parameter picks a case of (`opt=sgd`, `device=gpu`).
protocol TrainChoice: CaseIterable, RawRepresentable, Hashable, Sendable where RawValue == String {}

extension OptimizerKind: TrainChoice {}
extension DeviceChoice: TrainChoice {}

/// The field of a parameter that picks a case of an enumeration.
protocol ChoiceField: TrainField where Value: TrainChoice {}

extension ChoiceField {
  /// The cases' names, in declaration order.
  var names: [String] { Value.allCases.map(\.rawValue) }
}

/// A field given by its key path in `TrainParams` and how it reads and writes `TrainConfig`.
struct ParamField<Value: Hashable & Sendable>: TrainField {
  let params: WritableKeyPath<TrainParams, Value?> & Sendable
  /// Writes the value into a configuration.
  let write: @Sendable (inout TrainConfig, Value) -> Void
  /// Reads the value from a configuration.
  let read: @Sendable (TrainConfig) -> Value
  /// The value's text.
  let show: @Sendable (Value) -> String
  /// The configuration's value as text (its own type's digits where it holds another type).
  let describe: @Sendable (TrainConfig) -> String

  /// A field whose value has the same type in both places.
  init(
    _ params: WritableKeyPath<TrainParams, Value?> & Sendable, config: WritableKeyPath<TrainConfig, Value> & Sendable,
    show: @escaping @Sendable (Value) -> String
  ) {
    self.init(
      params, write: { $0[keyPath: config] = $1 }, read: { $0[keyPath: config] }, show: show,
      describe: { show($0[keyPath: config]) })
  }

  /// A field that converts between its value and the configuration's.
  init(
    _ params: WritableKeyPath<TrainParams, Value?> & Sendable,
    write: @escaping @Sendable (inout TrainConfig, Value) -> Void,
    read: @escaping @Sendable (TrainConfig) -> Value, show: @escaping @Sendable (Value) -> String,
    describe: @escaping @Sendable (TrainConfig) -> String
  ) {
    self.params = params
    self.write = write
    self.read = read
    self.show = show
    self.describe = describe
  }

  func land(_ value: Value, in config: inout TrainConfig) { write(&config, value) }
  func value(in config: TrainConfig) -> Value { read(config) }
  func text(_ value: Value) -> String { show(value) }
  func text(in config: TrainConfig) -> String { describe(config) }
}

extension ParamField: ChoiceField where Value: TrainChoice {}
