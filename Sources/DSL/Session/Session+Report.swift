import Foundation
import NN

extension Session {
  /// `report`: the experiment write-up as self-contained HTML (inline SVG) or Markdown (SVG files beside it).
  func report(file: String?, format: ReportFormat?, plots chosen: [PlotRef]? = nil, force: Bool, _ ctx: RunContext) throws {
    guard !runs.isEmpty else {
      throw SessionError.runtime("there are no runs to report", hint: "train some runs first")
    }
    let figures = try chosen.map(chosenPlots)
    let name = file ?? (format == .markdown ? "report.md" : "report.html")
    let lower = name.lowercased()
    let markdown = format == .markdown || (format == nil && (lower.hasSuffix(".md") || lower.hasSuffix(".markdown")))
    let path = try outputPath(name)
    let sections = reportSections(plots: figures)
    if markdown {
      let base = (path as NSString).deletingPathExtension
      let dir = (path as NSString).deletingLastPathComponent
      let stem = (base as NSString).lastPathComponent
      var md = ""
      var figure = 0
      // Figures are written beside the Markdown file, and only after every target was checked.
      var figures: [(path: String, svg: String)] = []
      for section in sections {
        switch section {
        case .titleBlock(let t):
          md += "# " + t.title + "\n\n"
          let lines = [t.author, t.course, t.date].compactMap { $0 }
          md += lines.joined(separator: "  \n") + "\n\n"
        case .heading(let level, let text): md += String(repeating: "#", count: level) + " " + text + "\n\n"
        case .paragraph(let text), .text(let text): md += text + "\n\n"
        case .list(let items): md += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        case .findings(let items):
          md += "*Measured in this session:*\n\n" + items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
        case .code(let text): md += "```\n" + text + "\n```\n\n"
        case .table(let t): md += markdownTable(t) + "\n"
        case .chart(let c):
          figure += 1
          let svgName = "\(stem)-figure\(figure).svg"
          figures.append(((dir as NSString).appendingPathComponent(svgName), Renderer.svg(c)))
          md += "![\(c.title)](\(svgName))\n\n"
        }
      }
      try checkWritable([path] + figures.map(\.path), force: force)
      for f in figures { try write(f.svg, to: f.path, force: force) }
      try write(md, to: path, force: force)
      ctx.emit(.text("wrote the report to \(path) (\(figure) figures beside it)\n"))
    } else {
      var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Training study report</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45;color:#1b1b1b;background:#fff}
        h1,h2,h3{line-height:1.2} code{background:#f3f3f3;padding:0 .2em;border-radius:3px}
        figure{margin:1.5em 0} svg{max-width:100%;height:auto}
        @media (prefers-color-scheme: dark){body{color:#e6e6e6;background:#161616} code{background:#2a2a2a}}
        </style></head><body>

        """
      for section in sections {
        switch section {
        case .titleBlock(let t):
          html += "<h1>\(TextEscaping.xml(t.title))</h1>\n"
          for line in [t.author, t.course, t.date].compactMap({ $0 }) {
            html += "<p class=\"byline\">\(TextEscaping.xml(line))</p>\n"
          }
        case .heading(let level, let text): html += "<h\(level)>\(TextEscaping.xml(text))</h\(level)>\n"
        case .paragraph(let text): html += "<p>\(TextEscaping.xml(text))</p>\n"
        case .text(let text):
          for para in text.components(separatedBy: "\n\n") where !para.isEmpty {
            html += "<p class=\"own-words\">\(TextEscaping.xml(para))</p>\n"
          }
        case .list(let items): html += "<ul>\n" + items.map { "<li>\(TextEscaping.xml($0))</li>\n" }.joined() + "</ul>\n"
        case .findings(let items):
          html += "<p><em>Measured in this session:</em></p>\n<ul class=\"findings\">\n"
            + items.map { "<li>\(TextEscaping.xml($0))</li>\n" }.joined() + "</ul>\n"
        case .code(let text): html += "<pre><code>\(TextEscaping.xml(text))</code></pre>\n"
        case .table(let t): html += Renderer.html(t) + "\n"
        case .chart(let c): html += "<figure>\n" + Renderer.svg(c) + "\n</figure>\n"
        }
      }
      html += "</body></html>\n"
      try checkWritable([path], force: force)
      try write(html, to: path, force: force)
      ctx.emit(.text("wrote the report to \(path)\n"))
    }
  }

  /// A table as GitHub-flavoured Markdown: the title in bold, a pipe table, footnotes in italics.
  func markdownTable(_ t: Table) -> String {
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
