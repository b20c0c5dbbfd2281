/// Renders diagnostics as compiler-style text with the source line and a caret under the range.
public enum DiagnosticRenderer {
  /// Renders `d` as `FILE:LINE:COL: error: MESSAGE`, the source line, a caret line and the hint.
  ///
  /// `source` is the text the diagnostic's line numbers refer to (the whole file when the cell was
  /// checked with its `firstLine`). If that line does not exist, only the header and hint are shown.
  /// A source line longer than this many characters is quoted as a window around the caret.
  static let maxQuotedLine = 160
  /// The most diagnostics shown for one cell; the rest are counted in a last line.
  public static let maxPerCell = 20

  static func render(_ d: Diagnostic, file: String, source: String) -> String {
    var out = "\(file):\(d.range.start.line):\(d.range.start.column): \(d.severity.rawValue): \(clippedText(d.message))"
    if let line = sourceLine(d.range.start.line, in: source) {
      let (quoted, range) = clipped(line, d.range)
      out += "\n" + quoted + "\n" + caretLine(range, line: quoted)
    }
    if let hint = d.hint {
      out += "\n  hint: " + clippedText(hint)
    }
    return out
  }

  /// Renders at most `limit` diagnostics of one cell, each as one string, then one line saying
  /// how many more there are, so a cell's diagnostics stay small however many errors it has.
  public static func renderBounded(
    _ ds: [Diagnostic], file: String, source: String, limit: Int = maxPerCell
  ) -> [String] {
    var out = ds.prefix(limit).map { render($0, file: file, source: source) }
    if ds.count > limit {
      let rest = ds.dropFirst(limit)
      let errors = rest.filter { $0.severity == .error }.count
      let others = rest.count - errors
      var parts: [String] = []
      if errors > 0 { parts.append("\(errors) more error\(errors == 1 ? "" : "s")") }
      if others > 0 { parts.append("\(others) more warning\(others == 1 ? "" : "s") or note\(others == 1 ? "" : "s")") }
      out.append("\(file): and \(parts.joined(separator: " and ")) not shown; fix the ones above first")
    }
    return out
  }

  /// A message or hint cut in the middle when longer than `maxQuotedLine` × 3 characters (they may
  /// quote a long token of the source).
  static func clippedText(_ text: String) -> String {
    let limit = maxQuotedLine * 3
    guard text.count > limit else { return text }
    return String(text.prefix(limit * 2 / 3)) + " … " + String(text.suffix(limit / 3))
  }

  /// The line itself when short; otherwise a window of it around the range's start, marked with
  /// `…` where it was cut, and the range moved onto the window.
  static func clipped(_ line: String, _ range: SourceRange) -> (String, SourceRange) {
    let characters = Array(line)
    guard characters.count > maxQuotedLine else { return (line, range) }
    let start = max(0, min(range.start.column - 1, characters.count))
    let lo = max(0, min(start - maxQuotedLine / 3, characters.count - maxQuotedLine))
    let hi = min(characters.count, lo + maxQuotedLine)
    let lead = lo > 0 ? "…" : ""
    let quoted = lead + String(characters[lo..<hi]) + (hi < characters.count ? "…" : "")
    let shift = lo - lead.count
    var moved = range
    moved.start.column = range.start.column - shift
    if range.end.line == range.start.line {
      moved.end.column = max(moved.start.column, min(range.end.column - 1, hi) + 1 - shift)
    } else {
      moved.end = SourceLocation(line: range.start.line, column: hi + 1 - shift, offset: range.end.offset)
    }
    return (quoted, moved)
  }

  /// Renders several diagnostics, separated by newlines.
  static func render(_ ds: [Diagnostic], file: String, source: String) -> String {
    ds.map { render($0, file: file, source: source) }.joined(separator: "\n")
  }

  /// The 1-based line `number` of `source`, without its line terminator.
  static func sourceLine(_ number: Int, in source: String) -> String? {
    guard number >= 1 else { return nil }
    var current = 1
    for line in source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      if current == number {
        var bytes = Array(line)
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
      }
      current += 1
    }
    return nil
  }

  /// Spaces up to the start column, then `^` and `~` under the rest of the range.
  static func caretLine(_ range: SourceRange, line: String) -> String {
    let characters = Array(line)
    let startIndex = max(0, range.start.column - 1)
    let endIndex: Int
    if range.end.line == range.start.line {
      endIndex = max(startIndex, range.end.column - 1)
    } else {
      endIndex = max(startIndex, characters.count)
    }
    var prefix = ""
    for index in 0..<min(startIndex, characters.count) {
      let character = characters[index]
      if character == "\t" {
        prefix += "\t"
      } else {
        prefix += String(repeating: " ", count: displayWidth(character))
      }
    }
    if startIndex > characters.count {
      prefix += String(repeating: " ", count: startIndex - characters.count)
    }
    var width = 0
    for index in startIndex..<endIndex {
      width += index < characters.count ? max(1, displayWidth(characters[index])) : 1
    }
    return prefix + "^" + String(repeating: "~", count: max(0, width - 1))
  }

  /// The number of terminal cells a Character takes: 2 for wide East Asian and emoji, else 1.
  static func displayWidth(_ character: Character) -> Int {
    guard let scalar = character.unicodeScalars.first else { return 1 }
    let value = scalar.value
    if character.unicodeScalars.count > 1,
      character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F })
    {
      return 2
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    switch value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }
}
