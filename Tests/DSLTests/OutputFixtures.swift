@testable import DSL

/// Deterministic sample data for the output tests (no randomness: a small LCG where noise is
/// wanted, so golden files never change by accident).
enum OutputFixtures {
  static let nasty = "<b>&\"x\"</b> it's"

  /// A P1-style comparison table.
  static let compareTable = Table(
    title: "compare: 6 runs vs baseline",
    columns: [
      .init("run"), .init("changed"), .init("batch", alignment: .right),
      .init("train_s", alignment: .right, unit: "s"), .init("total", alignment: .right),
      .init("test_acc", alignment: .right), .init("δ² layer 1", alignment: .right),
      .init("loss", alignment: .right),
    ],
    rows: [
      [
        .text("baseline"), .text("—"), .integer(32), .number(16.1234, .fixed(2)),
        .number(18.5, .seconds), .number(0.8846, .percent(2)), .number(0.000123456, .scientific(2)),
        .number(0.3312, .meanSpread(0.0021, 4)),
      ],
      [
        .text("batch16"), .text("batch=16"), .integer(16), .number(29.04, .fixed(2)),
        .number(125.2, .seconds), .number(0.8791, .percent(2)), .number(2.5e-4, .scientific(2)),
        .number(0.3401, .meanSpread(0.0030, 4)),
      ],
      [
        .text("lr_high, \"fast\""), .text("lr=0.01"), .integer(32), .number(15.9, .fixed(2)),
        .number(0.0123, .seconds), .number(.nan, .percent(2)), .number(.infinity, .scientific(2)),
        .missing,
      ],
      [
        .text("日本語 run"), .text(nasty), .integer(64), .number(7.4, .fixed(2)), .missing,
        .number(0.87, .percent(2)), .number(1.5, .significant(3)),
      ],
    ],
    footnotes: ["train_s: training loops only, device synchronised.", "δ²: mean per step."])

  /// Deterministic noise in [-1, 1).
  static func noise(_ count: Int, seed: UInt64) -> [Double] {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
  }

  /// Seven per-epoch accuracy curves (the P1 study).
  static let epochChart: Chart = {
    let names = ["baseline", "batch16", "batch64", "lr_high", "lr_low", "sgd", "no_zero_grad"]
    let series = names.enumerated().map { i, name -> Chart.Series in
      let ys = (1...10).map { e -> Double in
        let rate = 0.25 + 0.05 * Double(i)
        return 0.80 + 0.09 * (1 - 1 / (1 + rate * Double(e))) - 0.004 * Double(i)
      }
      return Chart.Series(name: name, y: ys)
    }
    return .line(
      title: "test_acc per epoch", x: .init("epoch"), y: .init("test accuracy", unit: "fraction"),
      series: series)
  }()

  /// Loss per step for `series` runs of `steps` steps, with noise and spikes.
  static func stepChart(steps: Int = 37_500, series: Int = 2, log: Bool = true) -> Chart {
    let runs = (0..<series).map { r -> Chart.Series in
      let n = noise(steps, seed: UInt64(r + 1))
      var ys = (0..<steps).map { s -> Double in
        2.3 * (1 / (1 + Double(s) / 600)) + 0.25 + 0.08 * n[s] * (1 + Double(r))
      }
      ys[steps / 3] = 9  // a spike that must survive thinning
      return Chart.Series(name: "run \(r)", x: (0..<steps).map(Double.init), y: ys)
    }
    return .line(
      title: "loss per step", x: .init("step"),
      y: .init("train loss", scale: log ? .log : .linear), series: runs)
  }

  /// train_s vs total_s per run.
  static let barChart = Chart.bars(
    title: "training time vs total time", x: .init("run"), y: .init("time", unit: "s"),
    categories: ["baseline", "batch16", "batch64", "lr_high", "lr_low", "sgd"],
    groups: [
      .init(name: "train_s", values: [16.1, 29.0, 7.4, 16.0, 16.2, 12.9]),
      .init(name: "total_s", values: [18.5, 31.2, 9.6, 18.1, 18.4, 15.0]),
    ])

  /// One chart per degenerate or interesting case, with whether data must be visible.
  static let chartCases: [(name: String, chart: Chart, drawsData: Bool)] = [
    ("epochs", epochChart, true),
    ("log-steps", stepChart(), true),
    ("linear-steps-7", stepChart(steps: 37_500, series: 7, log: false), true),
    ("bars", barChart, true),
    (
      "nan-inf",
      .line(
        title: "diverged run", x: .init("epoch"), y: .init("loss"),
        series: [
          .init(name: "ok", y: [2, 1.5, 1.2, 1.0, 0.9]),
          .init(name: "lr_high", y: [2, 3, .nan, .infinity, .nan]),
          .init(name: "all-nan", y: [.nan, .nan]),
        ]), true
    ),
    (
      "single-point",
      .line(
        title: "one point", x: .init("epoch"), y: .init("acc"),
        series: [.init(name: "a", x: [1], y: [0.5])]), true
    ),
    (
      "all-equal",
      .line(
        title: "flat", x: .init("epoch"), y: .init("acc"),
        series: [.init(name: "a", y: [0.3, 0.3, 0.3]), .init(name: "b", y: [0.3, 0.3, 0.3])]), true
    ),
    ("zero-series", .line(title: "nothing", x: .init("epoch"), y: .init("acc"), series: []), false),
    (
      "empty-series",
      .line(
        title: "empty", x: .init("epoch"), y: .init("acc"), series: [.init(name: "a", y: [])]),
      false
    ),
    (
      "log-zeros-negatives",
      .line(
        title: "log with zeros", x: .init("epoch"), y: .init("δ²", scale: .log),
        series: [.init(name: "a", y: [0, -1, 1e-3, 1e-2, 0.5]), .init(name: "b", y: [0, 0])]), true
    ),
    (
      "log-all-nonpositive",
      .line(
        title: "log nothing", x: .init("epoch"), y: .init("δ²", scale: .log),
        series: [.init(name: "a", y: [0, -1])]), false
    ),
    (
      "nasty-names",
      .line(
        title: nasty, description: nasty, x: .init(nasty, unit: "<&>"), y: .init(nasty),
        series: [
          .init(name: nasty, y: [1, 2, 3]),
          .init(name: String(repeating: "a_very_long_series_name_", count: 6), y: [3, 2, 1]),
          .init(name: "control\u{1}char\u{7}", y: [2, 2, 2]),
        ]), true
    ),
    (
      "many-series",
      .line(
        title: "twelve runs", x: .init("epoch"), y: .init("acc"),
        series: (0..<12).map { i in .init(name: "run\(i)", y: [Double(i), Double(i) + 1]) }), true
    ),
    (
      "bars-nan-negative",
      .bars(
        title: "bars with gaps", x: .init("run"), y: .init("Δ acc"),
        categories: ["a", "b", "c", nasty], groups: [.init(name: "d", values: [0.1, -0.2, .nan])]),
      true
    ),
    (
      "bars-log",
      .bars(
        title: "bars log", x: .init("run"), y: .init("time", unit: "s", scale: .log),
        categories: ["a", "b", "c"], groups: [.init(name: "t", values: [0.01, 0, 100])]), true
    ),
    (
      "bars-zero-runs",
      .bars(
        title: "no runs", x: .init("run"), y: .init("time"), categories: [], groups: []), false
    ),
    (
      "extreme-values",
      .line(
        title: "extremes", x: .init("x"), y: .init("y"),
        series: [
          .init(
            name: "a", x: [0, 1, 2, 3, 1e300],
            y: [.leastNonzeroMagnitude, .greatestFiniteMagnitude, -1e308, 0, 1])
        ]), true
    ),
    (
      "extreme-log",
      .line(
        title: "extremes log", x: .init("x", scale: .log), y: .init("y", scale: .log),
        series: [
          .init(
            name: "a", x: [.leastNonzeroMagnitude, 1, 1e308],
            y: [.leastNonzeroMagnitude, 1, .greatestFiniteMagnitude])
        ]), true
    ),
    (
      "huge-legend",
      .line(
        title: "300 runs", x: .init("epoch"), y: .init("acc"),
        series: (0..<300).map { i in .init(name: "run\(i)", y: [Double(i), Double(300 - i)]) }),
      true
    ),
    (
      "bars-many",
      .bars(
        title: "many bars", x: .init("run"), y: .init("time"),
        categories: (0..<40).map { "category number \($0)" },
        groups: [
          .init(name: "a", values: (0..<40).map { Double($0) * 1234.5 }),
          .init(name: "b", values: (0..<40).map { Double($0) }),
        ]), true
    ),
  ]
}
