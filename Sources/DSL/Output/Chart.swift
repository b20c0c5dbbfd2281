/// A chart: several lines over a shared x axis, or grouped bars over categories.
///
/// Lines use `series`; bars use `categories` and `groups` (one group per measure, one value per
/// category). Values may be NaN or ±Inf (a diverged run): renderers break the line and mark it.
public struct Chart: Sendable, Equatable {
  /// The kind of chart.
  enum Kind: Sendable, Equatable {
    /// Lines, one per series.
    case line
    /// Grouped bars: for each category, one bar per group.
    case bars
  }

  /// An axis scale.
  enum Scale: Sendable, Equatable {
    /// Linear.
    case linear
    /// Base-10 logarithmic; non-positive values are left out with a note.
    case log
  }

  /// An axis: its title, unit and scale.
  struct Axis: Sendable, Equatable {
    /// The axis title ("epoch", "test accuracy").
    var title: String
    /// The unit, shown after the title in parentheses, if any.
    var unit: String?
    /// The scale.
    var scale: Scale

    /// Creates an axis.
    init(_ title: String, unit: String? = nil, scale: Scale = .linear) {
      self.title = title
      self.unit = unit
      self.scale = scale
    }

    /// The title with its unit: "train time (s)".
    var label: String {
      guard let unit, !unit.isEmpty else { return title }
      return title.isEmpty ? unit : "\(title) (\(unit))"
    }
  }

  /// A shaded band around a line (mean ± standard deviation over seeds): lower and upper
  /// bounds parallel to the series' x values.
  struct Band: Sendable, Equatable {
    /// The lower bound at each x.
    var lower: [Double]
    /// The upper bound at each x.
    var upper: [Double]
  }

  /// One line: a name and parallel x and y arrays, optionally with a shaded band.
  struct Series: Sendable, Equatable {
    /// The name shown in the legend.
    var name: String
    /// The x values.
    var x: [Double]
    /// The y values, parallel to `x`; only the first `min(x.count, y.count)` points are used.
    var y: [Double]
    /// A band drawn beneath the line in its colour (e.g. ± one standard deviation); nil for none.
    var band: Band?

    /// Creates a series from parallel arrays.
    init(name: String, x: [Double], y: [Double], band: Band? = nil) {
      self.name = name
      self.x = x
      self.y = y
      self.band = band
    }

    /// Creates a series whose x values are 1, 2, 3, … (epochs).
    init(name: String, y: [Double]) {
      self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y)
    }

    /// The number of usable points.
    var count: Int { min(x.count, y.count) }
  }

  /// One measure of a bar chart: a name and one value per category.
  struct BarGroup: Sendable, Equatable {
    /// The name shown in the legend ("train_s").
    var name: String
    /// One value per category; NaN marks a missing value.
    var values: [Double]
  }

  /// The kind of chart.
  var kind: Kind
  /// The title shown above the plot.
  var title: String
  /// A sentence for screen readers (`<desc>`); generated from the data when empty.
  var description: String
  /// The horizontal axis (for bars: the category axis title).
  var xAxis: Axis
  /// The vertical axis.
  var yAxis: Axis
  /// Line series (`.line`).
  var series: [Series]
  /// Category names along x (`.bars`).
  var categories: [String]
  /// Bar groups (`.bars`).
  var groups: [BarGroup]
  /// Whether bars carry their value as a label.
  var valueLabels: Bool

  /// Creates a chart; prefer `Chart.line` and `Chart.bars`.
  init(
    kind: Kind, title: String, description: String = "", xAxis: Axis, yAxis: Axis,
    series: [Series] = [], categories: [String] = [], groups: [BarGroup] = [],
    valueLabels: Bool = false
  ) {
    self.kind = kind
    self.title = title
    self.description = description
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.series = series
    self.categories = categories
    self.groups = groups
    self.valueLabels = valueLabels
  }

  /// A line chart.
  static func line(
    title: String, description: String = "", x: Axis, y: Axis, series: [Series]
  ) -> Chart {
    Chart(kind: .line, title: title, description: description, xAxis: x, yAxis: y, series: series)
  }

  /// A grouped bar chart.
  static func bars(
    title: String, description: String = "", x: Axis, y: Axis, categories: [String],
    groups: [BarGroup], valueLabels: Bool = true
  ) -> Chart {
    Chart(
      kind: .bars, title: title, description: description, xAxis: x, yAxis: y,
      categories: categories, groups: groups, valueLabels: valueLabels)
  }
}
