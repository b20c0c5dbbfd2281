import Foundation
import Testing

@testable import DSL

/// The paginator's rules on measured blocks, without any fonts: one case per rule.
@Suite("PageModel")
struct PageModelTests {
  static func text(_ lines: Int, _ h: Double = 10, space: Double = 5) -> PageBlock {
    PageBlock(
      kind: .paragraph, spaceBefore: space, slices: Array(repeating: h, count: lines),
      minHead: lines < 4 ? lines : 2, minTail: min(2, lines))
  }
  static func heading(_ h: Double = 20) -> PageBlock {
    PageBlock(kind: .heading(2), spaceBefore: 10, slices: [h], minHead: 1, minTail: 1, keepWithNext: true)
  }
  static func table(rows: Int) -> PageBlock {
    PageBlock(
      kind: .table, spaceBefore: 8, head: 30, repeatHead: 28, slices: Array(repeating: 12, count: rows),
      minHead: 2, minTail: 2)
  }

  struct Case: CustomTestStringConvertible {
    var name: String
    var blocks: [PageBlock]
    var height: Double
    /// Expected (block, slices) per page.
    var pages: [[(Int, Range<Int>)]]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "everything fits on one page", blocks: [heading(), text(3), text(2)], height: 200,
      pages: [[(0, 0..<1), (1, 0..<3), (2, 0..<2)]]),
    Case(
      name: "a heading that would end a page moves to the next with its paragraph",
      blocks: [text(8), heading(), text(5)], height: 110,
      pages: [[(0, 0..<8)], [(1, 0..<1), (2, 0..<5)]]),
    Case(
      name: "two headings in a row move together", blocks: [text(7), heading(), heading(), text(4)], height: 120,
      pages: [[(0, 0..<7)], [(1, 0..<1), (2, 0..<1), (3, 0..<4)]]),
    Case(
      name: "a paragraph splits between lines, leaving no single orphan or widow",
      blocks: [text(9), text(6)], height: 120,
      pages: [[(0, 0..<9), (1, 0..<2)], [(1, 2..<6)]]),
    Case(
      name: "a widow is avoided by moving one more line over", blocks: [text(7), text(5)], height: 120,
      pages: [[(0, 0..<7), (1, 0..<3)], [(1, 3..<5)]]),
    Case(
      name: "a short paragraph is never split", blocks: [text(10), text(3)], height: 115,
      pages: [[(0, 0..<10)], [(1, 0..<3)]]),
    Case(
      name: "a long table splits between rows with its header repeated", blocks: [table(rows: 20)], height: 150,
      pages: [[(0, 0..<10)], [(0, 10..<20)]]),
    Case(
      name: "a heading before a table stays with its header and first rows",
      blocks: [text(6), heading(), table(rows: 6)], height: 110,
      pages: [[(0, 0..<6)], [(1, 0..<1), (2, 0..<4)], [(2, 4..<6)]]),
    Case(
      name: "a block taller than a page is placed on its own page",
      blocks: [text(2), .whole(.chart, height: 300, spaceBefore: 5)],
      height: 100, pages: [[(0, 0..<2)], [(1, 0..<1)]]),
  ]

  @Test(arguments: cases)
  func paginates(_ c: Case) {
    let model = Paginator.paginate(c.blocks, pageHeight: c.height)
    let got = model.pages.map { $0.map { "\($0.block):\($0.slices)" } }
    let want = c.pages.map { $0.map { "\($0.0):\($0.1)" } }
    #expect(got == want)
    #expect(model.strandedPages(c.blocks).isEmpty)
    // Every slice of every block is placed exactly once, in order.
    for (i, b) in c.blocks.enumerated() {
      let placed = model.pages.flatMap { $0 }.filter { $0.block == i }.flatMap { Array($0.slices) }
      #expect(placed == Array(b.slices.indices))
    }
    // Nothing but a forced oversize block runs past the page foot.
    for page in model.pages {
      for p in page where p.height <= c.height { #expect(p.y + p.height <= c.height + 1e-6) }
    }
  }

  /// A property check over many random documents: no page ends with a heading.
  @Test func noRandomDocumentStrandsAHeading() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<300 {
      var blocks: [PageBlock] = []
      for _ in 0..<Int.random(in: 5...40, using: &rng) {
        // At most three headings in a row: a longer chain could not share any page with its text.
        let headings = blocks.suffix(3).filter(\.keepWithNext).count
        switch Int.random(in: headings == 3 ? 1..<4 : 0..<4, using: &rng) {
        case 0: blocks.append(Self.heading(Double.random(in: 12...30, using: &rng)))
        case 1: blocks.append(Self.text(Int.random(in: 1...30, using: &rng)))
        case 2: blocks.append(Self.table(rows: Int.random(in: 1...40, using: &rng)))
        default: blocks.append(.whole(.chart, height: Double.random(in: 50...250, using: &rng), spaceBefore: 8))
        }
      }
      let model = Paginator.paginate(blocks, pageHeight: 500)
      #expect(model.strandedPages(blocks).isEmpty)
    }
  }
}

/// PDF reports checked with poppler-utils (pdfinfo, pdftotext, pdftoppm, pdffonts) and through
/// the layout engine's own page model.
@Suite("ReportPDF", .serialized)
struct ReportPDFTests {
  static func library() throws -> GraphicsLibrary {
    switch GraphicsLibrary.load() {
    case .success(let l): return l
    case .failure(let e):
      Issue.record("\(e)")
      throw e
    }
  }

  /// A session with the study's shape on a tiny generated data set: a baseline and the five P1
  /// variants, a zero_grad=off run, and the first run dressed as a GPU run.
  static func studySession() throws -> SessionFixture {
    let f = try SessionFixture()
    let outcome = f.run(
      """
      \(f.load)
      model 784-16-relu-10
      set epochs=2 seed=1
      train batch=32 lr=1e-3 opt=adam as baseline
      sweep batch=16,64
      train lr=0.01 as lr_high
      train lr=1e-4 as lr_low
      train opt=sgd as sgd
      train zero_grad=off as no_zero_grad
      """)
    #expect(outcome == .ok, "\(outcome)")
    var gpuRun = f.session.runs[0]
    gpuRun.gpuEvidence = GPUEvidenceReportTests.evidence
    gpuRun.backend = GPUEvidenceReportTests.evidence.backend
    gpuRun.notes = [GPUEvidenceReportTests.evidence.note]
    f.session.runs[0] = gpuRun
    return f
  }

  static let title = ReportTitle(
    title: "Fashion-MNIST: batch size, learning rate and gradient zeroing", author: "Kim Min-jun (김민준)",
    course: "데이터 과학 입문 (Introduction to Data Science), autumn 2026", date: "2026-12-01 10:00")
  static let ownWords = "These are my own words about the runs: the learning rate 0.01 converges fastest here."

  static func text(_ pdf: String, tools: (String) throws -> String) throws -> String {
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("t.txt").path
    let tool = try tools("pdftotext")
    let r = try OutputTestTools.run(tool, ["-enc", "UTF-8", pdf, out])
    #expect(r.status == 0, "\(r.stderr)")
    return try String(contentsOfFile: out, encoding: .utf8)
  }

  static func poppler(_ name: String) throws -> String {
    try OutputTestTools.require(name, package: "poppler-utils")
  }

  /// pdfinfo's "Key: value" lines.
  static func info(_ pdf: String) throws -> [String: String] {
    let tool = try poppler("pdfinfo")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = [pdf]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "pdfinfo rejects \(pdf)")
    var fields: [String: String] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return fields
  }

  @Test func theStudyReportIsAValidPaginatedA4PDF() throws {
    let f = try Self.studySession()
    #expect(f.run("report file=\"report.pdf\"") == .ok)
    let path = f.directory + "/out/report.pdf"
    let info = try Self.info(path)
    #expect(info["Page size"]?.contains("(A4)") == true, "\(info)")
    let pages = Int(info["Pages"] ?? "") ?? 0
    #expect((3...40).contains(pages), "\(pages) pages")
    #expect(info["Title"] == "Training study report" || info["Title"]?.isEmpty == false)

    let text = try Self.text(path, tools: Self.poppler)
    for run in f.session.runNames { #expect(text.contains(run), "the PDF lacks run \(run)") }
    for needle in [
      "P1 — parameters vs time and accuracy", "P2 — δ² at the output of the first Linear layer",
      "P3 — gradient zeroing", "GPU use and how it was verified", "NVIDIA H200", "Environment", "Method",
    ] {
      #expect(text.contains(needle), "the PDF lacks \(needle)")
    }
    // Page numbers at each foot ("3 / 7"; pdftotext may drop the space before the slash).
    let squeezed = text.filter { $0 != " " }
    for page in 1...max(1, pages) { #expect(squeezed.contains("\(page)/\(pages)"), "no page number \(page)") }
    // Every page has ink on it.
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try OutputTestTools.run(try Self.poppler("pdftoppm"), ["-r", "30", "-png", path, dir.path + "/p"])
    #expect(r.status == 0, "\(r.stderr)")
    let images = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }.sorted()
    #expect(images.count == pages)
    for name in images {
      let image = try DecodedImage(png: Data(contentsOf: dir.appendingPathComponent(name)))
      var dark = 0
      for i in stride(from: 0, to: image.pixels.count, by: 4) where image.pixels[i] < 160 { dark += 1 }
      #expect(dark > 200, "page \(name) is (nearly) blank: \(dark) dark pixels")
    }
    // The notebook summary: a link, the page count, the sections.
    guard case .report(let summary) = try #require(f.items.last) else {
      Issue.record("report did not emit a summary: \(String(describing: f.items.last))")
      return
    }
    #expect(summary.pages == pages && summary.format == .pdf && summary.sections.contains("P3 — gradient zeroing"))
    let bundle = Renderer.mimeBundle(.report(summary))
    #expect(bundle.plainText.hasPrefix("wrote the report to \(path) (\(pages) pages"))
    #expect(bundle.data["text/html"]?.contains("P1 — parameters vs time and accuracy") == true)
  }

  /// The page model of the study's report: no heading or label ends a page, every block placed.
  @Test(arguments: PaperSize.allCases)
  func noPageEndsWithAHeading(_ paper: PaperSize) throws {
    let f = try Self.studySession()
    let sections = [ReportSection.titleBlock(Self.title), .text(Self.ownWords)] + f.session.reportSections()
    let pdf = try PDFReport.render(sections, paper: paper, library: try Self.library())
    #expect(
      pdf.model.strandedPages(pdf.blocks).isEmpty, "pages ending with a heading: \(pdf.model.strandedPages(pdf.blocks))"
    )
    #expect(pdf.pages == pdf.model.pages.count && pdf.pages >= 3)
    let placed = Set(pdf.model.pages.flatMap { $0.map(\.block) })
    #expect(placed == Set(pdf.blocks.indices))
    #expect(pdf.unknownGlyphs == 0, "Korean title and author must render with a real font")
  }

  /// The title block and the student's words reach the PDF, Korean included, with no missing
  /// glyph; the author goes into the document information; letter paper is letter-sized.
  @Test func titleAuthorAndOwnWordsInKoreanAndLetterPaper() throws {
    let f = try Self.studySession()
    let sections = [ReportSection.titleBlock(Self.title), .text(Self.ownWords)] + f.session.reportSections()
    let pdf = try PDFReport.render(sections, paper: .letter, library: try Self.library())
    let path = f.directory + "/letter.pdf"
    try pdf.data.write(to: URL(fileURLWithPath: path))
    let info = try Self.info(path)
    #expect(info["Page size"]?.hasPrefix("612 x 792") == true, "\(info)")
    #expect(info["Title"] == Self.title.title && info["Author"] == Self.title.author)
    let text = try Self.text(path, tools: Self.poppler)
    for needle in [Self.title.title, "김민준", "데이터 과학 입문", "These are my own words about the runs"] {
      #expect(text.contains(needle), "the PDF lacks \(needle)")
    }
    #expect(pdf.unknownGlyphs == 0)
    // The Korean glyphs come from an embedded CJK font, not from boxes.
    let fonts = Process()
    fonts.executableURL = URL(fileURLWithPath: try Self.poppler("pdffonts"))
    fonts.arguments = [path]
    let pipe = Pipe()
    fonts.standardOutput = pipe
    try fonts.run()
    let list = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    fonts.waitUntilExit()
    #expect(
      list.contains("CJK") || list.contains("Nanum") || list.contains("UnDotum"), "no CJK font embedded:\n\(list)")
  }

  /// Every kind of report section reaches every format.
  @Test func everySectionKindRendersInEveryFormat() throws {
    let sections: [ReportSection] = [
      .titleBlock(
        ReportTitle(title: "Title words", author: "Author words", course: "Course words", date: "2026-12-01")),
      .heading(1, "Heading one"), .heading(2, "Heading two"), .heading(3, "Heading three"),
      .paragraph("Paragraph words."), .text("Own words first.\n\nOwn words second."),
      .list(["List item words"]), .findings(["Finding words 3.45e-3"]),
      .code("zero_grad()   # code words\nforward()"),
      .table(
        Table(
          title: "Table words", columns: [.init("name"), .init("value", alignment: .right)],
          rows: [[.text("cell words"), .number(0.25, .fixed(2))]], footnotes: ["Footnote words"])),
      .chart(OutputFixtures.epochChart),
    ]
    let words = [
      "Title words", "Author words", "Course words", "Heading one", "Heading two", "Heading three",
      "Paragraph words.", "Own words first.", "Own words second.", "List item words", "Measured in this session:",
      "Finding words 3.45e-3", "zero_grad()", "code words", "Table words", "cell words", "0.25", "Footnote words",
    ]
    let pdf = try PDFReport.render(sections, paper: .a4, library: try Self.library())
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("all.pdf").path
    try pdf.data.write(to: URL(fileURLWithPath: path))
    let text = try Self.text(path, tools: Self.poppler)
    for w in words + [OutputFixtures.epochChart.title] { #expect(text.contains(w), "the PDF lacks \(w)") }
    #expect(pdf.charts == 1 && pdf.tables == 1)
    let kinds = pdf.blocks.map(\.kind)
    for kind: PageBlockKind in [
      .titleBlock, .heading(1), .heading(2), .heading(3), .paragraph, .text, .listItem,
      .findingsLabel, .finding, .code, .table, .tableNote, .chart,
    ] {
      #expect(kinds.contains(kind), "no \(kind) block")
    }
    let html = ReportHTML.render(sections, paper: .a4)
    let md = ReportMarkdown.render(sections, stem: "r")
    for w in words {
      #expect(html.contains(w), "the HTML lacks \(w)")
      #expect(md.text.contains(w), "the Markdown lacks \(w)")
    }
    #expect(
      html.contains("<svg") && md.figures.count == 1
        && md.text.contains("![\(OutputFixtures.epochChart.title)](r-figure1.svg)"))
  }

  /// Characters no installed font has are counted (the session warns with the font to install).
  @Test func charactersWithoutAFontAreCounted() throws {
    let pdf = try PDFReport.render(
      [.heading(1, "Glyphs"), .text("Private use: \u{F0000}\u{F0001}")], paper: .a4,
      library: try Self.library())
    #expect(pdf.unknownGlyphs == 2)
  }

  /// 10,000 characters of the student's text flow over pages, split only between lines.
  @Test func aTenThousandCharacterTextFlowsOverPages() throws {
    let sentence = "The gradient at the first layer shrinks as training converges, 3.453e-3 to 1.2e-4 per step. "
    let long = String(String(repeating: sentence, count: 10_000 / sentence.count + 1).prefix(10_000))
    let unbroken = String(repeating: "x", count: 3_000)
    let sections: [ReportSection] = [.heading(1, "Long text"), .text(long), .heading(2, "Unbroken"), .text(unbroken)]
    let pdf = try PDFReport.render(sections, paper: .a4, library: try Self.library())
    #expect(pdf.pages >= 3)
    #expect(pdf.model.strandedPages(pdf.blocks).isEmpty)
    let textBlock = try #require(pdf.blocks.firstIndex { $0.kind == .text })
    let lines = try #require(pdf.lineTexts[textBlock])
    #expect(lines.joined() == long, "every character is laid out once, in order")
    // e-notation is never broken across lines: every number is whole within one line.
    let broken = lines.joined(separator: "\n")
    for number in ["3.453e-3", "1.2e-4"] {
      #expect(
        broken.components(separatedBy: number).count == long.components(separatedBy: number).count, "\(number) broken")
    }
    let pieces = pdf.model.pages.flatMap { $0 }.filter { $0.block == textBlock }
    #expect(pieces.count >= 2, "the text spans pages")
    // A word longer than the line is broken rather than run off the page.
    let wordBlock = try #require(pdf.blocks.lastIndex { $0.kind == .text })
    #expect((pdf.lineTexts[wordBlock]?.count ?? 0) > 5)
  }

  /// Wide tables fit the page: numbers keep their width, too many columns split into parts that
  /// repeat the first column; a long table continues with its header on the next page.
  @Test func wideAndLongTablesFitThePage() throws {
    let columns = [Table.Column("run")] + (1...16).map { Table.Column("δ² L\($0) mean", alignment: .right) }
    let rows: [[Table.Cell]] = (0..<120).map { r in
      [.text("run_\(r)")] + (1...16).map { .number(Double($0) * 1.2345e-3 / Double(r + 1), .scientific(3)) }
    }
    let wide = Table(title: "Wide", columns: columns, rows: rows, footnotes: ["a note"])
    let pdf = try PDFReport.render([.heading(1, "Tables"), .table(wide)], paper: .a4, library: try Self.library())
    let tableBlocks = pdf.blocks.indices.filter { pdf.blocks[$0].kind == .table }
    #expect(tableBlocks.count >= 2, "16 numeric columns cannot fit A4 at a readable size")
    #expect(pdf.model.pages.flatMap { $0 }.contains { $0.continued }, "120 rows continue on a later page")
    #expect(pdf.model.strandedPages(pdf.blocks).isEmpty)
    let library = try Self.library()
    let sink = ByteSink()
    let surface = try #require(
      library.pdfSurfaceCreateForStream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(), 595, 842))
    defer { library.surfaceDestroy(surface) }
    let cr = try #require(library.create(surface))
    defer { library.destroy(cr) }
    let fonts = try PangoFonts(library: library, cairo: cr)
    let parts = PDFTable.layout(wide, width: 481, fonts: fonts, family: PDFReport.family)
    for part in parts {
      #expect(part.totalWidth <= 481 + 0.01)
      #expect(part.columns.first?.name == "run")
      for row in part.rows { for cell in row { #expect(cell.lines.count == 1, "'\(cell.text)' wrapped") } }
    }
    #expect(parts.flatMap { $0.columns.dropFirst() }.count == 16, "every column appears once")
  }

  /// Without cairo, pango or librsvg a PDF report is refused with the packages to install, and
  /// no file is left; HTML still works.
  @Test func missingLibrariesGiveAClearErrorAndNoFile() throws {
    let f = try SessionFixture()
    let missing = Session(environment: ["HOME": f.directory, "NNDSL_CAIRO_PATH": f.directory + "/no/libcairo.so.2"])
    missing.outputDirectory = f.directory + "/out"
    var items: [OutputItem] = []
    let outcome = missing.execute(
      "\(f.load)\nmodel 784-8-relu-10\nset epochs=1\ntrain as a\nreport file=\"r.pdf\"",
      emit: { items.append($0) }, progress: { _ in }, shouldStop: { false })
    let error = try #require(outcome.error)
    let message = error.traceback.joined(separator: "\n")
    #expect(message.contains("cannot write a PDF report") && message.contains("NNDSL_CAIRO_PATH="))
    #expect(message.contains("libcairo2") && message.contains("librsvg2-2") && message.contains("apt-get install"))
    #expect(!FileManager.default.fileExists(atPath: f.directory + "/out/r.pdf"))
    #expect(
      missing.execute("report file=\"r.html\"", emit: { items.append($0) }, progress: { _ in }, shouldStop: { false })
        == .ok)
  }

  /// An unwritable path is a clear error that names it, with nothing left behind.
  @Test(arguments: ["file/report.pdf", "dir"])
  func unwritablePathsAreClearErrors(_ name: String) throws {
    let f = try SessionFixture()
    #expect(f.run("\(f.load)\nmodel 784-8-relu-10\nset epochs=1\ntrain as a") == .ok)
    let out = f.directory + "/out"
    try FileManager.default.createDirectory(atPath: out + "/dir", withIntermediateDirectories: true)
    try Data("not a directory".utf8).write(to: URL(fileURLWithPath: out + "/file"))
    let outcome = f.run("report file=\"\(name)\" format=pdf")
    let error = try #require(outcome.error)
    #expect(error.traceback.joined().contains("\(out)/\(name)"), "\(error.traceback)")
    let left = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
    #expect(left == ["dir", "file"], "nothing may be left behind: \(left)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/dir").isEmpty)
  }

  /// The HTML report prints well: paper size, headings kept with what follows, numbers unwrapped.
  @Test func htmlHasAPrintStylesheet() throws {
    let f = try Self.studySession()
    #expect(f.run("report file=\"r.html\" paper=letter") == .ok)
    let html = try String(contentsOfFile: f.directory + "/out/r.html", encoding: .utf8)
    for needle in [
      "@media print", "@page{size:letter", "break-after:avoid", "thead{display:table-header-group}",
      "<div class=\"keep\">\n<h2>P1", "white-space:nowrap",
    ] {
      #expect(html.contains(needle), "report.html lacks \(needle)")
    }
  }
}

/// Charts carry a PNG of their SVG in the display bundle.
@Suite("ChartPNG")
struct ChartPNGTests {
  @Test func theBundleCarriesAPNGOfTheSVGAtTwiceItsSize() throws {
    _ = try ReportPDFTests.library()
    let bundle = Renderer.mimeBundle(.chart(OutputFixtures.epochChart))
    let base64 = try #require(bundle.data["image/png"], "no image/png in \(bundle.data.keys.sorted())")
    let png = try DecodedImage(png: try #require(Data(base64Encoded: base64)))
    let svg = try OutputTestTools.rasterise(try #require(bundle.data["image/svg+xml"]))
    #expect(png.width == 2 * svg.width && png.height == 2 * svg.height)
    // Not blank: plenty of dark (text, axis) and coloured (series) pixels.
    var dark = 0
    for i in stride(from: 0, to: png.pixels.count, by: 4) where png.pixels[i + 3] > 200 && png.pixels[i] < 100 {
      dark += 1
    }
    #expect(dark > 1000)
    // And a one-page vector PDF of the same size (1 px = 0.75 pt), with the chart's text in it.
    let pdf = try #require(bundle.data["application/pdf"].flatMap { Data(base64Encoded: $0) })
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("chart.pdf").path
    try pdf.write(to: URL(fileURLWithPath: path))
    let info = try ReportPDFTests.info(path)
    #expect(info["Pages"] == "1")
    #expect(
      info["Page size"]?.hasPrefix("\(NumberFormatting.trimZeros(NumberFormatting.fixed(Double(svg.width) * 0.75, 0)))")
        == true, "\(info)")
    let text = try ReportPDFTests.text(path, tools: ReportPDFTests.poppler)
    #expect(text.contains(OutputFixtures.epochChart.title))
  }

  @Test func scriptWriterWritesThePNGBesideTheSVGWhenAsked() throws {
    _ = try ReportPDFTests.library()
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let writer = try ScriptOutputWriter(directory: dir.path, png: true)
    let paths = try writer.write(.chart(OutputFixtures.barChart), cellIndex: 1)
    #expect(
      paths.map { URL(fileURLWithPath: $0).lastPathComponent } == [
        "01-training-time-vs-total-time.svg", "01-training-time-vs-total-time.png",
      ])
    _ = try DecodedImage(png: Data(contentsOf: URL(fileURLWithPath: paths[1])))
    let plain = try ScriptOutputWriter(directory: dir.path + "/plain")
    #expect(try plain.write(.chart(OutputFixtures.barChart), cellIndex: 1).count == 1)
  }

  @Test func aMissingLibraryIsRememberedAsAFailureNamingThePackages() {
    let result = GraphicsLibrary.load(environment: ["NNDSL_RSVG_PATH": "/nonexistent/librsvg-2.so.2"])
    guard case .failure(let error) = result else {
      Issue.record("a missing librsvg must not load")
      return
    }
    #expect("\(error)".contains("NNDSL_RSVG_PATH=/nonexistent/librsvg-2.so.2"))
    #expect("\(error)".contains(GraphicsLibrary.packages))
  }
}
