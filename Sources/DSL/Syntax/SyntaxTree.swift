/// A numeric literal as written, with its integer value (if integral and in range) and its Double.
struct NumberLiteral: Equatable {
  /// The literal's source text, e.g. `1_000` or `1e-3`.
  var text: String
  /// Whether it has neither fraction nor exponent.
  var isInteger: Bool
  /// The integer value; nil when not integral or out of `Int`'s range.
  var intValue: Int?
  /// The value as a Double (infinite when too large).
  var doubleValue: Double

  /// Parses `-?D(_D)*(.D(_D)*)?([eE][+-]?D+)?` where D is a run of digits; nil otherwise.
  static func parse(_ text: String) -> NumberLiteral? {
    let chars = Array(text.utf8)
    var i = 0
    func digits() -> Bool {
      let begin = i
      while i < chars.count {
        if chars[i] >= 48 && chars[i] <= 57 {
          i += 1
        } else if chars[i] == UInt8(ascii: "_"), i > begin, i + 1 < chars.count,
          chars[i + 1] >= 48 && chars[i + 1] <= 57
        {
          i += 1
        } else {
          break
        }
      }
      return i > begin
    }
    if i < chars.count, chars[i] == UInt8(ascii: "-") { i += 1 }
    guard digits() else { return nil }
    var integral = true
    if i < chars.count, chars[i] == UInt8(ascii: ".") {
      i += 1
      integral = false
      guard digits() else { return nil }
    }
    if i < chars.count, chars[i] == UInt8(ascii: "e") || chars[i] == UInt8(ascii: "E") {
      i += 1
      integral = false
      if i < chars.count, chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") { i += 1 }
      let begin = i
      while i < chars.count, chars[i] >= 48 && chars[i] <= 57 { i += 1 }
      guard i > begin else { return nil }
    }
    guard i == chars.count else { return nil }
    let plain = String(text.filter { $0 != "_" })
    let double = Double(plain) ?? (plain.hasPrefix("-") ? -Double.infinity : Double.infinity)
    return NumberLiteral(
      text: text, isInteger: integral, intValue: integral ? Int(plain) : nil, doubleValue: double)
  }
}

/// One value item: a bare word, a number or a quoted string, with its range and source text.
struct ScalarSyntax: Equatable {
  /// What the item is.
  enum Kind: Equatable {
    /// A bare word that is not a number (`adam`, `784-128-relu-10`, `baseline.test_acc`).
    case word(String)
    /// A number literal.
    case number(NumberLiteral)
    /// A quoted string's decoded value.
    case string(String)
  }

  var kind: Kind
  /// The exact source text (with quotes for strings).
  var text: String
  var range: SourceRange

  /// The text a word or string carries (numbers give their literal).
  var stringValue: String {
    switch kind {
    case .word(let w): return w
    case .string(let s): return s
    case .number(let n): return n.text
    }
  }
}

/// A value: one item, or a comma-separated list of items.
struct ValueSyntax: Equatable {
  /// The items; more than one (or a trailing comma) makes a list.
  var items: [ScalarSyntax]
  /// Whether commas were written (a one-element list is impossible, but keep the flag explicit).
  var isList: Bool { items.count > 1 }
  var range: SourceRange
}

/// A parameter or statement name with its range.
struct NameSyntax: Equatable {
  var text: String
  var range: SourceRange
}

/// One argument of a statement.
enum ArgumentSyntax: Equatable {
  /// A positional value.
  case positional(ValueSyntax)
  /// `name=value`.
  case named(NameSyntax, ValueSyntax)

  var range: SourceRange {
    switch self {
    case .positional(let value): return value.range
    case .named(let name, let value): return SourceRange(start: name.range.start, end: value.range.end)
    }
  }
}

/// A statement: keyword, arguments in source order, and an optional `as NAME`.
struct StatementSyntax: Equatable {
  var keyword: NameSyntax
  var arguments: [ArgumentSyntax]
  /// The `as` keyword's range and the alias after it.
  var alias: (keyword: SourceRange, name: NameSyntax)?
  var range: SourceRange

  static func == (a: StatementSyntax, b: StatementSyntax) -> Bool {
    a.keyword == b.keyword && a.arguments == b.arguments && a.range == b.range
      && a.alias?.keyword == b.alias?.keyword && a.alias?.name == b.alias?.name
  }
}
