/// The parts every chart shares: the card, title, plot area, axes with ticks and titles, the
/// legend at the right of the plot (never over data), and notes under it.
struct ChartFrame {
  /// A legend entry: wrapped label lines, swatch colour and dash, and the full name.
  struct LegendEntry {
    var name: String
    var lines: [String]
    /// nil for a text-only entry ("… and 12 more").
    var color: String?
    var dash: String?
  }

  static let width = 720.0
  static let baseHeight = 380.0
  static let titleSize = 15.0
  static let fontSize = 11.0
  static let legendChars = 22
  static let legendLine = 14.0
  static let maxLegendEntries = 30

  var chart: Chart
  var legend: [LegendEntry]
  var notes: [String]
  /// Extra room under the x axis (wrapped bar category labels).
  var xLabelLines: Int = 1

  var height = 380.0
  var plotLeft = 0.0
  var plotRight = 0.0
  var plotTop = 0.0
  var plotBottom = 0.0
  var legendX = 0.0

  var plotWidth: Double { plotRight - plotLeft }
  var plotHeight: Double { plotBottom - plotTop }

  /// Lays the frame out for a y axis whose labels are `yLabels`.
  init(
    chart: Chart, legend: [Chart.Series.LegendName], yLabels: [String], notes: [String],
    xLabelLines: Int = 1
  ) {
    self.chart = chart
    self.notes = notes.flatMap { ChartStyle.wrap($0, width: 110, maxLines: 3) }
    self.xLabelLines = xLabelLines
    // Very many series: the legend lists the first ones and says how many it leaves out
    // (the lines themselves are all drawn).
    let shown = legend.count > Self.maxLegendEntries ? Self.maxLegendEntries - 1 : legend.count
    var entries = legend.prefix(shown).enumerated().map { i, entry in
      LegendEntry(
        name: entry.name,
        lines: ChartStyle.wrap(entry.name, width: Self.legendChars, maxLines: 3),
        color: ChartStyle.color(i), dash: entry.dashed ? ChartStyle.dash(i) : nil)
    }
    if shown < legend.count {
      let more = "… and \(legend.count - shown) more"
      entries.append(LegendEntry(name: more, lines: [more], color: nil, dash: nil))
    }
    self.legend = entries
    let legendTextWidth =
      self.legend.flatMap(\.lines)
      .map { ChartStyle.textWidth($0, size: Self.fontSize) }.max() ?? 0
    let legendWidth = self.legend.isEmpty ? 0 : legendTextWidth + 40
    let yLabelWidth = yLabels.map { ChartStyle.textWidth($0, size: Self.fontSize) }.max() ?? 10
    plotLeft = 14 + (chart.yAxis.label.isEmpty ? 0 : 18) + yLabelWidth + 8
    plotRight = Self.width - 16 - legendWidth
    legendX = plotRight + 20
    plotTop = chart.title.isEmpty ? 20 : 44
    let bottomRoom = 18 + Double(xLabelLines) * 13 + (chart.xAxis.label.isEmpty ? 0 : 18)
    let notesRoom = self.notes.isEmpty ? 0 : Double(self.notes.count) * 14 + 6
    let legendHeight = self.legend.reduce(0.0) {
      $0 + Double($1.lines.count) * Self.legendLine + 6
    }
    let plotHeight = max(Self.baseHeight - plotTop - bottomRoom - 10, legendHeight)
    plotBottom = plotTop + plotHeight
    height = plotBottom + bottomRoom + notesRoom + 10
  }

  /// The opening tag, accessibility elements, card and title.
  func open(_ svg: inout SVGWriter, description: String) {
    let w = SVGWriter.n(Self.width)
    let h = SVGWriter.n(height)
    svg.line(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" "
        + "viewBox=\"0 0 \(w) \(h)\" role=\"img\" font-family=\"\(ChartStyle.fontFamily)\" "
        + "font-size=\"\(SVGWriter.n(Self.fontSize))\" fill=\"\(ChartStyle.text)\">")
    svg.line("<title>" + TextEscaping.xml(chart.title.isEmpty ? "chart" : chart.title) + "</title>")
    svg.line("<desc>" + TextEscaping.xml(description) + "</desc>")
    svg.line(
      "<rect x=\"0.5\" y=\"0.5\" width=\"\(SVGWriter.n(Self.width - 1))\" "
        + "height=\"\(SVGWriter.n(height - 1))\" rx=\"6\" fill=\"\(ChartStyle.background)\" "
        + "stroke=\"\(ChartStyle.border)\"/>")
    if !chart.title.isEmpty {
      let maxChars = Int((Self.width - 24) / (Self.titleSize * 0.6))
      let title = ChartStyle.wrap(chart.title, width: maxChars, maxLines: 1)[0]
      svg.text(title, x: 12, y: 26, size: Self.titleSize, weight: "bold")
    }
  }

  /// Horizontal grid lines, y tick labels, and the y axis title.
  func drawYAxis(_ svg: inout SVGWriter, _ y: AxisTicks) {
    var grid = ""
    for t in y.ticks {
      let py = yPixel(t, y)
      grid += "M\(SVGWriter.n(plotLeft)) \(SVGWriter.n(py))H\(SVGWriter.n(plotRight))"
    }
    if !grid.isEmpty {
      svg.line("<path d=\"\(grid)\" stroke=\"\(ChartStyle.grid)\" fill=\"none\"/>")
    }
    svg.raw("<g text-anchor=\"end\" fill=\"\(ChartStyle.mutedText)\">\n")
    for (t, label) in zip(y.ticks, y.labels) {
      svg.text(label, x: plotLeft - 6, y: yPixel(t, y) + 4)
    }
    svg.raw("</g>\n")
    let label = chart.yAxis.label
    if !label.isEmpty {
      let cx = 24.0
      let cy = (plotTop + plotBottom) / 2
      let maxChars = Int(plotHeight / (Self.fontSize * 0.6))
      svg.text(
        ChartStyle.wrap(label, width: maxChars, maxLines: 1)[0], x: cx, y: cy, anchor: "middle",
        extra: " transform=\"rotate(-90 \(SVGWriter.n(cx)) \(SVGWriter.n(cy)))\"")
    }
  }

  /// Vertical tick marks and labels for a numeric x axis.
  func drawXTicks(_ svg: inout SVGWriter, _ x: AxisTicks) {
    var marks = ""
    for t in x.ticks {
      let px = xPixel(t, x)
      marks += "M\(SVGWriter.n(px)) \(SVGWriter.n(plotBottom))v4"
    }
    if !marks.isEmpty {
      svg.line("<path d=\"\(marks)\" stroke=\"\(ChartStyle.axis)\" fill=\"none\"/>")
    }
    svg.raw("<g text-anchor=\"middle\" fill=\"\(ChartStyle.mutedText)\">\n")
    for (t, label) in zip(x.ticks, x.labels) {
      svg.text(label, x: xPixel(t, x), y: plotBottom + 16)
    }
    svg.raw("</g>\n")
  }

  /// The axis lines (left and bottom) and the x axis title.
  func drawAxesAndXTitle(_ svg: inout SVGWriter) {
    svg.line(
      "<path d=\"M\(SVGWriter.n(plotLeft)) \(SVGWriter.n(plotTop))V\(SVGWriter.n(plotBottom))"
        + "H\(SVGWriter.n(plotRight))\" stroke=\"\(ChartStyle.axis)\" fill=\"none\"/>")
    let label = chart.xAxis.label
    if !label.isEmpty {
      let maxChars = Int(plotWidth / (Self.fontSize * 0.6))
      svg.text(
        ChartStyle.wrap(label, width: maxChars, maxLines: 1)[0], x: (plotLeft + plotRight) / 2,
        y: plotBottom + 18 + Double(xLabelLines) * 13 + 4, anchor: "middle")
    }
  }

  /// The legend, right of the plot; `bars` draws square swatches instead of line samples.
  func drawLegend(_ svg: inout SVGWriter, bars: Bool) {
    guard !legend.isEmpty else { return }
    var y = plotTop + 4
    for entry in legend {
      svg.raw("<g><title>" + TextEscaping.xml(entry.name) + "</title>")
      let mid = y + 5
      if let color = entry.color, bars {
        svg.raw(
          "<rect x=\"\(SVGWriter.n(legendX))\" y=\"\(SVGWriter.n(mid - 5))\" width=\"14\" "
            + "height=\"10\" fill=\"\(color)\"/>")
      } else if let color = entry.color {
        var s = "<path d=\"M\(SVGWriter.n(legendX)) \(SVGWriter.n(mid))h22\" "
        s += "stroke=\"\(color)\" stroke-width=\"2\""
        if let dash = entry.dash { s += " stroke-dasharray=\"\(dash)\"" }
        svg.raw(s + "/>")
      }
      svg.raw("\n")
      for (i, line) in entry.lines.enumerated() {
        svg.text(line, x: legendX + 28, y: mid + 4 + Double(i) * Self.legendLine)
      }
      svg.raw("</g>\n")
      y += Double(entry.lines.count) * Self.legendLine + 6
    }
  }

  /// Notes under the plot (excluded values, divergence), then the closing tag.
  func close(_ svg: inout SVGWriter) {
    var y = plotBottom + 18 + Double(xLabelLines) * 13 + (chart.xAxis.label.isEmpty ? 0 : 18) + 14
    for note in notes {
      svg.text(note, x: 12, y: y, size: 10.5, fill: ChartStyle.mutedText)
      y += 14
    }
    svg.line("</svg>")
  }

  /// Opens a nested `<svg>` over the plot area (6 px larger on each side, so markers on the
  /// edges stay whole) that clips data drawn outside it; close it with `</svg>`. A nested
  /// viewport clips without an `id`, so several charts inlined in one page cannot collide.
  func openDataViewport(_ svg: inout SVGWriter) {
    let x = SVGWriter.n(plotLeft - 6)
    let y = SVGWriter.n(plotTop - 6)
    let w = SVGWriter.n(plotWidth + 12)
    let h = SVGWriter.n(plotHeight + 12)
    svg.line(
      "<svg x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" viewBox=\"\(x) \(y) \(w) \(h)\" "
        + "overflow=\"hidden\">")
  }

  /// A centred message in the plot area (no data).
  func drawMessage(_ svg: inout SVGWriter, _ message: String) {
    svg.text(
      message, x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, size: 13,
      anchor: "middle", fill: ChartStyle.mutedText)
  }

  func xPixel(_ v: Double, _ axis: AxisTicks) -> Double {
    plotLeft + axis.fraction(v) * plotWidth
  }

  func yPixel(_ v: Double, _ axis: AxisTicks) -> Double {
    plotBottom - axis.fraction(v) * plotHeight
  }
}

extension Chart.Series {
  /// A name for the legend and whether its swatch carries the series' dash pattern.
  struct LegendName {
    var name: String
    var dashed: Bool
  }
}
