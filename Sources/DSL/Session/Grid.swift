/// A table as the session builds it, before it becomes an output `Table` (one adapter: `table`).
struct Grid {
  /// A cell value with its display style.
  enum Value {
    case text(String)
    case int(Int)
    /// A number with `digits` decimals.
    case fixed(Double, Int)
    /// A fraction shown as a percentage with `digits` decimals.
    case percent(Double, Int)
    /// A number in scientific notation with `digits` decimals.
    case scientific(Double, Int)
    /// Seconds.
    case seconds(Double)
    case missing
  }

  var title: String?
  var columns: [(name: String, numeric: Bool)]
  var rows: [[Value]] = []
  var footnotes: [String] = []

  init(title: String?, columns: [(String, Bool)]) {
    self.title = title
    self.columns = columns.map { (name: $0.0, numeric: $0.1) }
  }

  mutating func add(_ row: [Value]) { rows.append(row) }
}

/// A chart as the session builds it, before it becomes an output `Chart` (one adapter: `chart`).
struct PlotSpec {
  struct Line {
    var name: String
    var x: [Double]
    var y: [Double]
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

extension Grid {
  /// The output table.
  var table: Table {
    let cols = columns.map { Table.Column($0.name, alignment: $0.numeric ? .right : .left) }
    let cells: [[Table.Cell]] = rows.map { row in
      row.map { v in
        switch v {
        case .text(let s): return .text(s)
        case .int(let i): return .integer(i)
        case .fixed(let x, let d): return .number(x, .fixed(d))
        case .percent(let x, let d): return .number(x, .percent(d))
        case .scientific(let x, let d): return .number(x, .scientific(d))
        case .seconds(let x): return .number(x, .seconds)
        case .missing: return .missing
        }
      }
    }
    return Table(title: title, columns: cols, rows: cells, footnotes: footnotes)
  }
}

extension PlotSpec {
  /// The output chart.
  var chart: Chart {
    let x = Chart.Axis(xTitle, unit: xUnit)
    let y = Chart.Axis(yTitle, unit: yUnit, scale: logY ? .log : .linear)
    if isBars {
      return .bars(title: title, description: description, x: x, y: y, categories: categories,
                   groups: groups.map { Chart.BarGroup(name: $0.name, values: $0.values) })
    }
    return .line(title: title, description: description, x: x, y: y,
                 series: lines.map { Chart.Series(name: $0.name, x: $0.x, y: $0.y) })
  }
}

/// The cell-result value of a reference's text: a number when it reads as one.
func makeValue(_ text: String) -> OutputValue {
  if let i = Int(text) { return .integer(i) }
  if let d = Double(text), !text.isEmpty { return .number(d) }
  return .string(text)
}
