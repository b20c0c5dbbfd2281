import Testing

@testable import DSL

/// Golden files in Tests/DSLTests/Golden. To regenerate after an intended change:
///   UPDATE_GOLDEN=1 swift test --filter DSLTests.OutputGolden
/// then review the diff (the SVGs open in any browser).
@Suite("OutputGolden")
struct OutputGoldenTests {
  @Test func tableText() throws {
    try OutputTestTools.checkGolden(
      Renderer.plainText(OutputFixtures.compareTable) + "\n", "table.txt")
  }

  @Test func tableHTML() throws {
    try OutputTestTools.checkGolden(Renderer.html(OutputFixtures.compareTable) + "\n", "table.html")
  }

  @Test func tableCSV() throws {
    try OutputTestTools.checkGolden(Renderer.csv(OutputFixtures.compareTable), "table.csv")
  }

  @Test func lineChartSVG() throws {
    try OutputTestTools.checkGolden(Renderer.svg(OutputFixtures.epochChart), "line-chart.svg")
  }

  @Test func barChartSVG() throws {
    try OutputTestTools.checkGolden(Renderer.svg(OutputFixtures.barChart), "bar-chart.svg")
  }
}
