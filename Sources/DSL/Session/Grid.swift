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
