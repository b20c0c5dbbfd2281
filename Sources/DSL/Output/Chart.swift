/// A chart: several lines over a shared x axis, or grouped bars over categories.
///
/// Lines use `series`; bars use `categories` and `groups` (one group per measure, one value per
/// category). Values may be NaN or ±Inf (a diverged run): renderers break the line and mark it.
public struct Chart: Sendable, Equatable {
  /// The kind of chart.
  public enum Kind: Sendable, Equatable {
    /// Lines, one per series.
    case line
    /// Grouped bars: for each category, one bar per group.
    case bars
  }

  /// An axis scale.
  public enum Scale: Sendable, Equatable {
    /// Linear.
    case linear
    /// Base-10 logarithmic; non-positive values are left out with a note.
    case log
  }

  /// An axis: its title, unit and scale.
  public struct Axis: Sendable, Equatable {
    /// The axis title ("epoch", "test accuracy").
    public var title: String
    /// The unit, shown after the title in parentheses, if any.
    public var unit: String?
    /// The scale.
    public var scale: Scale

    /// Creates an axis.
    public init(_ title: String, unit: String? = nil, scale: Scale = .linear) {
      self.title = title
      self.unit = unit
      self.scale = scale
    }

    /// The title with its unit: "train time (s)".
    public var label: String {
      guard let unit, !unit.isEmpty else { return title }
      return title.isEmpty ? unit : "\(title) (\(unit))"
    }
  }

  /// A shaded band around a line (mean ± standard deviation over seeds): lower and upper
  /// bounds parallel to the series' x values.
  public struct Band: Sendable, Equatable {
    /// The lower bound at each x.
    public var lower: [Double]
    /// The upper bound at each x.
    public var upper: [Double]

    /// Creates a band from parallel bounds.
    public init(lower: [Double], upper: [Double]) {
      self.lower = lower
      self.upper = upper
    }
  }

  /// One line: a name and parallel x and y arrays, optionally with a shaded band.
  public struct Series: Sendable, Equatable {
    /// The name shown in the legend.
    public var name: String
    /// The x values.
    public var x: [Double]
    /// The y values, parallel to `x`; only the first `min(x.count, y.count)` points are used.
    public var y: [Double]
    /// A band drawn beneath the line in its colour (e.g. ± one standard deviation); nil for none.
    public var band: Band?

    /// Creates a series from parallel arrays.
    public init(name: String, x: [Double], y: [Double], band: Band? = nil) {
      self.name = name
      self.x = x
      self.y = y
      self.band = band
    }

    /// Creates a series whose x values are 1, 2, 3, … (epochs).
    public init(name: String, y: [Double]) {
      self.init(name: name, x: y.indices.map { Double($0 + 1) }, y: y)
    }

    /// The number of usable points.
    var count: Int { min(x.count, y.count) }
  }

  /// One measure of a bar chart: a name and one value per category.
  public struct BarGroup: Sendable, Equatable {
    /// The name shown in the legend ("train_s").
    public var name: String
    /// One value per category; NaN marks a missing value.
    public var values: [Double]

    /// Creates a bar group.
    public init(name: String, values: [Double]) {
      self.name = name
      self.values = values
    }
  }

  /// The kind of chart.
  public var kind: Kind
  /// The title shown above the plot.
  public var title: String
  /// A sentence for screen readers (`<desc>`); generated from the data when empty.
  public var description: String
  /// The horizontal axis (for bars: the category axis title).
  public var xAxis: Axis
  /// The vertical axis.
  public var yAxis: Axis
  /// Line series (`.line`).
  public var series: [Series]
  /// Category names along x (`.bars`).
  public var categories: [String]
  /// Bar groups (`.bars`).
  public var groups: [BarGroup]
  /// Whether bars carry their value as a label.
  public var valueLabels: Bool

  /// Creates a chart; prefer `Chart.line` and `Chart.bars`.
  public init(
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
  public static func line(
    title: String, description: String = "", x: Axis, y: Axis, series: [Series]
  ) -> Chart {
    Chart(kind: .line, title: title, description: description, xAxis: x, yAxis: y, series: series)
  }

  /// A grouped bar chart.
  public static func bars(
    title: String, description: String = "", x: Axis, y: Axis, categories: [String],
    groups: [BarGroup], valueLabels: Bool = true
  ) -> Chart {
    Chart(
      kind: .bars, title: title, description: description, xAxis: x, yAxis: y,
      categories: categories, groups: groups, valueLabels: valueLabels)
  }
}
