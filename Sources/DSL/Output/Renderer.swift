/// Renders output items for every surface: Jupyter MIME bundles, the terminal, and files.
public enum Renderer {
  /// The MIME bundle for `item`: `text/plain` always, plus `text/html` for tables,
  /// `image/svg+xml` for charts, and a JSON text for `application/json` where it has one.
  public static func mimeBundle(_ item: OutputItem) -> MimeBundle {
    switch item {
    case .text(let s), .stderr(let s), .page(let s):
      return MimeBundle(data: ["text/plain": s])
    case .clear:
      return MimeBundle(data: ["text/plain": ""])
    case .table(let table):
      return tableBundle(table)
    case .chart(let chart):
      return MimeBundle(
        data: ["text/plain": plainText(chart), "image/svg+xml": svg(chart)],
        json: ChartSummary.json(chart))
    case .value(let value):
      switch value {
      case .number(let x):
        return MimeBundle(
          data: ["text/plain": NumberFormatting.significant(x, 6)],
          json: TextEscaping.jsonNumber(x))
      case .integer(let n):
        return MimeBundle(data: ["text/plain": String(n)], json: String(n))
      case .string(let s):
        return MimeBundle(data: ["text/plain": s], json: TextEscaping.json(s))
      case .table(let table):
        return tableBundle(table)
      }
    }
  }

  private static func tableBundle(_ table: Table) -> MimeBundle {
    MimeBundle(
      data: ["text/plain": plainText(table), "text/html": html(table)],
      json: TableRenderers.json(table))
  }

  /// The table as aligned plain-text columns (no box drawing; wide characters counted as two).
  public static func plainText(_ table: Table) -> String { TableRenderers.plainText(table) }

  /// The table as a self-contained, escaped HTML `<table>` (also well-formed XML).
  public static func html(_ table: Table) -> String { TableRenderers.html(table) }

  /// The table as RFC 4180 CSV (CRLF line ends, full-precision numbers).
  public static func csv(_ table: Table) -> String { TableRenderers.csv(table) }

  /// The table as a JSON text (numbers raw; missing and non-finite values as null).
  public static func json(_ table: Table) -> String { TableRenderers.json(table) }

  /// The chart as a self-contained SVG document.
  public static func svg(_ chart: Chart) -> String {
    switch chart.kind {
    case .line: return LineChartSVG.render(chart)
    case .bars: return BarChartSVG.render(chart)
    }
  }

  /// A short textual summary of the chart (title, series, last values) for `text/plain`.
  public static func plainText(_ chart: Chart) -> String { ChartSummary.plainText(chart) }

  /// The chart as a JSON text (full data up to 20,000 points, per-series summaries beyond).
  public static func json(_ chart: Chart) -> String { ChartSummary.json(chart) }
}
