/// Grouped bar charts as SVG: one cluster per category, one bar per group (measure).
enum BarChartSVG {
  static func render(_ chart: Chart) -> String {
    let log = chart.yAxis.scale == .log
    let categories = chart.categories
    let groups = chart.groups
    func value(_ g: Int, _ c: Int) -> Double {
      c < groups[g].values.count ? groups[g].values[c] : .nan
    }
    var lo = Double.infinity
    var hi = -Double.infinity
    var missing = 0
    var excluded = 0
    for g in groups.indices {
      for c in categories.indices {
        let v = value(g, c)
        if !v.isFinite {
          missing += 1
        } else if log && v <= 0 {
          excluded += 1
        } else {
          lo = min(lo, v)
          hi = max(hi, v)
        }
      }
    }
    let hasData = lo <= hi
    var notes: [String] = []
    if missing > 0 {
      notes.append("n/a: \(missing) missing or non-finite value\(missing == 1 ? "" : "s").")
    }
    if excluded > 0 {
      notes.append(
        "\(excluded) non-positive value\(excluded == 1 ? "" : "s") left out (log scale).")
    }
    let yTicks: AxisTicks
    if !hasData {
      yTicks = AxisTicks(lo: 0, hi: 1, ticks: [], labels: [], scale: .linear)
    } else if log {
      // The smallest bar must have some height, so the baseline sits below it.
      yTicks = TickGenerator.log(lo: lo / 1.5, hi: chart.valueLabels ? hi * 1.35 : hi)
    } else {
      // Bars start at 0; leave room beyond the extremes for value labels.
      let pad = chart.valueLabels ? 0.08 * (max(0, hi) - min(0, lo)) : 0
      yTicks = TickGenerator.linear(
        lo: lo < 0 ? lo - pad : 0, hi: hi > 0 ? hi + pad : 0, target: 5, expand: true)
    }

    // Category labels wrap to the width of their band (up to 2 lines).
    let legendNames = groups.map { Chart.Series.LegendName(name: $0.name, dashed: false) }
    let probe = ChartFrame(chart: chart, legend: legendNames, yLabels: yTicks.labels, notes: notes)
    let band = categories.isEmpty ? probe.plotWidth : probe.plotWidth / Double(categories.count)
    // Category labels wrap to the width of their band (up to 2 lines); when bands are too
    // narrow for that, labels turn 45° (truncated), and only every k-th is written if needed.
    let chars = Int(band / (ChartFrame.fontSize * 0.6)) - 1
    let rotated = chars < 6
    let labelEvery = rotated ? max(1, Int((15 / max(band, 0.1)).rounded(.up))) : 1
    let labels = categories.map {
      rotated
        ? ChartStyle.wrap($0, width: 16, maxLines: 1)
        : ChartStyle.wrap($0, width: chars, maxLines: 2)
    }
    let longest = labels.map { ChartStyle.textWidth($0[0], size: ChartFrame.fontSize) }.max() ?? 0
    let lines =
      rotated ? Int((longest * 0.71 / 13).rounded(.up)) + 1 : (labels.map(\.count).max() ?? 1)
    let labelSize = 9.5
    let barWidth = groups.isEmpty ? 0 : band * 0.8 / Double(groups.count)
    var showValues = chart.valueLabels && hasData
    if showValues {
      let tooWide = groups.indices.contains { g in
        categories.indices.contains { c in
          let v = value(g, c)
          return v.isFinite
            && ChartStyle.textWidth(NumberFormatting.significant(v, 3), size: labelSize)
              > barWidth + 2
        }
      }
      if tooWide {
        showValues = false
        notes.append("Bars are too narrow for value labels; hover a bar to see its value.")
      }
    }
    let frame = ChartFrame(
      chart: chart, legend: legendNames, yLabels: yTicks.labels, notes: notes, xLabelLines: lines)

    var svg = SVGWriter()
    frame.open(&svg, description: description(chart))
    frame.drawYAxis(&svg, yTicks)
    guard hasData, !groups.isEmpty else {
      frame.drawAxesAndXTitle(&svg)
      frame.drawMessage(
        &svg,
        categories.isEmpty || groups.isEmpty ? "No data to plot (0 runs)" : "No plottable values")
      frame.drawLegend(&svg, bars: true)
      frame.close(&svg)
      return svg.text
    }

    let baseValue = log ? yTicks.lo : 0
    let base = frame.yPixel(baseValue, yTicks)
    let inner = band * 0.8
    frame.openDataViewport(&svg)
    for c in categories.indices {
      let x0 = frame.plotLeft + Double(c) * band + (band - inner) / 2
      for g in groups.indices {
        let v = value(g, c)
        let bx = x0 + Double(g) * barWidth
        let tip = TextEscaping.xml("\(categories[c]) — \(groups[g].name): ")
        guard v.isFinite, !log || v > 0 else {
          svg.text(
            "n/a", x: bx + barWidth / 2, y: base - 3, size: 8.5, anchor: "middle",
            fill: ChartStyle.mutedText)
          continue
        }
        let top = frame.yPixel(v, yTicks)
        let y = min(top, base)
        let h = max(abs(base - top), 0.5)
        let w = max(barWidth - 1, 0.5)
        svg.line(
          "<rect x=\"\(SVGWriter.n(bx + 0.5))\" y=\"\(SVGWriter.n(y))\" "
            + "width=\"\(SVGWriter.n(w))\" "
            + "height=\"\(SVGWriter.n(h))\" fill=\"\(ChartStyle.color(g))\"><title>\(tip)"
            + TextEscaping.xml(NumberFormatting.significant(v, 4)) + "</title></rect>")
        if showValues {
          let text = NumberFormatting.significant(v, 3)
          let ly = v >= baseValue ? top - 3 : top + labelSize + 2
          svg.text(text, x: bx + barWidth / 2, y: ly, size: labelSize, anchor: "middle")
        }
      }
    }
    svg.line("</svg>")
    svg.raw("<g text-anchor=\"middle\" fill=\"\(ChartStyle.mutedText)\">\n")
    for (c, lines) in labels.enumerated() where c % labelEvery == 0 {
      let cx = frame.plotLeft + (Double(c) + 0.5) * band
      svg.raw("<g><title>" + TextEscaping.xml(categories[c]) + "</title>\n")
      if rotated {
        let y = frame.plotBottom + 12
        // A 45° label reaches left by 0.71 × its width: keep it inside the card.
        let fit = Int((cx - 8) / 0.71 / (ChartFrame.fontSize * 0.6))
        let text = ChartStyle.wrap(categories[c], width: min(16, fit), maxLines: 1)[0]
        svg.text(
          text, x: cx + 3, y: y, anchor: "end",
          extra: " transform=\"rotate(-45 \(SVGWriter.n(cx + 3)) \(SVGWriter.n(y)))\"")
      } else {
        for (i, line) in lines.enumerated() {
          svg.text(line, x: cx, y: frame.plotBottom + 16 + Double(i) * 13)
        }
      }
      svg.raw("</g>\n")
    }
    svg.raw("</g>\n")
    frame.drawAxesAndXTitle(&svg)
    frame.drawLegend(&svg, bars: true)
    frame.close(&svg)
    return svg.text
  }

  private static func description(_ chart: Chart) -> String {
    if !chart.description.isEmpty { return chart.description }
    let what = chart.yAxis.label.isEmpty ? "values" : chart.yAxis.label
    var s = "Bar chart of \(what) for \(chart.categories.count) categories"
    if !chart.groups.isEmpty { s += " (" + chart.groups.map(\.name).joined(separator: ", ") + ")" }
    return s + "."
  }
}
