import Foundation

/// A report document as one self-contained HTML page (charts as inline SVG), with a print
/// stylesheet: the chosen paper size, headings kept with what follows, tables and figures not
/// cut, table headers repeated on each printed page, numbers never wrapped.
enum ReportHTML {
  static func render(_ sections: [ReportSection], paper: PaperSize) -> String {
    let esc = TextEscaping.xml
    let title = ReportDocument.title(sections)
    var html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
      <style>
      body{font-family:system-ui,-apple-system,Segoe UI,Roboto,"Noto Sans CJK KR",sans-serif;max-width:1100px;\
      margin:2em auto;padding:0 1em;line-height:1.45;color:#1b1b1b;background:#fff}
      h1,h2,h3{line-height:1.2} code{background:#f3f3f3;padding:0 .2em;border-radius:3px}
      pre{background:#f3f3f3;padding:.6em .8em;border-radius:4px;overflow-x:auto}
      .byline{margin:.2em 0;color:#444} .own-words{max-width:46em}
      figure{margin:1.5em 0} svg{max-width:100%;height:auto}
      @media (prefers-color-scheme: dark){body{color:#e6e6e6;background:#161616} code,pre{background:#2a2a2a} \
      .byline{color:#bbb}}
      @page{size:\(paper == .a4 ? "A4" : "letter");margin:18mm 16mm 20mm}
      @media print{
      body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000;background:#fff}
      .keep{break-inside:avoid;page-break-inside:avoid}
      h1,h2,h3{break-after:avoid;page-break-after:avoid}
      figure,pre,tr,li{break-inside:avoid;page-break-inside:avoid}
      thead{display:table-header-group} table{font-size:8.5pt}
      td,th{padding:.1em .4em!important}
      svg{max-height:120mm}
      p{orphans:2;widows:2}
      }
      </style></head><body>

      """
    // Each heading opens a group that holds it and the first block after it, kept on one page.
    var open = false
    for section in sections {
      let isHeading: Bool
      switch section {
      case .heading: isHeading = true
      case .titleBlock, .paragraph, .text, .list, .findings, .code, .table, .chart: isHeading = false
      }
      if isHeading {
        if open { html += "</div>\n" }
        html += "<div class=\"keep\">\n"
        open = true
      }
      html += block(section)
      if !isHeading, open {
        html += "</div>\n"
        open = false
      }
    }
    if open { html += "</div>\n" }
    html += "</body></html>\n"
    return html
  }

  private static func block(_ section: ReportSection) -> String {
    let esc = TextEscaping.xml
    switch section {
    case .titleBlock(let t):
      var html = "<header>\n<h1>\(esc(t.title))</h1>\n"
      for line in [t.author, t.course, t.date].compactMap({ $0 }) where !line.isEmpty {
        html += "<p class=\"byline\">\(esc(line))</p>\n"
      }
      return html + "</header>\n"
    case .heading(let level, let text):
      let l = min(6, max(1, level))
      return "<h\(l)>\(esc(text))</h\(l)>\n"
    case .paragraph(let text): return "<p>\(esc(text))</p>\n"
    case .text(let text):
      return text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map {
        "<p class=\"own-words\">" + esc($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>\n"
      }.joined()
    case .list(let items):
      return "<ul>\n" + items.map { "<li>\(esc($0))</li>\n" }.joined() + "</ul>\n"
    case .findings(let items):
      return "<p><em>Measured in this session:</em></p>\n<ul class=\"findings\">\n"
        + items.map { "<li>\(esc($0))</li>\n" }.joined() + "</ul>\n"
    case .code(let text): return "<pre><code>\(esc(text))</code></pre>\n"
    case .table(let t): return Renderer.html(t) + "\n"
    case .chart(let c): return "<figure>\n" + Renderer.svg(c) + "\n</figure>\n"
    }
  }
}
