import Foundation

/// What `report` wrote, shown in a notebook as a link to the file with a short summary.
public struct ReportSummary: Sendable, Equatable {
  /// The file written (absolute, or as resolved against the output directory).
  var path: String
  /// The file's path relative to the working directory, when it lies inside it (a notebook
  /// front end resolves links in outputs against the notebook's directory); nil otherwise.
  var link: String?
  /// The format written.
  var format: ReportFormat
  /// The document title and author.
  var title: String
  var author: String?
  /// The section headings, in order.
  var sections: [String]
  /// Pages (PDF only).
  var pages: Int?
  /// Charts and tables in the document.
  var charts: Int
  var tables: Int
  /// Files written beside the report (Markdown figures).
  var extraFiles: [String]
  /// Size of the report file in bytes.
  var bytes: Int

  /// The one-line text shown in a terminal and as `text/plain`.
  public var plainText: String {
    var parts: [String] = []
    if let pages { parts.append("\(pages) page\(pages == 1 ? "" : "s")") }
    parts.append("\(charts) chart\(charts == 1 ? "" : "s")")
    parts.append("\(tables) table\(tables == 1 ? "" : "s")")
    if !extraFiles.isEmpty {
      parts.append("\(extraFiles.count) figure file\(extraFiles.count == 1 ? "" : "s") beside it")
    }
    parts.append(Self.size(bytes))
    return "wrote the report to \(path) (\(parts.joined(separator: ", ")))\n"
  }

  /// A small card: the file as a link, title and author, counts, and the sections.
  var html: String {
    let esc = TextEscaping.xml
    let name = (path as NSString).lastPathComponent
    let file: String
    if let link {
      let href = link.split(separator: "/", omittingEmptySubsequences: false).map {
        String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
      }.joined(separator: "/")
      file = "<a href=\"\(esc(href))\" target=\"_blank\" rel=\"noopener\"><b>\(esc(name))</b></a>"
    } else {
      file = "<b>\(esc(name))</b> <code>\(esc(path))</code>"
    }
    var facts: [String] = [format.rawValue.uppercased()]
    if let pages { facts.append("\(pages) page\(pages == 1 ? "" : "s")") }
    facts.append("\(charts) chart\(charts == 1 ? "" : "s")")
    facts.append("\(tables) table\(tables == 1 ? "" : "s")")
    facts.append(Self.size(bytes))
    var html =
      "<div style=\"border:1px solid rgba(128,128,128,0.5);border-radius:6px;"
      + "padding:0.5em 0.8em;margin:0.3em 0;max-width:46em\">"
    html +=
      "<div>Report written: \(file) <span style=\"opacity:0.75\">(\(esc(facts.joined(separator: " · "))))</span></div>"
    html += "<div style=\"margin-top:0.2em\"><i>\(esc(title))</i>\(author.map { " — " + esc($0) } ?? "")</div>"
    if !sections.isEmpty {
      html +=
        "<div style=\"margin-top:0.2em;font-size:0.9em;opacity:0.85\">"
        + "Sections: \(esc(sections.joined(separator: " · ")))</div>"
    }
    if !extraFiles.isEmpty {
      html += "<div style=\"font-size:0.9em;opacity:0.85\">Beside it: \(esc(extraFiles.joined(separator: ", ")))</div>"
    }
    return html + "</div>"
  }

  static func size(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    if bytes < 1024 * 1024 { return "\(NumberFormatting.fixed(Double(bytes) / 1024, 1)) KiB" }
    return "\(NumberFormatting.fixed(Double(bytes) / 1_048_576, 1)) MiB"
  }
}
