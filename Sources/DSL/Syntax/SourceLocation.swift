/// A position in a cell or script: 1-based line, 1-based column in Characters, UTF-8 byte offset.
struct SourceLocation: Hashable, Sendable {
  /// The 1-based line (already shifted by the cell's first line in the file).
  var line: Int
  /// The 1-based column, counted in Characters (grapheme clusters) from the start of the line.
  var column: Int
  /// The UTF-8 byte offset in the checked text.
  var offset: Int
}

/// A half-open range `start..<end` of source text.
struct SourceRange: Hashable, Sendable {
  /// The first position inside the range.
  var start: SourceLocation
  /// The first position after the range.
  var end: SourceLocation
}
