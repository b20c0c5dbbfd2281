/// The `text/plain` and machine-readable (JSON) forms of a chart.
enum ChartSummary {
  /// A few lines: the title and kind, then one line per series (points, last value, range) or
  /// per category (each group's value).
  static func plainText(_ chart: Chart) -> String {
    let fmt = { (v: Double) in NumberFormatting.significant(v, 4) }
    var lines: [String] = []
    let title = chart.title.isEmpty ? "Chart" : chart.title
    let y = chart.yAxis.label.isEmpty ? "" : "y: " + chart.yAxis.label
    let x = chart.xAxis.label.isEmpty ? "" : "x: " + chart.xAxis.label
    let axes = [x, y].filter { !$0.isEmpty }.joined(separator: ", ")
    switch chart.kind {
    case .line:
      lines.append(
        "\(title) (line chart, \(chart.series.count) series" + (axes.isEmpty ? "" : "; " + axes)
          + (chart.yAxis.scale == .log ? "; log scale" : "") + ")")
      if chart.series.isEmpty { lines.append("  no data") }
      let width = chart.series.map { DisplayWidth.of($0.name) }.max() ?? 0
      for s in chart.series {
        let n = s.count
        let finite = (0..<n).filter { s.y[$0].isFinite }
        var text = "  " + DisplayWidth.pad(s.name, to: width, .left) + "  "
        guard let lastIndex = finite.last else {
          lines.append(text + (n == 0 ? "no data" : "\(n) points, none finite"))
          continue
        }
        let ys = finite.map { s.y[$0] }
        text += "last \(fmt(s.y[lastIndex])) at x=\(fmt(s.x[lastIndex]))"
        text += "  (min \(fmt(ys.min() ?? 0)), max \(fmt(ys.max() ?? 0)), \(n) points)"
        if finite.count < n { text += "  diverged: \(n - finite.count) NaN/Inf" }
        lines.append(text)
      }
    case .bars:
      lines.append(
        "\(title) (bar chart, \(chart.categories.count) categories"
          + (axes.isEmpty ? "" : "; " + axes) + ")")
      if chart.categories.isEmpty || chart.groups.isEmpty { lines.append("  no data") }
      let width = chart.categories.map { DisplayWidth.of($0) }.max() ?? 0
      for (c, name) in chart.categories.enumerated() where !chart.groups.isEmpty {
        let values = chart.groups.map { g -> String in
          let v = c < g.values.count ? g.values[c] : .nan
          return "\(g.name) \(v.isFinite ? fmt(v) : "n/a")"
        }
        lines.append(
          "  " + DisplayWidth.pad(name, to: width, .left) + "  " + values.joined(separator: ", "))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Points above which a chart's JSON carries per-series summaries instead of every point
  /// (notebooks stay small; `export` is the way to the full data).
  static let jsonPointLimit = 20_000

  /// A JSON object describing the chart and its data.
  static func json(_ chart: Chart) -> JSONValue {
    let nums = { (a: [Double]) in JSONValue.array(a.map(JSONValue.double)) }
    func axis(_ a: Chart.Axis) -> JSONValue {
      .keyed([
        "title": .string(a.title), "unit": .optionalString(a.unit),
        "scale": .string(a.scale == .log ? "log" : "linear"),
      ])
    }
    var members: [JSONMember] = [
      JSONMember(key: "kind", value: .string(chart.kind == .line ? "line" : "bars")),
      JSONMember(key: "title", value: .string(chart.title)),
      JSONMember(key: "x_axis", value: axis(chart.xAxis)),
      JSONMember(key: "y_axis", value: axis(chart.yAxis)),
    ]
    switch chart.kind {
    case .line:
      let total = chart.series.reduce(0) { $0 + $1.count }
      let full = total <= jsonPointLimit
      let series = chart.series.map { s -> JSONValue in
        var o = [JSONMember(key: "name", value: .string(s.name)), JSONMember(key: "points", value: .integer(s.count))]
        if full {
          o.append(JSONMember(key: "x", value: nums(Array(s.x.prefix(s.count)))))
          o.append(JSONMember(key: "y", value: nums(Array(s.y.prefix(s.count)))))
        } else {
          let ys = s.y.prefix(s.count).filter(\.isFinite)
          o.append(JSONMember(key: "min", value: .double(ys.min() ?? .nan)))
          o.append(JSONMember(key: "max", value: .double(ys.max() ?? .nan)))
          o.append(JSONMember(key: "last", value: .double(s.count > 0 ? s.y[s.count - 1] : .nan)))
        }
        return .object(o)
      }
      members.append(JSONMember(key: "series", value: .array(series)))
      if !full { members.append(JSONMember(key: "data_omitted", value: .bool(true))) }
    case .bars:
      members.append(JSONMember(key: "categories", value: .array(chart.categories.map { .string($0) })))
      members.append(
        JSONMember(
          key: "groups",
          value: .array(
            chart.groups.map {
              .keyed(["name": .string($0.name), "values": nums($0.values)])
            })))
    }
    return .object(members)
  }
}
