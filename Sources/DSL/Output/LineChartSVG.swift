/// Multi-series line charts as SVG.
///
/// Series longer than two points per pixel column are thinned to one point per column: the
/// line goes through each column's mean and a translucent band spans its min and max, so
/// spikes survive and a 37,500-step series costs about as much as a 500-point one.
/// Non-finite values break the line and a × marks where a series diverged.
enum LineChartSVG {
  /// One series after classification.
  private struct Prepared {
    var index: Int
    var name: String
    /// Points that can be drawn, or nil where the line must break.
    var points: [(x: Double, y: Double)?]
    /// The band's (x, lower, upper) where all three are drawable, or nil where it must break.
    var band: [(x: Double, lo: Double, hi: Double)?] = []
    /// x of the first non-finite y, if the series diverged.
    var divergedAt: Double?
    var lastFiniteY: Double?
  }

  static func render(_ chart: Chart) -> String {
    let xScale = chart.xAxis.scale
    let yScale = chart.yAxis.scale
    var prepared: [Prepared] = []
    var yMin = Double.infinity
    var yMax = -Double.infinity
    var xMin = Double.infinity
    var xMax = -Double.infinity
    var allIntegers = true
    var nonPositive = 0  // left out of a log axis
    var badX = 0  // non-finite x
    for (i, s) in chart.series.enumerated() {
      var p = Prepared(index: i, name: s.name, points: [])
      p.points.reserveCapacity(s.count)
      for k in 0..<s.count {
        let x = s.x[k]
        let y = s.y[k]
        guard x.isFinite, xScale == .linear || x > 0 else {
          if x.isFinite { nonPositive += 1 } else { badX += 1 }
          p.points.append(nil)
          continue
        }
        xMin = min(xMin, x)
        xMax = max(xMax, x)
        if !y.isFinite {
          if p.divergedAt == nil { p.divergedAt = x }
          p.points.append(nil)
          continue
        }
        if yScale == .log && y <= 0 {
          nonPositive += 1
          p.points.append(nil)
          continue
        }
        if x != x.rounded() { allIntegers = false }
        yMin = min(yMin, y)
        yMax = max(yMax, y)
        p.lastFiniteY = y
        p.points.append((x, y))
      }
      if let band = s.band {
        // Band bounds widen the y range; on a log axis a non-positive lower bound is drawn at
        // the axis floor (the line's own range), never left out.
        for k in 0..<min(s.count, band.lower.count, band.upper.count) {
          let x = s.x[k]
          var lo = band.lower[k]
          let hi = band.upper[k]
          guard x.isFinite, xScale == .linear || x > 0, lo.isFinite, hi.isFinite, s.y[k].isFinite,
            yScale == .linear || hi > 0
          else {
            p.band.append(nil)
            continue
          }
          if yScale == .log && lo <= 0 { lo = .nan } else { yMin = min(yMin, lo) }
          yMax = max(yMax, hi)
          p.band.append((x, lo, hi))
        }
      }
      prepared.append(p)
    }

    var notes: [String] = []
    let diverged = prepared.filter { $0.divergedAt != nil }
    if !diverged.isEmpty {
      notes.append(
        "× marks where values became NaN/Inf (diverged); the line stops there: "
          + diverged.map(\.name).joined(separator: ", ") + ".")
    }
    if nonPositive > 0 {
      notes.append(
        "\(nonPositive) non-positive value\(nonPositive == 1 ? "" : "s") left out (log scale).")
    }
    if badX > 0 {
      notes.append("\(badX) point\(badX == 1 ? "" : "s") with a NaN/Inf x left out.")
    }
    let empty = prepared.filter { p in !p.points.contains { $0 != nil } && p.divergedAt == nil }
    if !empty.isEmpty && !chart.series.isEmpty {
      notes.append("No data: " + empty.map(\.name).joined(separator: ", ") + ".")
    }

    let hasData = yMin <= yMax
    let yTicks: AxisTicks
    let xTicks: AxisTicks
    if hasData {
      yTicks =
        yScale == .log
        ? TickGenerator.log(lo: yMin, hi: yMax)
        : TickGenerator.linear(lo: yMin, hi: yMax, target: 5, expand: true)
      xTicks =
        xScale == .log
        ? TickGenerator.log(lo: xMin, hi: xMax)
        : TickGenerator.linear(lo: xMin, hi: xMax, target: 6, expand: false, integers: allIntegers)
    } else {
      yTicks = AxisTicks(lo: 0, hi: 1, ticks: [], labels: [], scale: .linear)
      xTicks = yTicks
    }

    let legend = prepared.map { p -> Chart.Series.LegendName in
      var name = p.name
      if p.divergedAt != nil { name += " (diverged)" }
      return .init(name: name, dashed: true)
    }
    let frame = ChartFrame(chart: chart, legend: legend, yLabels: yTicks.labels, notes: notes)
    var svg = SVGWriter()
    frame.open(&svg, description: description(chart, prepared: prepared))
    frame.drawYAxis(&svg, yTicks)
    frame.drawXTicks(&svg, xTicks)
    frame.drawAxesAndXTitle(&svg)
    if !hasData {
      frame.drawMessage(
        &svg, chart.series.isEmpty ? "No data to plot (0 series)" : "No plottable values")
    } else {
      // Bands first, lines on top: no series' min/max band ever covers another's line.
      var bands = SVGWriter()
      var lines = SVGWriter()
      let columns = max(1, Int(frame.plotWidth))
      let thinned = prepared.filter { $0.points.count > 2 * columns }.count
      let opacity = max(0.08, 0.22 / Double(max(1, thinned)).squareRoot())
      for p in prepared {
        drawBand(&bands, p, frame: frame, x: xTicks, y: yTicks)
        drawSeries(&lines, bands: &bands, opacity: opacity, p, frame: frame, x: xTicks, y: yTicks)
      }
      frame.openDataViewport(&svg)
      svg.raw(bands.text)
      svg.raw(lines.text)
      svg.line("</svg>")
    }
    frame.drawLegend(&svg, bars: false)
    frame.close(&svg)
    return svg.text
  }

  /// A series' band as filled polygons in its colour, one per unbroken stretch.
  private static func drawBand(
    _ svg: inout SVGWriter, _ p: Prepared, frame: ChartFrame, x: AxisTicks, y: AxisTicks
  ) {
    guard !p.band.isEmpty else { return }
    var d = ""
    var upper: [(Double, Double)] = []
    var lower: [(Double, Double)] = []
    func flush() {
      if upper.count > 1 { d += SVGWriter.polyline(upper + lower.reversed(), close: true) }
      upper.removeAll()
      lower.removeAll()
    }
    for point in p.band {
      guard let point else {
        flush()
        continue
      }
      let px = frame.xPixel(point.x, x)
      upper.append((px, frame.yPixel(point.hi, y)))
      lower.append((px, frame.yPixel(point.lo.isNaN ? y.lo : point.lo, y)))
    }
    flush()
    guard !d.isEmpty else { return }
    svg.line(
      "<path class=\"band\" d=\"\(d)\" fill=\"\(ChartStyle.color(p.index))\" fill-opacity=\"0.18\" "
        + "stroke=\"none\"><title>± 1 sd: " + TextEscaping.xml(p.name) + "</title></path>")
  }

  private static func description(_ chart: Chart, prepared: [Prepared]) -> String {
    if !chart.description.isEmpty { return chart.description }
    let what = chart.yAxis.label.isEmpty ? "values" : chart.yAxis.label
    let over = chart.xAxis.label.isEmpty ? "" : " by " + chart.xAxis.label
    var s = "Line chart of \(what)\(over), \(prepared.count) series"
    let lasts = prepared.compactMap { p in
      p.lastFiniteY.map { "\(p.name) ends at \(NumberFormatting.significant($0, 4))" }
    }
    if !lasts.isEmpty {
      s += ": " + lasts.prefix(12).joined(separator: "; ")
      if lasts.count > 12 { s += "; and \(lasts.count - 12) more" }
    }
    return s + "."
  }

  private static func drawSeries(
    _ svg: inout SVGWriter, bands: inout SVGWriter, opacity: Double, _ p: Prepared,
    frame: ChartFrame, x: AxisTicks, y: AxisTicks
  ) {
    let color = ChartStyle.color(p.index)
    let columns = max(1, Int(frame.plotWidth))
    let n = p.points.count
    var open = "<g fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\""
    open += " stroke-linejoin=\"round\""
    if let dash = ChartStyle.dash(p.index) { open += " stroke-dasharray=\"\(dash)\"" }
    svg.line(open + "><title>" + TextEscaping.xml(p.name) + "</title>")
    var singles: [(Double, Double)] = []
    if n > 2 * columns {
      drawThinned(
        &svg, bands: &bands, opacity: opacity, p, frame: frame, x: x, y: y, columns: columns,
        color: color, singles: &singles)
    } else {
      var d = ""
      var run: [(Double, Double)] = []
      func flush() {
        if run.count == 1 { singles.append(run[0]) }
        if run.count > 1 { d += SVGWriter.polyline(run) }
        run.removeAll()
      }
      for point in p.points {
        guard let point else {
          flush()
          continue
        }
        run.append((frame.xPixel(point.x, x), frame.yPixel(point.y, y)))
      }
      flush()
      if !d.isEmpty { svg.line("<path d=\"\(d)\"/>") }
      if n <= 40 {
        // Few points (per-epoch data): mark each one.
        for point in p.points.compactMap({ $0 }) {
          singles.append((frame.xPixel(point.x, x), frame.yPixel(point.y, y)))
        }
      }
    }
    for (cx, cy) in singles {
      svg.line(
        "<circle cx=\"\(SVGWriter.n(cx))\" cy=\"\(SVGWriter.n(cy))\" r=\"2.5\" "
          + "fill=\"\(color)\" stroke=\"none\"/>")
    }
    if let at = p.divergedAt {
      let px = frame.xPixel(at, x)
      let py = p.lastFiniteY.map { frame.yPixel($0, y) } ?? frame.plotTop + 6
      svg.line(
        "<path d=\"M\(SVGWriter.n(px - 4)) \(SVGWriter.n(py - 4))l8 8m0-8l-8 8\" "
          + "stroke-width=\"2.5\" stroke-dasharray=\"none\"><title>diverged (NaN/Inf) at x = "
          + TextEscaping.xml(NumberFormatting.significant(at, 6)) + "</title></path>")
    }
    svg.line("</g>")
  }

  /// One bucket per pixel column: min, max and mean of the finite values that fall in it, and
  /// whether a break (non-finite value) falls in it.
  private struct Bucket {
    var n = 0
    var sum = 0.0
    var lo = Double.infinity
    var hi = -Double.infinity
    var breaks = false
  }

  private static func drawThinned(
    _ svg: inout SVGWriter, bands: inout SVGWriter, opacity: Double, _ p: Prepared,
    frame: ChartFrame, x: AxisTicks, y: AxisTicks,
    columns: Int, color: String, singles: inout [(Double, Double)]
  ) {
    var buckets = [Bucket](repeating: Bucket(), count: columns)
    var lastColumn = -1
    for point in p.points {
      guard let point else {
        if lastColumn >= 0 { buckets[lastColumn].breaks = true }
        continue
      }
      let f = x.fraction(point.x)
      let c = f.isFinite ? Int(min(max(f * Double(columns), 0), Double(columns - 1))) : 0
      buckets[c].n += 1
      buckets[c].sum += point.y
      buckets[c].lo = min(buckets[c].lo, point.y)
      buckets[c].hi = max(buckets[c].hi, point.y)
      lastColumn = c
    }
    var line = ""
    var band = ""
    var upper: [(Double, Double)] = []
    var lower: [(Double, Double)] = []
    var mean: [(Double, Double)] = []
    func flush() {
      if mean.count == 1 { singles.append(mean[0]) }
      if mean.count > 1 { line += SVGWriter.polyline(mean) }
      if upper.count > 1 && zip(upper, lower).contains(where: { $0.1 - $1.1 < -0.5 }) {
        band += SVGWriter.polyline(upper + lower.reversed(), close: true)
      }
      upper.removeAll()
      lower.removeAll()
      mean.removeAll()
    }
    for (c, b) in buckets.enumerated() {
      if b.n > 0 {
        let px = frame.plotLeft + (Double(c) + 0.5) * frame.plotWidth / Double(columns)
        mean.append((px, frame.yPixel(b.sum / Double(b.n), y)))
        upper.append((px, frame.yPixel(b.hi, y)))
        lower.append((px, frame.yPixel(b.lo, y)))
      }
      if b.breaks { flush() }
    }
    flush()
    if !band.isEmpty {
      bands.line(
        "<path d=\"\(band)\" fill=\"\(color)\" "
          + "fill-opacity=\"\(NumberFormatting.fixed(opacity, 2))\" "
          + "stroke=\"none\"><title>" + TextEscaping.xml(p.name)
          + " (min–max per pixel column)</title></path>")
    }
    if !line.isEmpty { svg.line("<path d=\"\(line)\" stroke-width=\"1.2\"/>") }
  }
}
