/// Whether a cell's text is ready to run (Jupyter's is_complete).
public enum CompletenessStatus: String, Sendable, Equatable {
  /// Ready to run.
  case complete
  /// Needs more text: an unterminated string on the last line, an unterminated multi-line string,
  /// or a trailing `=`, `,` or `\`.
  case incomplete
  /// Cannot become valid by appending text at the end (a syntax error or unknown statement).
  case invalid
}

/// Decides whether text is complete, incomplete or invalid, from lexing and parsing alone.
public enum CompletenessChecker {
  /// The status of `text`; run names and values are not checked (that needs the session).
  public static func status(_ text: String) -> CompletenessStatus {
    let lastVisible = text.utf8.last { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }
    if lastVisible == UInt8(ascii: "\\") { return .incomplete }
    let map = SourceMap(bytes: Array(text.utf8))
    let (tokens, lexDiagnostics) = Lexer.tokenize(map)
    let lastLine = map.location(map.bytes.count).line
    if lexDiagnostics.contains(where: {
      ($0.message == "unterminated string" && $0.range.end.line == lastLine)
        || $0.message == "unterminated multi-line string"
    }) {
      return .incomplete
    }
    if tokens.count >= 2 {
      let last = tokens[tokens.count - 2]
      if last.kind == .equals || last.kind == .comma { return .incomplete }
    }
    let (statements, diagnostics) = Parser.parse(map)
    if !diagnostics.isEmpty { return .invalid }
    if statements.contains(where: { HelpCatalog.statement(named: $0.keyword.text) == nil }) { return .invalid }
    return .complete
  }
}
