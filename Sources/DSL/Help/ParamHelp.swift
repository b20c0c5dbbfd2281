/// Help for one parameter (named `name=VALUE`, or positional when `positional` is true).
struct ParamHelp: Sendable, Equatable {
  /// The parameter name (`batch`), or the placeholder of a positional argument (`RUN`).
  var name: String
  /// Its type in words (`integer`, `one of adam, sgd`).
  var type: String
  /// The default as text; nil when there is none.
  var defaultValue: String?
  /// The allowed range in words.
  var range: String
  /// What it means.
  var meaning: String
  /// An example use.
  var example: String
  /// Whether this is a positional argument rather than `name=value`.
  var positional: Bool
  /// The values an editor can offer (enumerations); empty when free-form.
  var choices: [String]

  /// Creates a parameter entry.
  init(
    name: String, type: String, defaultValue: String?, range: String, meaning: String,
    example: String, positional: Bool = false, choices: [String] = []
  ) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.range = range
    self.meaning = meaning
    self.example = example
    self.positional = positional
    self.choices = choices
  }
}
