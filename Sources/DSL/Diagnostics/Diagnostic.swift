/// A message about the source text: an error, a warning or a note, with the exact range it concerns.
public struct Diagnostic: Error, Sendable, Equatable {
  /// How serious a diagnostic is; only errors stop a cell from running.
  public enum Severity: String, Sendable, Equatable {
    /// The text cannot run.
    case error
    /// The text runs, but probably not as intended.
    case warning
    /// Extra information attached to another diagnostic.
    case note
  }

  /// How serious it is.
  public var severity: Severity
  /// The message, lower-case, without a trailing period.
  public var message: String
  /// The source range the caret line underlines.
  var range: SourceRange
  /// An optional fix, such as `did you mean 'batch'?`.
  var hint: String?

  /// Creates a diagnostic.
  init(severity: Severity = .error, message: String, range: SourceRange, hint: String? = nil) {
    self.severity = severity
    self.message = message
    self.range = range
    self.hint = hint
  }
}
