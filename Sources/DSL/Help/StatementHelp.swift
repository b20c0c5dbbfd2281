/// Help for one statement: syntax, summary, details, parameters and examples.
public struct StatementHelp: Sendable, Equatable {
  /// The keyword.
  public var name: String
  /// The syntax line, e.g. `train [PARAM=VALUE ...] [as NAME]`.
  public var syntax: String
  /// One line.
  public var summary: String
  /// A paragraph.
  public var details: String
  /// Positional and named parameters.
  public var params: [ParamHelp]
  /// Example lines.
  public var examples: [String]
  /// Whether `as NAME` is accepted.
  public var acceptsName: Bool

  /// Creates a statement entry.
  public init(
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
  public var namedParams: [ParamHelp] { params.filter { !$0.positional } }
}

/// Help for a named item that is not a statement: a metric or a run field.
public struct TopicHelp: Sendable, Equatable {
  /// The name.
  public var name: String
  /// What it is.
  public var summary: String

  /// Creates an entry.
  public init(name: String, summary: String) {
    self.name = name
    self.summary = summary
  }
}
