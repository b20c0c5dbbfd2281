/// Whether a cell's text is ready to run (Jupyter's is_complete).
public enum CompletenessStatus: String, Sendable, Equatable {
  /// Ready to run.
  case complete
  /// Needs more text: an unterminated multi-line string, or a last line ending with a line
  /// continuation `\`.
  case incomplete
  /// A syntax error or an unknown statement: running it reports the error.
  case invalid
}

/// Decides whether text is complete, incomplete or invalid, from lexing and parsing alone.
///
/// Statements and strings end at the newline, so only a trailing `\` makes the next line part
/// of the same statement. A trailing `=` or `,` or an unterminated string is `invalid`, not
/// `incomplete`: a console must run the cell and show the error rather than prompt for a line
/// that would be a new statement.
public enum CompletenessChecker {
  /// The status of `text`; run names and values are not checked (that needs the session).
  public static func status(_ text: String) -> CompletenessStatus {
    let lastVisible = text.utf8.last { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }
    if lastVisible == UInt8(ascii: "\\") { return .incomplete }
    let map = SourceMap(bytes: Array(text.utf8))
    let (_, lexDiagnostics) = Lexer.tokenize(map)
    if lexDiagnostics.contains(where: { $0.message == "unterminated multi-line string" }) {
      return .incomplete
    }
    let (statements, diagnostics) = Parser.parse(map)
    if !diagnostics.isEmpty { return .invalid }
    if statements.contains(where: { HelpCatalog.statement(named: $0.keyword.text) == nil }) { return .invalid }
    return .complete
  }
}
