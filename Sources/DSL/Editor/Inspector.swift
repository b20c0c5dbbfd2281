/// Help for the word under the cursor (Jupyter's inspect_request).
public enum Inspector {
  /// The help text of the statement, parameter, metric or run field under `cursor` (in scalars).
  public static func inspect(_ text: String, cursor: Int) -> String? {
    let context = EditorContext(text, cursor: cursor)
    guard !context.inCommentOrString else { return nil }
    let start = context.wordStart
    let end = context.wordEnd
    let word = context.string(start, end)
    let before = context.words(before: start)
    let keyword = before.first
    if let param = context.parameterOfValue(at: start) {
      return parameterHelp(param, statement: keyword)
    }
    guard !word.isEmpty else { return nil }
    if before.isEmpty {
      return HelpCatalog.statement(named: word).map(HelpCatalog.statementText)
    }
    if end < context.scalars.count, context.scalars[end] == "=" {
      return parameterHelp(word, statement: keyword)
    }
    if let dot = word.firstIndex(of: ".") {
      return HelpCatalog.text(for: String(word[word.index(after: dot)...]))
    }
    return HelpCatalog.text(for: word)
  }

  private static func parameterHelp(_ name: String, statement: String?) -> String? {
    if let statement, let help = HelpCatalog.statement(named: statement),
      let param = help.namedParams.first(where: { $0.name == name }),
      TrainParam(rawValue: name) == nil || !["set", "train", "sweep"].contains(statement)
    {
      return "\(statement) " + HelpCatalog.paramLine(param)
    }
    return HelpCatalog.text(for: name)
  }
}
