import Foundation
import Testing

@testable import DSL

@Suite("OutputMimeBundle")
struct OutputMimeBundleTests {
  static let cases: [(OutputItem, Set<String>, Bool)] = [
    (.text("hello\n"), ["text/plain"], false),
    (.stderr("warning\n"), ["text/plain"], false),
    (.page("help text"), ["text/plain"], false),
    (.clear, ["text/plain"], false),
    (.table(OutputFixtures.compareTable), ["text/plain", "text/html"], true),
    (
      .chart(OutputFixtures.epochChart), ["text/plain", "image/svg+xml", "image/png", "application/pdf", "text/html"],
      true
    ),
    (
      .chart(OutputFixtures.barChart), ["text/plain", "image/svg+xml", "image/png", "application/pdf", "text/html"],
      true
    ),
    (.value(.number(0.875)), ["text/plain"], true),
    (.value(.integer(42)), ["text/plain"], true),
    (.value(.string("s")), ["text/plain"], true),
    (.value(.table(OutputFixtures.compareTable)), ["text/plain", "text/html"], true),
  ]

  @Test(arguments: cases.indices)
  func bundleHasTheRightTypes(_ i: Int) throws {
    let (item, types, hasJSON) = Self.cases[i]
    let bundle = Renderer.mimeBundle(item)
    #expect(Set(bundle.data.keys) == types)
    #expect(bundle.data["text/plain"] != nil)
    #expect((bundle.json != nil) == hasJSON)
    if let json = bundle.json {
      // The JSON text must parse (it is embedded as a value in the Jupyter message).
      let parsed = try JSONSerialization.jsonObject(
        with: Data(json.utf8), options: [.fragmentsAllowed])
      _ = parsed
    }
  }

  /// A chart's text/html is an <img> of exactly its SVG (a data URI), with the title as alt text:
  /// what untrusted notebooks in JupyterLab can show (Tests/lab/lab_check.py checks that page).
  @Test func chartHTMLIsAnImageOfTheSVG() throws {
    var chart = OutputFixtures.epochChart
    chart.title = "Loss <train> & \"test\""
    let bundle = Renderer.mimeBundle(.chart(chart))
    let html = try #require(bundle.data["text/html"])
    let prefix = "<img alt=\"Loss &lt;train&gt; &amp; &quot;test&quot;\" src=\"data:image/svg+xml;base64,"
    #expect(html.hasPrefix(prefix), "\(html.prefix(120))")
    #expect(html.hasSuffix("\">"))
    let encoded = html.dropFirst(prefix.count).dropLast(2)
    let decoded = try #require(Data(base64Encoded: String(encoded)))
    #expect(String(decoding: decoded, as: UTF8.self) == bundle.data["image/svg+xml"])
  }

  @Test func tableJSONKeepsRawNumbersAndNullsNonFinite() throws {
    let json = Renderer.json(OutputFixtures.compareTable)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let rows = try #require(object["rows"] as? [[Any]])
    #expect(rows[0][3] as? Double == 16.1234)
    #expect(rows[2][5] is NSNull)
    #expect((object["columns"] as? [[String: Any]])?[3]["unit"] as? String == "s")
  }

  @Test func chartPlainTextSummarises() {
    let text = Renderer.plainText(OutputFixtures.epochChart)
    #expect(
      text.hasPrefix(
        "test_acc per epoch (line chart, 7 series; x: epoch, y: test accuracy (fraction))"))
    #expect(text.contains("baseline      last 0.8643 at x=10  (min 0.818, max 0.8643, 10 points)"))
    let bars = Renderer.plainText(OutputFixtures.barChart)
    #expect(bars.contains("baseline  train_s 16.1, total_s 18.5"))
  }

  @Test func bigChartJSONOmitsPoints() throws {
    let json = Renderer.json(OutputFixtures.stepChart(steps: 37_500, series: 1, log: false))
    #expect(json.contains("\"data_omitted\":true"))
    #expect(json.utf8.count < 1000)
    _ = try JSONSerialization.jsonObject(with: Data(json.utf8))
  }
}

/// A progress display's figures: integers as integers, every measured value a floating-point
/// literal (so a JSON reader keeps it a Double), non-finite values as null.
@Test(arguments: [
  (0.3121, "0.3121", "0.3121"), (1.0, "1.0", "1.0000"), (1e-5, "1e-05", "0.0000"), (.nan, "null", "nan"),
  (.infinity, "null", "inf"),
])
func progressJSONKeepsItsNumberKinds(_ c: (loss: Double, literal: String, shown: String)) {
  let update = ProgressUpdate(
    run: "r<1>", epoch: 1, epochs: 2, step: 3, stepsPerEpoch: 4, loss: c.loss, accuracy: 1, elapsed: 0.5,
    eta: 2, endOfEpoch: false, refreshesDisplay: true)
  let bundle = Renderer.mimeBundle(update)
  #expect(
    bundle.json == """
      {"run":"r<1>","epoch":1,"epochs":2,"step":3,"steps_per_epoch":4,"loss":\(c.literal),"accuracy":1.0,\
      "elapsed_s":0.5,"eta_s":2.0}
      """)
  #expect(
    bundle.data["text/html"] == """
      <div class="nndsl-progress"><b>r&lt;1&gt;</b> epoch 1/2 <progress max="8" value="3" \
      style="width:12em;vertical-align:middle"></progress> step 3/4 · loss \(c.shown) · \
      acc 100.0% · 0.5 s · ETA 2 s</div>
      """)
  #expect(bundle.plainText == update.text)
}
