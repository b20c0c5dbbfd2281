import Foundation

/// Renders output items for every surface: Jupyter MIME bundles, the terminal, and files.
public enum Renderer {
  /// The MIME bundle for `item`: `text/plain` always, plus `text/html` for tables,
  /// `image/svg+xml`, an HTML image of it (`svgImage`), `image/png` and `application/pdf` (where
  /// librsvg is installed) for charts, a link and summary for a written report, and the
  /// machine-readable form as a JSON value where it has one.
  public static func mimeBundle(_ item: OutputItem) -> RenderedBundle {
    switch item {
    case .text(let s), .stderr(let s), .page(let s):
      return RenderedBundle(data: ["text/plain": s])
    case .clear:
      return RenderedBundle(data: ["text/plain": ""])
    case .table(let table):
      return tableBundle(table)
    case .chart(let chart):
      let svg = svg(chart)
      var data = ["text/plain": plainText(chart), "image/svg+xml": svg, "text/html": svgImage(chart)]
      // The same SVG drawn by librsvg as PNG (viewers without SVG) and as a vector PDF: nbconvert's
      // LaTeX and PDF exports convert any SVG through Inkscape unless the output already holds
      // application/pdf, and then include that. Left out where cairo and librsvg are missing.
      if let images = SVGRaster.images(svg: svg) {
        data["image/png"] = images.png.base64EncodedString()
        data["application/pdf"] = images.pdf.base64EncodedString()
      }
      return RenderedBundle(data: data, machine: ChartSummary.json(chart))
    case .report(let summary):
      return RenderedBundle(data: ["text/plain": summary.plainText, "text/html": summary.html])
    case .value(let value):
      switch value {
      case .number(let x):
        return RenderedBundle(
          data: ["text/plain": NumberFormatting.significant(x, 6)],
          machine: .double(x))
      case .integer(let n):
        return RenderedBundle(data: ["text/plain": String(n)], machine: .integer(n))
      case .string(let s):
        return RenderedBundle(data: ["text/plain": s], machine: .string(s))
      case .table(let table):
        return tableBundle(table)
      }
    }
  }

  private static func tableBundle(_ table: Table) -> RenderedBundle {
    RenderedBundle(
      data: ["text/plain": plainText(table), "text/html": html(table)],
      machine: TableRenderers.json(table))
  }

  /// The table as aligned plain-text columns (no box drawing; wide characters counted as two).
  public static func plainText(_ table: Table) -> String { TableRenderers.plainText(table) }

  /// The table as a self-contained, escaped HTML `<table>` (also well-formed XML).
  static func html(_ table: Table) -> String { TableRenderers.html(table) }

  /// The table as RFC 4180 CSV (CRLF line ends, full-precision numbers).
  static func csv(_ table: Table) -> String { TableRenderers.csv(table) }

  /// The table as a JSON text (numbers raw; missing and non-finite values as null).
  static func json(_ table: Table) -> String { TableRenderers.json(table).text }

  /// The chart as a self-contained SVG document.
  static func svg(_ chart: Chart) -> String {
    switch chart.kind {
    case .line: return LineChartSVG.render(chart)
    case .bars: return BarChartSVG.render(chart)
    }
  }

  /// The chart as an HTML `<img>` whose source is the SVG as a base64 data URI.
  ///
  /// Why a chart also carries `text/html`: a notebook that was not run in the user's own session
  /// (executed by nbclient or papermill, or received from someone) is untrusted, and JupyterLab
  /// then shows neither `image/svg+xml` nor inline `<svg>` in HTML (its sanitiser removes it), only
  /// text. An image with a data URI survives sanitising, and an SVG loaded as an image cannot
  /// run scripts. JupyterLab prefers `text/html` whenever it is present, so trusted and
  /// untrusted notebooks show the same picture; the SVG itself stays in the bundle for others.
  static func svgImage(_ chart: Chart) -> String {
    let base64 = Data(svg(chart).utf8).base64EncodedString()
    return "<img alt=\"\(TextEscaping.xml(chart.title))\" src=\"data:image/svg+xml;base64,\(base64)\">"
  }

  /// A short textual summary of the chart (title, series, last values) for `text/plain`.
  public static func plainText(_ chart: Chart) -> String { ChartSummary.plainText(chart) }

  /// The chart as a JSON text (full data up to 20,000 points, per-series summaries beyond).
  static func json(_ chart: Chart) -> String { ChartSummary.json(chart).text }
}
