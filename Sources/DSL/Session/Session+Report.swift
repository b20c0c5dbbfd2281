import Foundation
import NN

extension Session {
  /// `report`: the experiment write-up as a paginated PDF, self-contained HTML (inline SVG) or
  /// Markdown (SVG files beside it). The whole document is made in memory first; every target is
  /// checked before anything is written, and each file goes through `FileDestination` (a temporary
  /// file renamed into place), so a failure never leaves a partial file.
  func report(
    file: String?, format: ReportFormat?, paper: PaperSize?, plots chosenPlotRefs: [PlotRef]? = nil, force: Bool,
    _ ctx: RunContext
  ) throws {
    guard !runs.isEmpty else {
      throw SessionError.runtime("there are no runs to report", hint: "train some runs first")
    }
    let figures = try chosenPlotRefs.map(chosenPlots)
    let chosen = format ?? .html
    let name = file ?? "report.\(chosen.rawValue)"
    let path = try outputPath(name)
    let sections = reportSections(plots: figures)
    var summary = ReportSummary(
      path: path, link: Self.relativeLink(path), format: chosen, title: ReportDocument.title(sections),
      author: ReportDocument.author(sections), sections: ReportDocument.headings(sections), pages: nil,
      charts: sections.filter { if case .chart = $0 { return true } else { return false } }.count,
      tables: sections.filter { if case .table = $0 { return true } else { return false } }.count,
      extraFiles: [], bytes: 0)
    switch chosen {
    case .markdown:
      let stem = ((path as NSString).deletingPathExtension as NSString).lastPathComponent
      let dir = (path as NSString).deletingLastPathComponent
      let (text, figures) = ReportMarkdown.render(sections, stem: stem)
      let figurePaths = figures.map { (dir as NSString).appendingPathComponent($0.name) }
      try checkWritable([path] + figurePaths, force: force)
      for (figure, figurePath) in zip(figures, figurePaths) {
        try write(figure.svg, to: figurePath, force: force)
      }
      summary.extraFiles = figures.map(\.name)
      try write(text, to: path, force: force)
      summary.bytes = text.utf8.count
    case .html:
      let html = ReportHTML.render(sections, paper: paper ?? .a4)
      try checkWritable([path], force: force)
      try write(html, to: path, force: force)
      summary.bytes = html.utf8.count
    case .pdf:
      try checkWritable([path], force: force)
      let library: GraphicsLibrary
      switch GraphicsLibrary.load(environment: environment) {
      case .success(let l): library = l
      case .failure(let error):
        throw SessionError.runtime(
          "cannot write a PDF report: \(error)",
          hint: "or write report file=\"report.html\" and print that")
      }
      let pdf: PDFReport.Output
      do {
        pdf = try PDFReport.render(sections, paper: paper ?? .a4, library: library)
      } catch {
        throw SessionError.runtime("cannot write a PDF report: \(error)", hint: nil)
      }
      if pdf.unknownGlyphs > 0 {
        ctx.emit(
          .stderr(
            "warning: \(pdf.unknownGlyphs) character\(pdf.unknownGlyphs == 1 ? " has" : "s have") "
              + "no glyph in the installed fonts and show as boxes in the PDF; "
              + "install a font that has them (Debian: fonts-noto-cjk for Chinese, Japanese and Korean)\n"))
      }
      try write(pdf.data, to: path, force: force)
      summary.pages = pdf.pages
      summary.bytes = pdf.data.count
    }
    ctx.emit(.report(summary))
  }

  /// `path` relative to the working directory when it lies inside it.
  static func relativeLink(_ path: String) -> String? {
    let cwd = (FileManager.default.currentDirectoryPath as NSString).standardizingPath
    let full = (path as NSString).standardizingPath
    let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
    return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : nil
  }
}
