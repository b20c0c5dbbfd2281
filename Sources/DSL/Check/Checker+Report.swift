/// `report`, `export` and the report's own words: `title`, `author`, `course`, `text`.
extension Checker {
  /// The format given, or inferred from the file's extension.
  private mutating func fileAndFormat<E: RawRepresentable & CaseIterable>(
    _ args: Arguments, _: E.Type, extensions: [String: E]
  ) -> (ok: Bool, file: String?, format: E?) where E.RawValue == String {
    var ok = true
    var file: String?
    var fileRange: SourceRange?
    var format: E?
    if let v = args.value("file") {
      if let item = single(v, "'file'") {
        file = item.stringValue
        fileRange = item.range
        if item.stringValue.isEmpty {
          error("'file' must not be empty", item.range)
          ok = false
        }
      } else {
        ok = false
      }
    }
    if let v = args.value("format") {
      if let item = single(v, "'format'"), let f = choice(item, "format", E.self) { format = f } else { ok = false }
    }
    if ok, format == nil, let file, let fileRange {
      let ext = file.split(separator: ".", omittingEmptySubsequences: false).last.map { String($0).lowercased() } ?? ""
      if file.contains("."), let f = extensions[ext] {
        format = f
      } else {
        let formats = E.allCases.map(\.rawValue).joined(separator: "|")
        let suffixes = extensions.keys.sorted().map { "." + $0 }.joined(separator: ", ")
        error(
          "cannot infer the format of '\(file)' from its extension", fileRange,
          hint: "add format=\(formats) or use the extension \(suffixes)")
        ok = false
      }
    }
    return (ok, file, format)
  }

  mutating func checkReport(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if tooMany(s, args, max: 0, what: "no positional arguments (use file=\"...\")") { return nil }
    let r = fileAndFormat(
      args, ReportFormat.self,
      extensions: ["html": .html, "htm": .html, "md": .markdown, "markdown": .markdown, "pdf": .pdf])
    var paper: PaperSize?
    var paperOK = true
    if let v = args.value("paper") {
      if let item = single(v, "'paper'"), let p = choice(item, "paper", PaperSize.self) {
        paper = p
        if r.format == .markdown {
          warning(
            "'paper' has no effect on a Markdown report", item.range,
            hint: "it sets the page size of a PDF, and of an HTML report when printed")
        }
      } else {
        paperOK = false
      }
    }
    var plotRefs: [PlotRef]?
    var plotsOK = true
    if let v = args.value("plots") {
      plotRefs = plotList(v)
      plotsOK = plotRefs != nil
    }
    let force = forceFlag(args)
    guard r.ok, paperOK, plotsOK, let force else { return nil }
    return .report(file: r.file, format: r.format, paper: paper, plots: plotRefs, force: force)
  }

  /// `force=on|off` of a statement that writes files (off when absent); nil after an error.
  private mutating func forceFlag(_ args: Arguments) -> Bool? {
    guard let v = args.value("force") else { return false }
    guard let item = single(v, "'force'") else { return nil }
    return boolean(item, "force")
  }

  mutating func checkExport(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    // Run names never hold '.' or come quoted: such a value is a file name written without file=.
    if let file = args.positional.flatMap(\.items).first(where: { item in
      if case .string = item.kind { return true }
      return item.stringValue.contains(".") && !runSet.contains(item.stringValue)
    }) {
      error(
        "'\(file.stringValue)' is not a run name: export takes run names, and the file as file=\"...\"",
        file.range, hint: "write: export file=\"\(file.stringValue)\"")
      return nil
    }
    let list = runList(args.positional)
    let r = fileAndFormat(args, ExportFormat.self, extensions: ["csv": .csv, "json": .json])
    let force = forceFlag(args)
    guard let list, r.ok, let force else { return nil }
    return .export(runs: list, file: r.file, format: r.format, force: force)
  }

  /// Whether a student's text is usable: not too long, one line when asked, no control characters.
  private mutating func reportText(_ item: ScalarSyntax, what: String, maxLength: Int, oneLine: Bool) -> String? {
    let text = item.stringValue
    let length = text.count
    guard length <= maxLength else {
      error(
        "\(what) is \(length) characters long; the most is \(maxLength)", item.range,
        hint: oneLine ? nil : "split it over several sections, or shorten it")
      return nil
    }
    for scalar in text.unicodeScalars {
      if oneLine && (scalar == "\n" || scalar == "\t") {
        error(
          "\(what) is one line; it contains a \(scalar == "\n" ? "line break" : "tab")", item.range,
          hint: "write it in one line, in \"…\"")
        return nil
      }
      if scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" {
        let code = String(scalar.value, radix: 16, uppercase: true)
        error(
          "\(what) contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)",
          item.range,
          hint: "remove it; only line breaks and tabs are kept")
        return nil
      }
    }
    return text
  }

  mutating func checkTitleLine(_ s: StatementSyntax, _ args: Arguments, _ line: TitleLine) -> Command? {
    let keyword = s.keyword.text
    guard let value = args.positional.first else {
      error("'\(keyword)' needs its text in quotes", s.keyword.range, hint: "e.g. \(keyword) \"…\"")
      return nil
    }
    if args.positional.count > 1 {
      let wholeLine = args.positional.map { $0.items.map(\.stringValue).joined(separator: ",") }.joined(separator: " ")
      error(
        "'\(keyword)' takes one quoted text", args.positional[1].range,
        hint: "quote the whole line: \(keyword) \"\(wholeLine)\"")
      return nil
    }
    guard let item = single(value, "'\(keyword)'", listHint: "quote text that has commas") else { return nil }
    return reportText(item, what: "the \(keyword)", maxLength: TitleLine.maxLength, oneLine: true)
      .map { .titleLine(line, $0) }
  }

  mutating func checkText(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let sections = ReportPart.allCases.map(\.rawValue)
    guard let last = args.positional.last else {
      error(
        "'text' needs the text in quotes", s.keyword.range,
        hint: "e.g. text p2 \"\"\"…\"\"\" (sections: \(sections.joined(separator: ", ")))")
      return nil
    }
    if tooMany(s, args, max: 2, what: "an optional section and the text in quotes") { return nil }
    var part = ReportPart.intro
    if args.positional.count == 2 {
      guard let item = single(args.positional[0], "the section of 'text'") else { return nil }
      guard let p = ReportPart(rawValue: item.stringValue.lowercased()) else {
        error(
          "unknown report section '\(item.stringValue)'", item.range,
          hint: EditDistance.hint(for: item.stringValue.lowercased(), among: sections)
            ?? "sections: \(sections.joined(separator: ", "))")
        return nil
      }
      part = p
    }
    guard let item = single(last, "the text of 'text'", listHint: "quote text that has commas") else { return nil }
    guard case .string = item.kind else {
      if args.positional.count == 1, ReportPart(rawValue: item.stringValue.lowercased()) != nil {
        error(
          "'text \(item.stringValue)' needs the text after the section", item.range,
          hint: "e.g. text \(item.stringValue) \"\"\"…\"\"\"")
      } else {
        error(
          "the text of 'text' must be quoted, found '\(item.text)'", item.range,
          hint: "write \"…\" for one line, \"\"\"…\"\"\" for several")
      }
      return nil
    }
    return reportText(item, what: "the text", maxLength: ReportPart.maxTextLength, oneLine: false)
      .map { .text(part, $0) }
  }
}
