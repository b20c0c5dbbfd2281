/// Parses tokens into statements, recovering at statement boundaries after a syntax error.
///
/// Grammar: `statement := WORD argument* ; argument := WORD '=' value | 'as' WORD | value ;
/// value := item (',' item)* ; item := WORD | STRING`.
struct Parser {
  private let tokens: [Token]
  private let map: SourceMap
  private var index = 0
  private(set) var statements: [StatementSyntax] = []
  private(set) var diagnostics: [Diagnostic] = []

  /// Lexes and parses `map`'s text.
  static func parse(_ map: SourceMap) -> (statements: [StatementSyntax], diagnostics: [Diagnostic]) {
    let (tokens, lexDiagnostics) = Lexer.tokenize(map)
    var parser = Parser(tokens: tokens, map: map)
    parser.parseAll()
    return (parser.statements, lexDiagnostics + parser.diagnostics)
  }

  private init(tokens: [Token], map: SourceMap) {
    self.tokens = tokens
    self.map = map
  }

  private var current: Token { tokens[index] }
  private var peekNext: Token { tokens[min(index + 1, tokens.count - 1)] }

  private func range(_ token: Token) -> SourceRange { map.range(token.start, token.end) }

  private mutating func advance() {
    if index < tokens.count - 1 { index += 1 }
  }

  /// Parses statements until the end, skipping empty ones.
  private mutating func parseAll() {
    while current.kind != .end {
      if current.kind == .separator {
        advance()
        continue
      }
      if let statement = parseStatement() {
        statements.append(statement)
      } else {
        while current.kind != .separator && current.kind != .end { advance() }
      }
    }
  }

  private mutating func fail(_ message: String, _ range: SourceRange, hint: String? = nil) {
    diagnostics.append(Diagnostic(message: message, range: range, hint: hint))
  }

  private mutating func parseStatement() -> StatementSyntax? {
    let first = current
    guard first.kind == .word else {
      switch first.kind {
      case .string:
        let source = String(decoding: Array(map.bytes[first.start..<first.end]), as: UTF8.self)
        fail(
          "expected a statement, found a string", range(first),
          hint: source.hasPrefix("\"\"\"")
            ? "to put it in the report, write: text \"\"\"…\"\"\" (or text p1 \"\"\"…\"\"\" for a section)"
            : "to print text, write: print \(source)")
      case .equals:
        fail("expected a statement, found '='", range(first))
      case .comma:
        fail("expected a statement, found ','", range(first))
      case .word, .separator, .end:
        // Not reached: parseAll skips separators and stops at the end, and a word starts a statement.
        fail("expected a statement", range(first))
      }
      return nil
    }
    let keyword = NameSyntax(text: first.text, range: range(first))
    advance()
    if current.kind == .equals, HelpCatalog.statement(named: first.text) != nil {
      fail("expected a parameter name before '='", range(current), hint: "write \(first.text) NAME=VALUE")
      return nil
    }
    if current.kind == .equals {
      let hint =
        TrainParam(rawValue: first.text) != nil
        ? "to change a training default, write: set \(first.text)=VALUE"
        : "a statement starts with its keyword; write 'help' for the list"
      fail("expected a statement, found the parameter '\(first.text)='", keyword.range, hint: hint)
      return nil
    }
    var arguments: [ArgumentSyntax] = []
    var alias: (keyword: SourceRange, name: NameSyntax)?
    while current.kind != .separator && current.kind != .end {
      let token = current
      switch token.kind {
      case .equals:
        fail("expected a parameter name before '='", range(token))
        return nil
      case .comma:
        fail("unexpected ','", range(token), hint: "list elements need a value before each comma")
        return nil
      case .word where token.text == "as" && peekNext.kind != .equals:
        advance()
        guard current.kind == .word || current.kind == .string else {
          fail("expected a name after 'as'", range(token), hint: "e.g. as baseline")
          return nil
        }
        let name = NameSyntax(text: current.text, range: range(current))
        if alias != nil {
          fail(
            "'as' given twice", SourceRange(start: range(token).start, end: name.range.end),
            hint: "a statement takes one name")
          return nil
        }
        alias = (range(token), name)
        advance()
      case .word where peekNext.kind == .equals:
        let name = NameSyntax(text: token.text, range: range(token))
        advance()
        let equals = current
        advance()
        guard current.kind == .word || current.kind == .string, peekNext.kind != .equals else {
          let found =
            current.kind == .equals ? "'='" : current.kind == .word ? "the parameter '\(current.text)='" : "nothing"
          fail(
            "missing value after '\(name.text)=' (found \(found))", range(equals),
            hint: "write \(name.text)=VALUE with no space after '='")
          return nil
        }
        guard let value = parseValue() else { return nil }
        arguments.append(.named(name, value))
      default:
        guard let value = parseValue() else { return nil }
        arguments.append(.positional(value))
      }
    }
    let endOffset = tokens[max(index - 1, 0)].end
    return StatementSyntax(
      keyword: keyword, arguments: arguments, alias: alias,
      range: map.range(first.start, max(endOffset, first.end)))
  }

  /// Parses `item (',' item)*` starting at a word or string.
  private mutating func parseValue() -> ValueSyntax? {
    var items: [ScalarSyntax] = [scalar(current)]
    let start = current.start
    var end = current.end
    advance()
    while current.kind == .comma {
      let comma = current
      advance()
      guard current.kind == .word || current.kind == .string, peekNext.kind != .equals else {
        fail(
          "missing list element after ','", range(comma),
          hint: "remove the trailing comma or add a value")
        return nil
      }
      items.append(scalar(current))
      end = current.end
      advance()
    }
    return ValueSyntax(items: items, range: map.range(start, end))
  }

  private func scalar(_ token: Token) -> ScalarSyntax {
    let source = String(decoding: map.bytes[token.start..<token.end], as: UTF8.self)
    let kind: ScalarSyntax.Kind
    if token.kind == .string {
      kind = .string(token.text)
    } else if let number = NumberLiteral.parse(token.text) {
      kind = .number(number)
    } else {
      kind = .word(token.text)
    }
    return ScalarSyntax(kind: kind, text: source, range: range(token))
  }
}
