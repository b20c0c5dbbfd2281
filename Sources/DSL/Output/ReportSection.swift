/// One block of a report document, the model that every report format (HTML, Markdown, PDF) renders.
enum ReportSection {
  /// The title block: title, author and course lines, and the date the report was written.
  case titleBlock(ReportTitle)
  /// A section heading; level 1 is the document title, 2 a section, 3 a subsection.
  case heading(Int, String)
  /// A paragraph of generated text.
  case paragraph(String)
  /// The student's own words, verbatim; blank lines separate paragraphs.
  case text(String)
  /// A bulleted list.
  case list([String])
  /// Facts computed from the runs, shown as a labelled list of measurements.
  case findings([String])
  /// A monospaced block (the training step as pseudo-code).
  case code(String)
  /// A table.
  case table(Table)
  /// A chart.
  case chart(Chart)
}

/// The report's title block.
struct ReportTitle {
  var title: String
  var author: String?
  var course: String?
  /// When the report was written (ISO 8601 date and time).
  var date: String
}
