/// One cell of a script file.
public struct ScriptCell: Sendable, Equatable {
  /// The title after `# %%`, if any.
  public var title: String?
  /// The cell's text, without the separator line.
  public var text: String
  /// The 1-based file line on which `text` begins.
  public var firstLine: Int

  /// Creates a cell.
  public init(title: String?, text: String, firstLine: Int) {
    self.title = title
    self.text = text
    self.firstLine = firstLine
  }
}

/// Splits a script file into cells at lines `# %%` (optionally `# %% TITLE`).
public enum ScriptSplitter {
  /// The cells of a script. Text before the first separator is a cell only if it holds more
  /// than blanks; every separator starts a cell (possibly empty).
  public static func cells(_ source: String) -> [ScriptCell] {
    let lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .map { Substring(String(decoding: $0, as: UTF8.self)) }
    var cells: [ScriptCell] = []
    var current: [Substring] = []
    var title: String?
    var firstLine = 1
    var sawSeparator = false
    func flush() {
      let text = current.joined(separator: "\n")
      if sawSeparator || text.contains(where: { !$0.isWhitespace }) {
        cells.append(ScriptCell(title: title, text: text, firstLine: firstLine))
      }
    }
    for (index, line) in lines.enumerated() {
      if let cellTitle = separatorTitle(line) {
        flush()
        sawSeparator = true
        title = cellTitle.isEmpty ? nil : cellTitle
        current = []
        firstLine = index + 2
      } else {
        current.append(line)
      }
    }
    flush()
    return cells
  }

  /// The title of a separator line (empty when untitled), or nil when the line is not one.
  static func separatorTitle(_ rawLine: Substring) -> String? {
    var line = rawLine
    if line.utf8.last == UInt8(ascii: "\r") { line = Substring(String(decoding: line.utf8.dropLast(), as: UTF8.self)) }
    guard line.hasPrefix("# %%") else { return nil }
    let rest = line.dropFirst(4)
    if rest.isEmpty { return "" }
    guard rest.first == " " || rest.first == "\t" else { return nil }
    let trimmed = rest.drop(while: { $0 == " " || $0 == "\t" })
    return String(trimmed.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}
