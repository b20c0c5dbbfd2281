/// Help for one statement: syntax, summary, details, parameters and examples.
struct StatementHelp: Sendable, Equatable {
  /// The keyword.
  var name: String
  /// The syntax line, e.g. `train [PARAM=VALUE ...] [as NAME]`.
  var syntax: String
  /// One line.
  var summary: String
  /// A paragraph.
  var details: String
  /// Positional and named parameters.
  var params: [ParamHelp]
  /// Example lines.
  var examples: [String]
  /// Whether `as NAME` is accepted.
  var acceptsName: Bool

  /// Creates a statement entry.
  init(
    name: String, syntax: String, summary: String, details: String, params: [ParamHelp],
    examples: [String], acceptsName: Bool = false
  ) {
    self.name = name
    self.syntax = syntax
    self.summary = summary
    self.details = details
    self.params = params
    self.examples = examples
    self.acceptsName = acceptsName
  }

  /// The named (`name=value`) parameters.
  var namedParams: [ParamHelp] { params.filter { !$0.positional } }
}

/// Help for a named item that is not a statement: a metric or a run field.
struct TopicHelp: Sendable, Equatable {
  /// The name.
  var name: String
  /// What it is.
  var summary: String
}
