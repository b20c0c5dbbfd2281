/// Splits DSL text into tokens: words, strings, `=`, `,` and statement separators.
///
/// Whitespace is spaces, tabs and carriage returns; `#` starts a comment to the end of the line;
/// a backslash right before a newline joins the two lines. Every other character that is not
/// `"`, `=`, `,`, `;` or a newline belongs to a word, so words cover numbers, model specs,
/// references and unquoted paths alike.
struct Lexer {
  private let bytes: [UInt8]
  private let map: SourceMap
  private var position = 0
  private(set) var diagnostics: [Diagnostic] = []

  init(map: SourceMap) {
    self.map = map
    self.bytes = map.bytes
  }

  /// Lexes the whole text; the last token is always `.end`.
  static func tokenize(_ map: SourceMap) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(map: map)
    var tokens: [Token] = []
    while true {
      let token = lexer.next()
      tokens.append(token)
      if token.kind == .end { break }
    }
    return (tokens, lexer.diagnostics)
  }

  static func isWordByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
      UInt8(ascii: ";"), UInt8(ascii: "#"), UInt8(ascii: "="), UInt8(ascii: ","),
      UInt8(ascii: "\""), 0x0B, 0x0C:
      return false
    default:
      return true
    }
  }

  /// Whether a backslash at `index` is a line continuation (only spaces/tabs/CR before the newline).
  private func isContinuation(_ index: Int) -> Bool {
    var k = index + 1
    while k < bytes.count {
      switch bytes[k] {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): k += 1
      case UInt8(ascii: "\n"): return true
      default: return false
      }
    }
    return false
  }

  private mutating func next() -> Token {
    skipTrivia()
    guard position < bytes.count else {
      return Token(kind: .end, text: "", start: bytes.count, end: bytes.count)
    }
    let start = position
    switch bytes[position] {
    case UInt8(ascii: "\n"), UInt8(ascii: ";"):
      position += 1
      return Token(
        kind: .separator, text: bytes[start] == UInt8(ascii: ";") ? ";" : "\n",
        start: start, end: position)
    case UInt8(ascii: "="):
      position += 1
      return Token(kind: .equals, text: "=", start: start, end: position)
    case UInt8(ascii: ","):
      position += 1
      return Token(kind: .comma, text: ",", start: start, end: position)
    case UInt8(ascii: "\""):
      if position + 2 < bytes.count, bytes[position + 1] == UInt8(ascii: "\""),
        bytes[position + 2] == UInt8(ascii: "\"")
      {
        return lexMultiLineString()
      }
      return lexString()
    default:
      while position < bytes.count, Lexer.isWordByte(bytes[position]) {
        if bytes[position] == UInt8(ascii: "\\"), isContinuation(position) { break }
        position += 1
      }
      let text = String(decoding: bytes[start..<position], as: UTF8.self)
      return Token(kind: .word, text: text, start: start, end: position)
    }
  }

  /// Skips blanks, comments and line continuations (a backslash before the newline).
  private mutating func skipTrivia() {
    while position < bytes.count {
      switch bytes[position] {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
        position += 1
      case UInt8(ascii: "#"):
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
      case UInt8(ascii: "\\") where isContinuation(position):
        while bytes[position] != UInt8(ascii: "\n") { position += 1 }
        position += 1
      default:
        return
      }
    }
  }

  /// Lexes `"..."` with the escapes `\" \\ \n \t \u{XXXX}`; strings end on their line.
  private mutating func lexString() -> Token {
    let start = position
    position += 1
    var value: [UInt8] = []
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        return Token(
          kind: .string, text: String(decoding: value, as: UTF8.self), start: start,
          end: position)
      }
      if byte == UInt8(ascii: "\n") { break }
      if byte == UInt8(ascii: "\\") {
        lexEscape(into: &value)
        continue
      }
      value.append(byte)
      position += 1
    }
    diagnostics.append(
      Diagnostic(
        message: "unterminated string", range: map.range(start, position),
        hint: "close the string with '\"' on the same line"))
    return Token(
      kind: .string, text: String(decoding: value, as: UTF8.self), start: start,
      end: position)
  }

  /// Lexes `"""..."""`, which may span lines. The line break right after the opening quotes and
  /// the blank last line before the closing quotes are not part of the value, the indentation
  /// common to all non-blank lines is removed, CRLF becomes LF, and a backslash at the end of a
  /// line joins it with the next. The escapes are those of one-line strings.
  private mutating func lexMultiLineString() -> Token {
    let start = position
    position += 3
    let bodyStart = position
    var bodyEnd: Int?
    while position < bytes.count {
      if bytes[position] == UInt8(ascii: "\\") {
        position += 2
        continue
      }
      if bytes[position] == UInt8(ascii: "\""), position + 2 < bytes.count,
        bytes[position + 1] == UInt8(ascii: "\""), bytes[position + 2] == UInt8(ascii: "\"")
      {
        bodyEnd = position
        position += 3
        break
      }
      position += 1
    }
    let end = min(position, bytes.count)
    position = end
    guard let bodyEnd else {
      diagnostics.append(
        Diagnostic(
          message: "unterminated multi-line string", range: map.range(start, start + 3),
          hint: "close the string with \"\"\""))
      return Token(kind: .string, text: "", start: start, end: end)
    }
    // Lines of the body as byte ranges, without their line break (and a CR before it).
    var lines: [Range<Int>] = []
    var lineStart = bodyStart
    for k in bodyStart..<bodyEnd where bytes[k] == UInt8(ascii: "\n") {
      lines.append(lineStart..<(k > lineStart && bytes[k - 1] == UInt8(ascii: "\r") ? k - 1 : k))
      lineStart = k + 1
    }
    lines.append(lineStart..<bodyEnd)
    func isBlank(_ r: Range<Int>) -> Bool {
      r.allSatisfy { bytes[$0] == UInt8(ascii: " ") || bytes[$0] == UInt8(ascii: "\t") }
    }
    if lines.count > 1, isBlank(lines[0]) { lines.removeFirst() }
    if lines.count > 1, let last = lines.last, isBlank(last) { lines.removeLast() }
    let indent =
      lines.filter { !isBlank($0) }.map { r in
        r.prefix { bytes[$0] == UInt8(ascii: " ") || bytes[$0] == UInt8(ascii: "\t") }.count
      }.min() ?? 0
    var value: [UInt8] = []
    for (i, line) in lines.enumerated() {
      position = isBlank(line) ? line.upperBound : line.lowerBound + indent
      var joined = false
      while position < line.upperBound {
        if bytes[position] == UInt8(ascii: "\\") {
          if position + 1 == line.upperBound && i + 1 < lines.count {
            joined = true
            position += 1
            break
          }
          lexEscape(into: &value, limit: line.upperBound)
          continue
        }
        value.append(bytes[position])
        position += 1
      }
      if i + 1 < lines.count && !joined { value.append(UInt8(ascii: "\n")) }
    }
    position = end
    return Token(kind: .string, text: String(decoding: value, as: UTF8.self), start: start, end: end)
  }

  private mutating func lexEscape(into value: inout [UInt8], limit: Int? = nil) {
    let escapeStart = position
    position += 1
    guard position < (limit ?? bytes.count), bytes[position] != UInt8(ascii: "\n") else {
      diagnostics.append(
        Diagnostic(
          message: "incomplete escape sequence", range: map.range(escapeStart, position),
          hint: "write '\\\\' for a backslash"))
      return
    }
    let byte = bytes[position]
    position += 1
    switch byte {
    case UInt8(ascii: "\""): value.append(byte)
    case UInt8(ascii: "\\"): value.append(byte)
    case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
    case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
    case UInt8(ascii: "u"):
      lexUnicodeEscape(escapeStart: escapeStart, into: &value)
    default:
      // Keep the whole (possibly multi-byte) character in the range.
      while position < bytes.count, bytes[position] & 0xC0 == 0x80 { position += 1 }
      let shown = String(decoding: bytes[escapeStart..<position], as: UTF8.self)
      diagnostics.append(
        Diagnostic(
          message: "unknown escape sequence '\(shown)' in string",
          range: map.range(escapeStart, position),
          hint: "the escapes are \\\" \\\\ \\n \\t and \\u{XXXX}"))
    }
  }

  private mutating func lexUnicodeEscape(escapeStart: Int, into value: inout [UInt8]) {
    guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
      diagnostics.append(
        Diagnostic(
          message: "malformed unicode escape", range: map.range(escapeStart, position),
          hint: "write \\u{1F600} with 1 to 8 hex digits in braces"))
      return
    }
    position += 1
    var digits = ""
    while position < bytes.count, bytes[position] != UInt8(ascii: "}"),
      bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\n"), digits.count < 9
    {
      digits.append(Character(Unicode.Scalar(bytes[position])))
      position += 1
    }
    while position < bytes.count, bytes[position] & 0xC0 == 0x80 { position += 1 }
    let closed = position < bytes.count && bytes[position] == UInt8(ascii: "}")
    if closed { position += 1 }
    if closed, (1...8).contains(digits.count), let code = UInt32(digits, radix: 16),
      let scalar = Unicode.Scalar(code)
    {
      value.append(contentsOf: Array(String(Character(scalar)).utf8))
    } else {
      diagnostics.append(
        Diagnostic(
          message: "malformed unicode escape", range: map.range(escapeStart, position),
          hint: "write \\u{1F600} with 1 to 8 hex digits in braces, naming a valid code point"))
    }
  }
}
