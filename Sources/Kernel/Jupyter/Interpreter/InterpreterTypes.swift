/// `language_info` of kernel_info_reply.
struct LanguageInfo: Sendable, Equatable {
  var name: String
  var version: String
  var mimetype: String
  /// With the leading dot, e.g. `.nndsl`.
  var fileExtension: String
  var pygmentsLexer: String
  var codemirrorMode: String

  var json: JSON {
    [
      "name": .string(name), "version": .string(version), "mimetype": .string(mimetype),
      "file_extension": .string(fileExtension), "pygments_lexer": .string(pygmentsLexer),
      "codemirror_mode": .string(codemirrorMode),
    ]
  }
}

/// A Help-menu entry.
struct HelpLink: Sendable, Equatable {
  var text: String
  var url: String
}

/// Completion candidates and the code-point range they replace.
struct Completion: Sendable, Equatable {
  var matches: [String]
  var start: Int
  var end: Int
}

/// is_complete_reply's status and indent.
struct Completeness: Sendable, Equatable {
  enum Status: String, Sendable { case complete, incomplete, invalid, unknown }
  var status: Status
  var indent: String = ""
}
