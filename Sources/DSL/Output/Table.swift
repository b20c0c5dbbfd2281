/// A rectangular result: a title, typed columns, rows of cells, and footnotes.
///
/// Cells keep their numeric values; the style says how a human sees them, while CSV and JSON
/// get the full-precision value.
public struct Table: Sendable, Equatable {
  /// How a column's cells line up.
  enum Alignment: Sendable, Equatable {
    /// Flush left (names, text).
    case left
    /// Flush right (numbers).
    case right
    /// Centred.
    case center
  }

  /// How a number is shown to a human.
  enum NumberStyle: Sendable, Equatable {
    /// Fixed decimals: `fixed(4)` shows 0.8765.
    case fixed(Int)
    /// A fraction shown as a percentage: `percent(2)` shows 0.8765 as 87.65%.
    case percent(Int)
    /// Scientific notation: `scientific(2)` shows 0.000123 as 1.23e-4.
    case scientific(Int)
    /// A number of significant digits, switching to scientific for very small or large values.
    case significant(Int)
    /// A duration in seconds, shown in a readable unit (850 µs, 12.3 ms, 1.61 s, 2 min 05 s).
    case seconds
    /// A mean with its spread: `meanSpread(0.0012, 4)` shows 0.8765 ± 0.0012.
    case meanSpread(Double, Int)
  }

  /// One cell of a row.
  enum Cell: Sendable, Equatable {
    /// Text, shown as is.
    case text(String)
    /// An integer.
    case integer(Int)
    /// A number and how to show it.
    case number(Double, NumberStyle)
    /// No value (not measured, not applicable).
    case missing
  }

  /// A column header.
  struct Column: Sendable, Equatable {
    /// The column name.
    var name: String
    /// How the column's cells line up.
    var alignment: Alignment
    /// The unit of the column's values, shown in the header ("s", "%"), if any.
    var unit: String?

    /// Creates a column.
    init(_ name: String, alignment: Alignment = .left, unit: String? = nil) {
      self.name = name
      self.alignment = alignment
      self.unit = unit
    }

    /// The header text: the name, then the unit in parentheses when there is one.
    var header: String {
      guard let unit, !unit.isEmpty else { return name }
      return "\(name) (\(unit))"
    }
  }

  /// The title shown above the table, if any.
  var title: String?
  /// The columns, left to right.
  var columns: [Column]
  /// The rows; a row shorter than `columns` is padded with `.missing`, extra cells are ignored.
  var rows: [[Cell]]
  /// Notes shown under the table.
  var footnotes: [String]

  /// Creates a table.
  init(
    title: String? = nil, columns: [Column], rows: [[Cell]] = [], footnotes: [String] = []
  ) {
    self.title = title
    self.columns = columns
    self.rows = rows
    self.footnotes = footnotes
  }

  /// The rows with exactly one cell per column.
  var normalizedRows: [[Cell]] {
    rows.map { row in
      if row.count == columns.count { return row }
      if row.count > columns.count { return Array(row.prefix(columns.count)) }
      return row + Array(repeating: .missing, count: columns.count - row.count)
    }
  }
}

extension Table.Cell {
  /// The text a human sees for this cell.
  var displayText: String {
    switch self {
    case .text(let s): return s
    case .integer(let n): return String(n)
    case .missing: return "—"
    case .number(let x, let style): return Table.NumberStyle.format(x, style)
    }
  }

  /// The full-precision text machines get (CSV); empty when missing.
  var machineText: String {
    switch self {
    case .text(let s): return s
    case .integer(let n): return String(n)
    case .missing: return ""
    case .number(let x, _): return NumberFormatting.roundTrip(x)
    }
  }
}

extension Table.NumberStyle {
  /// Formats `x` in `style`.
  static func format(_ x: Double, _ style: Table.NumberStyle) -> String {
    switch style {
    case .fixed(let d): return NumberFormatting.fixed(x, d)
    case .percent(let d):
      if let s = NumberFormatting.nonFinite(x) { return s }
      return NumberFormatting.fixed(x * 100, d) + "%"
    case .scientific(let d): return NumberFormatting.scientific(x, d)
    case .significant(let n): return NumberFormatting.significant(x, n)
    case .seconds: return NumberFormatting.duration(x)
    case .meanSpread(let spread, let d):
      return NumberFormatting.fixed(x, d) + " ± " + NumberFormatting.fixed(spread, d)
    }
  }
}
