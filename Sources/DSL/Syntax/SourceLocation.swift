/// A position in a cell or script: 1-based line, 1-based column in Characters, UTF-8 byte offset.
public struct SourceLocation: Hashable, Sendable {
  /// The 1-based line (already shifted by the cell's first line in the file).
  public var line: Int
  /// The 1-based column, counted in Characters (grapheme clusters) from the start of the line.
  public var column: Int
  /// The UTF-8 byte offset in the checked text.
  public var offset: Int

  /// Creates a location from its three coordinates.
  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }
}

/// A half-open range `start..<end` of source text.
public struct SourceRange: Hashable, Sendable {
  /// The first position inside the range.
  public var start: SourceLocation
  /// The first position after the range.
  public var end: SourceLocation

  /// Creates a range from its bounds.
  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }
}
