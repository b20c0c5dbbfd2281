import Testing

@testable import DSL
@testable import Kernel

/// The DSL hands its machine-readable forms over as JSON values; the kernel's message JSON of
/// each is what a JSON reader makes of its text (integers stay integers, non-finite numbers are
/// null), so the notebook gets the same data as when the text was parsed.
@Suite struct RenderedJSONTests {
  static let table = Table(
    title: "runs",
    columns: [Table.Column("run"), Table.Column("steps", alignment: .right), Table.Column("time", unit: "s")],
    rows: [
      [.text("baseline"), .integer(1875), .number(16.1234, .fixed(2))],
      [.text("ünïcode"), .integer(-3), .number(.nan, .fixed(2))],
      [.text("big"), .integer(Int.max), .number(1e-5, .seconds)],
      [.missing, .integer(0), .number(2, .fixed(1))],
    ],
    footnotes: ["a \"quoted\" note\n"])

  static var items: [(String, OutputItem)] {
    let line = Chart.line(
      title: "loss", x: Chart.Axis("epoch"), y: Chart.Axis("loss", scale: .log),
      series: [Chart.Series(name: "a", x: [1, 2, 3], y: [0.5, .infinity, 1e300])])
    let bars = Chart.bars(
      title: "times", x: Chart.Axis("run"), y: Chart.Axis("time", unit: "s"), categories: ["a", "b"],
      groups: [Chart.BarGroup(name: "train_s", values: [1.5, 2])])
    return [
      ("table", .table(table)), ("line chart", .chart(line)), ("bar chart", .chart(bars)),
      ("number", .value(.number(0.25))), ("integer", .value(.integer(7))), ("string", .value(.string("x"))),
    ]
  }

  @Test(arguments: items.indices)
  func aRenderedValueIsWhatItsTextReadsAs(_ i: Int) throws {
    let rendered = Renderer.mimeBundle(Self.items[i].1)
    let machine = try #require(rendered.machine, "\(Self.items[i].0)")
    let text = try #require(rendered.json)
    #expect(JSON(machine) == (try JSON.parse(text)), "\(Self.items[i].0)")
  }
}
