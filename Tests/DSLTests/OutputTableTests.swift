import Testing

@testable import DSL

@Suite("OutputTable")
struct OutputTableTests {
  @Test(arguments: [
    (0.8765, Table.NumberStyle.fixed(2), "0.88"),
    (-0.004, .fixed(2), "0.00"),
    (-1.5, .fixed(0), "-2"),
    (0.8766, .percent(1), "87.7%"),
    (0.000123456, .scientific(2), "1.23e-4"),
    (9.9999, .scientific(2), "1.00e1"),
    (123456789.0, .significant(3), "1.23e8"),
    (0.5, .significant(3), "0.5"),
    (0.00085, .seconds, "850 µs"),
    (0.0123, .seconds, "12.3 ms"),
    (1.61, .seconds, "1.61 s"),
    (125.2, .seconds, "2 min 05 s"),
    (3725.0, .seconds, "1 h 02 min"),
    (0.8765, .meanSpread(0.0012, 4), "0.8765 ± 0.0012"),
    (Double.nan, .fixed(2), "NaN"),
    (-Double.infinity, .percent(2), "-inf"),
    (1e20, .fixed(2), "1.000e20"),
    (.leastNonzeroMagnitude, .scientific(2), "4.94e-324"),
    (.greatestFiniteMagnitude, .significant(3), "1.8e308"),
    (1e15, .seconds, "1.00e15 s"),
    (-0.0001, .fixed(2), "0.00"),
  ])
  func numberStyles(_ x: Double, _ style: Table.NumberStyle, _ expected: String) {
    #expect(Table.NumberStyle.format(x, style) == expected)
  }

  @Test func plainTextAlignsWideCharacters() {
    let text = Renderer.plainText(OutputFixtures.compareTable)
    let lines = text.split(separator: "\n").map(String.init)
    // Header, rule and rows: the "batch" column ends at the same display column everywhere.
    let header = lines[1]
    let rule = lines[2]
    #expect(!text.contains("|") && !text.contains("+-"))
    #expect(DisplayWidth.of(rule) == DisplayWidth.of(header.padding(rule)))
    let ends = lines[3...6].map { line -> Int in
      let upToBatch = line.range(of: "  32") ?? line.range(of: "  16") ?? line.range(of: "  64")
      return DisplayWidth.of(String(line[..<upToBatch!.upperBound]))
    }
    #expect(Set(ends).count == 1, "batch column misaligned: \(ends)")
  }

  @Test(arguments: [
    ("日本", 4), ("e\u{301}", 1), ("abc", 3), ("🙂", 2), ("\u{7}", 0), ("δ²", 2),
  ])
  func displayWidth(_ s: String, _ width: Int) {
    #expect(DisplayWidth.of(s) == width)
  }

  @Test func htmlIsWellFormedAndEscaped() throws {
    let html = Renderer.html(OutputFixtures.compareTable)
    #expect(try OutputTestTools.xmllint(html) == "", "not well-formed XML")
    #expect(try OutputTestTools.xmllint("<html><body>" + html + "</body></html>", html: true) == "")
    #expect(html.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt; it&#39;s"))
    #expect(!html.contains("<b>"))
    #expect(
      !html.contains("color:") && !html.contains("background"), "theme colours must be inherited")
  }

  @Test(arguments: [
    ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("two\nlines", "\"two\nlines\""), (" padded", "\" padded\""), ("", ""),
  ])
  func csvQuoting(_ field: String, _ expected: String) {
    #expect(TextEscaping.csvField(field) == expected)
  }

  @Test func csvRecords() {
    let csv = Renderer.csv(OutputFixtures.compareTable)
    let records = csv.components(separatedBy: "\r\n")
    #expect(records.count == 6)  // header, 4 rows, trailing empty
    #expect(records[0] == "run,changed,batch,train_s (s),total,test_acc,δ² layer 1,loss")
    #expect(records[1].hasPrefix("baseline,—,32,16.1234,18.5,0.8846,0.000123456,0.3312"))
    #expect(records[3].hasPrefix("\"lr_high, \"\"fast\"\"\",lr=0.01,32,15.9,0.0123,NaN,inf,"))
    #expect(records[4].hasSuffix(",,0.87,1.5,"))  // missing cells empty, short row padded
  }

  @Test func shortAndLongRowsAreNormalised() {
    let t = Table(
      columns: [.init("a"), .init("b")],
      rows: [[.integer(1)], [.integer(1), .integer(2), .integer(3)]])
    #expect(t.normalizedRows == [[.integer(1), .missing], [.integer(1), .integer(2)]])
    #expect(Renderer.plainText(Table(columns: [.init("a")])).contains("(no rows)"))
  }
}

extension String {
  /// `self` padded with spaces to the display width of `other` (test helper).
  fileprivate func padding(_ other: String) -> String {
    self + String(repeating: " ", count: max(0, DisplayWidth.of(other) - DisplayWidth.of(self)))
  }
}
