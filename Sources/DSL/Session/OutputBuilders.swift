extension Table {
  /// A table whose columns are given as (name, numeric); numeric columns align right.
  init(title: String?, columns: [(String, Bool)]) {
    self.init(title: title, columns: columns.map { Column($0.0, alignment: $0.1 ? .right : .left) })
  }

  /// Appends a row.
  mutating func add(_ row: [Cell]) { rows.append(row) }
}

extension Table.Cell {
  /// A number with `digits` decimals.
  static func fixed(_ x: Double, _ digits: Int) -> Self { .number(x, .fixed(digits)) }
  /// A fraction shown as a percentage with `digits` decimals.
  static func percent(_ x: Double, _ digits: Int) -> Self { .number(x, .percent(digits)) }
  /// A number in scientific notation with `digits` decimals.
  static func scientific(_ x: Double, _ digits: Int) -> Self { .number(x, .scientific(digits)) }
  /// A duration in seconds.
  static func seconds(_ x: Double) -> Self { .number(x, .seconds) }
}

/// A chart as the session builds it, before it becomes an output `Chart` (one adapter: `chart`).
struct PlotSpec {
  struct Line {
    var name: String
    var x: [Double]
    var y: [Double]
    /// Mean ± standard deviation of a seed group; nil for one run's line.
    var band: Chart.Band? = nil
  }
  var title: String
  var description: String
  var xTitle: String
  var xUnit: String?
  var yTitle: String
  var yUnit: String?
  var logY: Bool
  var lines: [Line] = []
  /// Bar charts: one category per run, one group per measured quantity.
  var categories: [String] = []
  var groups: [(name: String, values: [Double])] = []
  var isBars: Bool { !groups.isEmpty }
}

extension PlotSpec {
  /// The output chart.
  var chart: Chart {
    let x = Chart.Axis(xTitle, unit: xUnit)
    let y = Chart.Axis(yTitle, unit: yUnit, scale: logY ? .log : .linear)
    if isBars {
      return .bars(
        title: title, description: description, x: x, y: y, categories: categories,
        groups: groups.map { Chart.BarGroup(name: $0.name, values: $0.values) })
    }
    return .line(
      title: title, description: description, x: x, y: y,
      series: lines.map { Chart.Series(name: $0.name, x: $0.x, y: $0.y, band: $0.band) })
  }
}

/// The cell-result value of a reference's text: a number when it reads as one.
func makeValue(_ text: String) -> OutputValue {
  if let i = Int(text) { return .integer(i) }
  if let d = Double(text), !text.isEmpty { return .number(d) }
  return .string(text)
}
