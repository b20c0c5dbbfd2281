/// One lexical token: its kind, its text and its UTF-8 byte span in the checked text.
struct Token: Equatable {
  /// What a token is.
  enum Kind: Equatable {
    /// A bare word: identifiers, numbers, model specs, references, paths (`batch`, `1e-3`, `a.b`).
    case word
    /// A double-quoted string; `text` holds the decoded value.
    case string
    /// `=` between a parameter name and its value.
    case equals
    /// `,` between list elements.
    case comma
    /// A newline or `;` that ends a statement.
    case separator
    /// The end of the text.
    case end
  }

  var kind: Kind
  /// The word's source text, or the decoded value of a string.
  var text: String
  /// The UTF-8 offset of the first byte.
  var start: Int
  /// The UTF-8 offset after the last byte.
  var end: Int
}
