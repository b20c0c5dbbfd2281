/// The statement and word around a cursor, for completion and inspection.
struct EditorContext {
  /// The text as Unicode scalars (Jupyter counts cursor positions in code points).
  let scalars: [Unicode.Scalar]
  /// The cursor, clamped into the text.
  let cursor: Int
  /// Where the statement holding the cursor begins.
  let statementStart: Int
  /// Whether the cursor is inside a comment or a string.
  let inCommentOrString: Bool

  init(_ text: String, cursor rawCursor: Int) {
    scalars = Array(text.unicodeScalars)
    cursor = min(max(rawCursor, 0), scalars.count)
    var start = 0
    var inString = false
    var inMultiLine = false
    var inComment = false
    var index = 0
    let all = scalars
    func tripleQuote(at k: Int) -> Bool {
      k + 2 < all.count && all[k] == "\"" && all[k + 1] == "\"" && all[k + 2] == "\""
    }
    while index < cursor {
      let c = scalars[index]
      if inMultiLine {
        // A multi-line string ends only at the next three quotes; line breaks stay inside it.
        if c == "\\" {
          index += 1
        } else if tripleQuote(at: index) {
          inMultiLine = false
          index += 2
        }
      } else if !inString && !inComment && tripleQuote(at: index) {
        inMultiLine = true
        index += 2
      } else if inComment {
        if c == "\n" {
          inComment = false
          start = index + 1
        }
      } else if inString {
        if c == "\\" {
          index += 1
        } else if c == "\"" || c == "\n" {
          inString = false
          if c == "\n" { start = index + 1 }
        }
      } else if c == "\"" {
        inString = true
      } else if c == "#" {
        inComment = true
      } else if c == "\n" || c == ";" {
        start = index + 1
      }
      index += 1
    }
    statementStart = min(start, cursor)
    inCommentOrString = inString || inComment || inMultiLine
  }

  static func isWordScalar(_ c: Unicode.Scalar) -> Bool {
    !(c == " " || c == "\t" || c == "\r" || c == "\n" || c == ";" || c == "#" || c == "=" || c == ","
      || c == "\"")
  }

  /// The start of the word that ends at the cursor.
  var wordStart: Int {
    var k = cursor
    while k > statementStart, EditorContext.isWordScalar(scalars[k - 1]) { k -= 1 }
    return k
  }

  /// The end of the word that contains the cursor.
  var wordEnd: Int {
    var k = cursor
    while k < scalars.count, EditorContext.isWordScalar(scalars[k]) { k += 1 }
    return k
  }

  func string(_ from: Int, _ to: Int) -> String {
    var s = String.UnicodeScalarView()
    s.append(contentsOf: scalars[from..<max(from, to)])
    return String(s)
  }

  /// The whitespace-separated words of the statement before `end`.
  func words(before end: Int) -> [String] {
    string(statementStart, end).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
  }

  /// The list elements written before `start` in the value that holds it (`a,b,|` gives a, b).
  func listItems(before start: Int) -> [String] {
    var k = start
    while k > statementStart, scalars[k - 1] != "=" {
      guard scalars[k - 1] == "," || EditorContext.isWordScalar(scalars[k - 1]) else { return [] }
      k -= 1
    }
    return string(k, start).split(separator: ",").map(String.init)
  }

  /// When the word at `start` is a value (after `=` or after `name=a,`), the parameter's name.
  func parameterOfValue(at start: Int) -> String? {
    var k = start
    while k > statementStart {
      let c = scalars[k - 1]
      if c == "=" {
        var nameStart = k - 1
        while nameStart > statementStart, EditorContext.isWordScalar(scalars[nameStart - 1]) { nameStart -= 1 }
        return string(nameStart, k - 1)
      }
      if c == "," || EditorContext.isWordScalar(c) {
        k -= 1
        continue
      }
      return nil
    }
    return nil
  }
}
