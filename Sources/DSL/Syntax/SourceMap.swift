/// Converts UTF-8 byte offsets of one text into line/column locations, caching column tables per line.
final class SourceMap {
  let bytes: [UInt8]
  private let lineStarts: [Int]
  private let lineOffset: Int
  private var columnTables: [Int: [Int32]] = [:]
  /// Per line: 0 = not yet looked at, 1 = plain ASCII (column = byte distance + 1), 2 = has a table.
  private var lineKinds: [UInt8]

  /// Builds the map; `firstLine` is the file line on which the text begins.
  init(bytes: [UInt8], firstLine: Int = 1) {
    self.bytes = bytes
    var starts = [0]
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(index + 1)
    }
    lineStarts = starts
    lineOffset = firstLine - 1
    lineKinds = [UInt8](repeating: 0, count: starts.count)
  }

  /// The 0-based line index holding `offset`.
  private func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The location of a byte offset (clamped into the text).
  func location(_ rawOffset: Int) -> SourceLocation {
    let offset = min(max(rawOffset, 0), bytes.count)
    let index = lineIndex(of: offset)
    let start = lineStarts[index]
    if lineKinds[index] == 0 {
      let end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
      // "\r" may join a following combining mark into one Character, so only pure ASCII without CR.
      let plain = bytes[start..<end].allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
      lineKinds[index] = plain ? 1 : 2
    }
    if lineKinds[index] == 1 {
      return SourceLocation(line: index + 1 + lineOffset, column: offset - start + 1, offset: offset)
    }
    let table = columnTable(index)
    let column = Int(table[min(offset - start, table.count - 1)])
    return SourceLocation(line: index + 1 + lineOffset, column: column, offset: offset)
  }

  /// The range between two byte offsets.
  func range(_ start: Int, _ end: Int) -> SourceRange {
    SourceRange(start: location(start), end: location(max(start, end)))
  }

  /// For each byte of the line (and one past its end), the 1-based column of its Character.
  private func columnTable(_ index: Int) -> [Int32] {
    if let table = columnTables[index] { return table }
    let start = lineStarts[index]
    let end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
    let line = String(decoding: bytes[start..<end], as: UTF8.self)
    var table = [Int32](repeating: 1, count: end - start + 1)
    var position = 0
    var column: Int32 = 1
    for character in line {
      let width = character.utf8.count
      for k in position..<min(position + width, table.count) { table[k] = column }
      position += width
      column += 1
    }
    if position < table.count {
      for k in position..<table.count { table[k] = column }
    }
    columnTables[index] = table
    return table
  }
}
