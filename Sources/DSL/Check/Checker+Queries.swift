/// `help`, `print` and `get`: topics, and references to run fields and settings.
extension Checker {
  mutating func checkHelp(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if tooMany(s, args, max: 1, what: "at most one topic") { return nil }
    guard let value = args.positional.first else { return .help(topic: nil) }
    guard let item = single(value, "'help'") else { return nil }
    let topic = item.stringValue
    guard HelpCatalog.text(for: topic) != nil else {
      error(
        "no help topic '\(topic)'", item.range,
        hint: EditDistance.hint(for: topic, among: HelpCatalog.topics) ?? "write 'help' for the list of topics")
      return nil
    }
    return .help(topic: topic)
  }

  /// A reference `RUN.FIELD` or a setting name.
  private mutating func reference(_ item: ScalarSyntax) -> Reference? {
    let text = item.stringValue
    guard case .word = item.kind else {
      error("expected a reference (RUN.FIELD or a setting), found '\(item.text)'", item.range)
      return nil
    }
    if let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) {
      let runPart = String(text[..<dot])
      let fieldPart = String(text[text.index(after: dot)...])
      let runLength = runPart.utf8.count
      var run: String?
      if runSet.contains(runPart) {
        run = runPart
      } else {
        let hint = EditDistance.hint(for: runPart, among: runs) ?? (runs.isEmpty ? "no runs exist yet" : nil)
        error("unknown run '\(runPart)'", subrange(item.range, from: 0, to: runLength), hint: hint)
      }
      guard let field = RunField(rawValue: fieldPart) else {
        let fields = RunField.allCases.map(\.rawValue)
        error(
          "unknown run field '\(fieldPart)'", subrange(item.range, from: runLength + 1, to: text.utf8.count),
          hint: EditDistance.hint(for: fieldPart, among: fields) ?? "see 'help fields'")
        return nil
      }
      guard let run else { return nil }
      return .runField(run: run, field: field)
    }
    if let p = TrainParam(rawValue: text) { return .setting(p) }
    let candidates = TrainParam.allCases.map(\.rawValue)
    let hint =
      EditDistance.hint(for: text, among: candidates)
      ?? (runSet.contains(text)
        ? "a run's value needs a field, e.g. \(text).test_acc" : "to print text, quote it: \"\(text)\"")
    error("unknown reference '\(text)'", item.range, hint: hint)
    return nil
  }

  mutating func checkPrint(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    var items: [PrintItem] = []
    var ok = true
    for value in args.positional {
      guard
        let item = single(value, "each 'print' item", listHint: "separate items with spaces; quote text with commas")
      else {
        ok = false
        continue
      }
      switch item.kind {
      case .string(let text): items.append(.text(text))
      case .number(let n): items.append(.number(n.doubleValue, literal: n.text))
      case .word:
        if let r = reference(item) { items.append(.reference(r)) } else { ok = false }
      }
    }
    var stream = OutputStreamName.stdout
    if let v = args.value("to") {
      if let item = single(v, "'to'"), let value = choice(item, "to", OutputStreamName.self) {
        stream = value
      } else {
        ok = false
      }
    }
    return ok ? .print(items: items, stream: stream) : nil
  }

  mutating func checkGet(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard let value = args.positional.first else {
      error("'get' needs a reference", s.keyword.range, hint: "e.g. get baseline.test_acc or get epochs")
      return nil
    }
    if tooMany(s, args, max: 1, what: "one reference") { return nil }
    guard let item = single(value, "'get'"), let r = reference(item) else { return nil }
    return .get(r)
  }
}
