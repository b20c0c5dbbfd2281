import Foundation
import Testing

@testable import DSL

/// Every chart case must be well-formed XML and rasterise to a picture that is not blank.
@Suite("OutputSVG")
struct OutputSVGTests {
  @Test(arguments: OutputFixtures.chartCases.map(\.name))
  func chartIsValidAndNotBlank(_ name: String) throws {
    let entry = try #require(OutputFixtures.chartCases.first { $0.name == name })
    let svg = Renderer.svg(entry.chart)
    // For a visual review: OUTPUT_SVG_DIR=/tmp/charts swift test --filter DSLTests.OutputSVG
    if let dir = ProcessInfo.processInfo.environment["OUTPUT_SVG_DIR"] {
      try Data(svg.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("\(name).svg"))
    }
    #expect(try OutputTestTools.xmllint(svg) == "", "\(name): not well-formed XML")
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.contains("<title>") && svg.contains("<desc>"))
    let geometry = svg.matches(of: #/ (?:d|x|y|cx|cy|width|height|r|transform)="([^"]*)"/#)
      .map { String($0.output.1).lowercased() }
    #expect(geometry.count > 5)
    #expect(
      !geometry.contains { $0.contains("nan") || $0.contains("inf") },
      "\(name): non-finite coordinate")
    let image = try OutputTestTools.rasterise(svg)
    #expect(image.width == 720)
    #expect(image.distinctColours > 2, "\(name): blank image")
    #expect(image.inkFraction > 0.01, "\(name): almost nothing drawn")
    let seriesInk = image.count(near: ChartStyle.palette[0])
    if entry.drawsData {
      #expect(seriesInk > 30, "\(name): the first series is not visible (\(seriesInk) px)")
    } else {
      #expect(svg.contains("No data to plot") || svg.contains("No plottable values"))
    }
  }

  @Test func nastyNamesAreEscaped() {
    let chart = OutputFixtures.chartCases.first { $0.name == "nasty-names" }!.chart
    let svg = Renderer.svg(chart)
    #expect(!svg.contains("<b>"))
    #expect(svg.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt; it&#39;s"))
    #expect(!svg.contains("\u{1}"))
  }

  @Test func perStepChartStaysLightAndKeepsSpikes() throws {
    let svg = Renderer.svg(OutputFixtures.stepChart(steps: 37_500, series: 1, log: false))
    // 37,500 points thinned to ~1 per pixel column: well under 50 kB.
    #expect(svg.utf8.count < 50_000, "per-step chart is \(svg.utf8.count) bytes")
    // The spike of 9 at step 12,500 sets the y domain top to 10 and survives as the band's max.
    #expect(svg.contains(">10</text>"))
    #expect(svg.contains("fill-opacity=\"0.22\""))
  }

  @Test func sevenSeriesSizes() {
    let epoch = Renderer.svg(OutputFixtures.epochChart).utf8.count
    let steps = Renderer.svg(OutputFixtures.stepChart(steps: 37_500, series: 7, log: false)).utf8
      .count
    print("SVG size: 7-series per-epoch chart \(epoch) bytes; 7 × 37,500-step chart \(steps) bytes")
    #expect(epoch < 20_000)
    #expect(steps < 250_000)
  }

  @Test func divergedRunIsBrokenAndMarked() {
    let chart = OutputFixtures.chartCases.first { $0.name == "nan-inf" }!.chart
    let svg = Renderer.svg(chart)
    #expect(svg.contains("lr_high (diverged)"))
    #expect(svg.contains("diverged (NaN/Inf) at x = 3"))
    #expect(svg.contains("× marks where values became NaN/Inf"))
  }

  @Test func logScaleExcludesNonPositiveWithNote() {
    let chart = OutputFixtures.chartCases.first { $0.name == "log-zeros-negatives" }!.chart
    let svg = Renderer.svg(chart)
    #expect(svg.contains("4 non-positive values left out (log scale)."))
    #expect(svg.contains(">0.001</text>"))
  }

  @Test func outputIsDeterministic() {
    for entry in OutputFixtures.chartCases {
      #expect(Renderer.svg(entry.chart) == Renderer.svg(entry.chart), "\(entry.name)")
    }
  }

  @Test func paletteBeyondEightUsesDashes() {
    let chart = OutputFixtures.chartCases.first { $0.name == "many-series" }!.chart
    let svg = Renderer.svg(chart)
    #expect(svg.contains("stroke-dasharray=\"6 3\""))
    #expect(ChartStyle.dash(0) == nil && ChartStyle.dash(8) == "6 3")
  }

  @Test func legendSitsRightOfThePlot() {
    let chart = OutputFixtures.chartCases.first { $0.name == "nasty-names" }!.chart
    let frame = ChartFrame(
      chart: chart,
      legend: chart.series.map { .init(name: $0.name, dashed: true) }, yLabels: ["3.0"], notes: [])
    #expect(frame.legendX > frame.plotRight)
    #expect(
      frame.legend.allSatisfy {
        $0.lines.allSatisfy { DisplayWidth.of($0) <= ChartFrame.legendChars }
      })
  }
}

/// A missing external tool must fail the test (naming the Debian package), never skip it.
@Suite("OutputTools")
struct OutputToolTests {
  @Test func missingToolFailsNamingTheDebianPackage() {
    withKnownIssue {
      do {
        _ = try OutputTestTools.require("no-such-tool-for-dsl-tests", package: "librsvg2-bin")
      } catch {
        // The issue recorded by `require` is what must name the package; the error stops the
        // test's other work.
      }
    } matching: { issue in
      issue.description.contains("librsvg2-bin")
    }
  }

  @Test func pngDecoderSeesABlankImageAsBlank() throws {
    let blank =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\">"
      + "<rect width=\"40\" height=\"30\" fill=\"#ffffff\"/></svg>"
    let image = try OutputTestTools.rasterise(blank)
    #expect(image.width == 40 && image.height == 30)
    #expect(image.distinctColours == 1)
    #expect(image.inkFraction == 0)
    let dot = blank.replacingOccurrences(
      of: "</svg>",
      with: "<rect x=\"10\" y=\"10\" width=\"10\" height=\"10\" fill=\"#0072B2\"/></svg>")
    let inked = try OutputTestTools.rasterise(dot)
    #expect(inked.count(near: "#0072B2") == 100)
    #expect(abs(inked.inkFraction - 100.0 / 1200.0) < 1e-9)
  }
}
