import Foundation

/// A report document as GitHub-flavoured Markdown, each chart an SVG file beside it.
enum ReportMarkdown {
  /// The Markdown text and the figure files it refers to (name, SVG), named `<stem>-figureN.svg`.
  static func render(_ sections: [ReportSection], stem: String) -> (
    text: String, figures: [(name: String, svg: String)]
  ) {
    var md = ""
    var figures: [(name: String, svg: String)] = []
    for section in sections {
      switch section {
      case .titleBlock(let t):
        md += "# " + t.title + "\n\n"
        let lines = [t.author, t.course, t.date].compactMap { $0 }.filter { !$0.isEmpty }
        md += lines.joined(separator: "  \n") + "\n\n"
      case .heading(let level, let text): md += String(repeating: "#", count: max(1, level)) + " " + text + "\n\n"
      case .paragraph(let text), .text(let text): md += text + "\n\n"
      case .list(let items): md += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
      case .findings(let items):
        md += "*Measured in this session:*\n\n" + items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
      case .code(let text): md += "```\n" + text + "\n```\n\n"
      case .table(let t): md += table(t) + "\n"
      case .chart(let c):
        let name = "\(stem)-figure\(figures.count + 1).svg"
        figures.append((name, Renderer.svg(c)))
        md += "![\(c.title)](\(name))\n\n"
      }
    }
    return (md, figures)
  }

  /// A table as GitHub-flavoured Markdown: the title in bold, a pipe table, footnotes in italics.
  static func table(_ t: Table) -> String {
    func cell(_ s: String) -> String {
      s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
    var md = t.title.map { "**\(cell($0))**\n\n" } ?? ""
    md += "| " + t.columns.map { cell($0.header) }.joined(separator: " | ") + " |\n"
    md += "|" + t.columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined() + "\n"
    for row in t.rows {
      let texts = (0..<t.columns.count).map { i in i < row.count ? row[i].displayText : "" }
      md += "| " + texts.map(cell).joined(separator: " | ") + " |\n"
    }
    for note in t.footnotes { md += "\n*\(cell(note))*\n" }
    return md
  }
}
