/// Facts every report format reads from a document: its title, author and section headings.
enum ReportDocument {
  /// The title block's title, else the first level-1 heading, else a default.
  static func title(_ sections: [ReportSection]) -> String {
    for s in sections {
      switch s {
      case .titleBlock(let t): return t.title
      case .heading(1, let text): return text
      case .heading, .paragraph, .text, .list, .findings, .code, .table, .chart: continue
      }
    }
    return "Training study report"
  }

  /// The title block's author, if any.
  static func author(_ sections: [ReportSection]) -> String? {
    for case .titleBlock(let t) in sections { return t.author.flatMap { $0.isEmpty ? nil : $0 } }
    return nil
  }

  /// The section headings (level 2), in order.
  static func headings(_ sections: [ReportSection]) -> [String] {
    sections.compactMap { if case .heading(2, let text) = $0 { return text } else { return nil } }
  }
}
