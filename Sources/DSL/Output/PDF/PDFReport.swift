import Foundation

extension PaperSize {
  /// Width and height in points.
  var size: (width: Double, height: Double) {
    switch self {
    case .a4: return (595.2756, 841.8898)
    case .letter: return (612, 792)
    }
  }
}

/// Typesetting a report document as a paginated PDF: every `ReportSection` becomes measured
/// blocks (pango), the blocks go onto pages (`Paginator`), then each page is drawn with cairo,
/// charts through librsvg as vectors, with a running head and page numbers.
final class PDFReport {
  /// What was written.
  struct Output {
    var data: Data
    var pages: Int
    var charts: Int
    var tables: Int
    /// Characters no installed font could draw.
    var unknownGlyphs: Int
    /// The page model the pages were drawn from, and the blocks it refers to.
    var model: PageModel
    var blocks: [PageBlock]
    /// The text of each line of each text block (for tests of line breaking), by block index.
    var lineTexts: [Int: [String]]
  }

  static let family = "DejaVu Sans"
  static let mono = "DejaVu Sans Mono"
  static let margin = (left: 56.7, right: 56.7, top: 62.0, bottom: 62.0)

  /// One drawable thing, parallel to a `PageBlock`.
  private enum Drawable {
    /// Lines of text at an indent; a bullet drawn before the first line; a tinted box behind it.
    case text(PangoText, indent: Double, bullet: PangoText?, boxed: Bool, gray: Double)
    case heading(PangoText, level: Int)
    case table(PDFTable)
    case chart(SVGRaster.Document, width: Double, height: Double)
    case titleBlock([(PangoText, Double)], ruleAt: Double)
  }

  private let library: GraphicsLibrary
  private let paper: PaperSize
  private let pageWidth: Double
  private let pageHeight: Double
  private var contentWidth: Double { pageWidth - Self.margin.left - Self.margin.right }
  private var contentHeight: Double { pageHeight - Self.margin.top - Self.margin.bottom }

  private init(library: GraphicsLibrary, paper: PaperSize) {
    self.library = library
    self.paper = paper
    (pageWidth, pageHeight) = paper.size
  }

  /// Typesets `sections` on `paper`.
  static func render(_ sections: [ReportSection], paper: PaperSize, library: GraphicsLibrary) throws(GraphicsError)
    -> Output
  {
    try PDFReport(library: library, paper: paper).render(sections)
  }

  private func render(_ sections: [ReportSection]) throws(GraphicsError) -> Output {
    let sink = ByteSink()
    let closure = Unmanaged.passRetained(sink)
    defer { closure.release() }
    guard let surface = library.pdfSurfaceCreateForStream(ByteSink.write, closure.toOpaque(), pageWidth, pageHeight)
    else {
      throw .failed("cairo cannot make a PDF surface")
    }
    defer { library.surfaceDestroy(surface) }
    guard let cr = library.create(surface) else { throw .failed("cairo cannot draw on the PDF surface") }
    var destroyed = false
    defer { if !destroyed { library.destroy(cr) } }
    let fonts = try PangoFonts(library: library, cairo: cr)

    let title = ReportDocument.title(sections)
    let author = ReportDocument.author(sections)
    setMetadata(surface, title: title, author: author)

    var blocks: [PageBlock] = []
    var drawables: [Drawable] = []
    var lineTexts: [Int: [String]] = [:]
    var charts = 0
    var tables = 0
    for section in sections {
      switch section {
      case .titleBlock(let t):
        var parts: [(PangoText, Double)] = []
        var y = 0.0
        for (text, font, gap) in [
          (t.title, "\(Self.family) Bold 20", 6.0), (t.author ?? "", "\(Self.family) 12", 3.0),
          (t.course ?? "", "\(Self.family) 11", 3.0), (t.date, "\(Self.family) 8.5", 0.0),
        ] where !text.isEmpty {
          let layout = PangoText(fonts, text, font: font, wrapWidth: contentWidth)
          parts.append((layout, y))
          y += layout.height + gap
        }
        let ruleAt = y + 8
        blocks.append(.whole(.titleBlock, height: ruleAt + 6, spaceBefore: 0))
        drawables.append(.titleBlock(parts, ruleAt: ruleAt))
      case .heading(let level, let text):
        let sizes = [1: 17.0, 2: 13.5, 3: 11.0]
        let layout = PangoText(
          fonts, text, font: "\(Self.family) Bold \(sizes[level] ?? 10.5)", wrapWidth: contentWidth)
        let space = [1: 20.0, 2: 16.0, 3: 11.0][level] ?? 9.0
        blocks.append(
          PageBlock(
            kind: .heading(level), spaceBefore: space, slices: [layout.height + 3],
            minHead: 1, minTail: 1, keepWithNext: true))
        drawables.append(.heading(layout, level: level))
      case .paragraph(let text):
        addText(
          text, kind: .paragraph, font: "\(Self.family) 9.5", space: 6, fonts: fonts, &blocks, &drawables, &lineTexts)
      case .text(let text):
        for para in text.components(separatedBy: "\n\n")
        where !para.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
          addText(para, kind: .text, font: "\(Self.family) 10", space: 6, fonts: fonts, &blocks, &drawables, &lineTexts)
        }
      case .list(let items):
        for (i, item) in items.enumerated() {
          addText(
            item, kind: .listItem, font: "\(Self.family) 9.5", space: i == 0 ? 5 : 2, indent: 13,
            bullet: "•", fonts: fonts, &blocks, &drawables, &lineTexts)
        }
      case .findings(let items):
        addText(
          "Measured in this session:", kind: .findingsLabel, font: "\(Self.family) Italic 9.5", space: 6,
          keepWithNext: !items.isEmpty, fonts: fonts, &blocks, &drawables, &lineTexts)
        for (i, item) in items.enumerated() {
          addText(
            item, kind: .finding, font: "\(Self.family) 9.5", space: i == 0 ? 3 : 2, indent: 13,
            bullet: "▸", fonts: fonts, &blocks, &drawables, &lineTexts)
        }
      case .code(let text):
        addText(
          text, kind: .code, font: "\(Self.mono) 8.5", space: 7, indent: 6, boxed: true, fonts: fonts,
          &blocks, &drawables, &lineTexts)
      case .table(let table):
        tables += 1
        let parts = PDFTable.layout(table, width: contentWidth, fonts: fonts, family: Self.family)
        for part in parts {
          let n = part.rows.count
          blocks.append(
            PageBlock(
              kind: .table, spaceBefore: 9, head: part.head, repeatHead: part.repeatHead,
              slices: part.rowHeights, minHead: min(2, max(1, n)), minTail: min(2, max(1, n))))
          drawables.append(.table(part))
        }
        if table.rows.isEmpty {
          addText(
            "(no rows)", kind: .tableNote, font: "\(Self.family) Italic 8", space: 2, fonts: fonts, &blocks, &drawables,
            &lineTexts)
        }
        for note in table.footnotes {
          addText(
            note, kind: .tableNote, font: "\(Self.family) Italic 8", space: 3, gray: 0.3, fonts: fonts,
            &blocks, &drawables, &lineTexts)
        }
      case .chart(let chart):
        charts += 1
        let document = try SVGRaster.Document(Renderer.svg(chart), library: library)
        var w = min(contentWidth, document.width * 0.75)
        var h = w * document.height / document.width
        let maxHeight = contentHeight * 0.55
        if h > maxHeight {
          h = maxHeight
          w = h * document.width / document.height
        }
        blocks.append(.whole(.chart, height: h, spaceBefore: 10))
        drawables.append(.chart(document, width: w, height: h))
      }
    }

    let model = Paginator.paginate(blocks, pageHeight: contentHeight)
    var outline: [Int: Int32] = [:]  // the open bookmark of each heading level
    for (p, page) in model.pages.enumerated() {
      drawFurniture(cr, fonts: fonts, page: p + 1, of: model.pages.count, title: title)
      for placement in page {
        let top = Self.margin.top + placement.y
        try draw(drawables[placement.block], placement, cr: cr, top: top)
        if case .heading(let layout, let level) = drawables[placement.block] {
          // A bookmark per heading, nested under the nearest heading of a higher level.
          let parent = outline.filter { $0.key < level }.max { $0.key < $1.key }?.value ?? 0
          let id = layout.text.withCString { name in
            "page=\(p + 1) pos=[\(Self.margin.left) \(max(0, top - 6))]".withCString {
              library.pdfSurfaceAddOutline(surface, parent, name, $0, 0)
            }
          }
          outline = outline.filter { $0.key < level }
          outline[level] = id
        }
      }
      library.showPage(cr)
    }
    let status = library.status(cr)
    library.destroy(cr)
    destroyed = true
    library.surfaceFinish(surface)
    let surfaceStatus = library.surfaceStatus(surface)
    if status != 0 || surfaceStatus != 0 {
      throw .failed("cairo failed writing the PDF: \(library.statusText(status != 0 ? status : surfaceStatus))")
    }
    let unknown = drawables.map(unknownGlyphs).reduce(0, +)
    return Output(
      data: sink.data, pages: model.pages.count, charts: charts, tables: tables, unknownGlyphs: unknown,
      model: model, blocks: blocks, lineTexts: lineTexts)
  }

  /// A text block: one slice per line; a paragraph of fewer than four lines is never split.
  private func addText(
    _ text: String, kind: PageBlockKind, font: String, space: Double, indent: Double = 0, bullet: String? = nil,
    boxed: Bool = false, gray: Double = 0.08, keepWithNext: Bool = false, fonts: PangoFonts,
    _ blocks: inout [PageBlock], _ drawables: inout [Drawable], _ lineTexts: inout [Int: [String]]
  ) {
    let inset = boxed ? 2 * indent : indent
    let layout = PangoText(fonts, text, font: font, wrapWidth: contentWidth - inset)
    let bulletLayout = bullet.map { PangoText(fonts, $0, font: "\(Self.family) 9.5") }
    let heights = layout.lines.map(\.height)
    let count = heights.count
    let together = kind == .code ? 3 : 2
    let minHead = count < 2 * together ? count : together
    let pad = boxed ? 3.0 : 0
    lineTexts[blocks.count] = layout.lineTexts
    blocks.append(
      PageBlock(
        kind: kind, spaceBefore: space, head: pad, repeatHead: pad,
        slices: heights.isEmpty ? [0] : heights,
        minHead: max(1, minHead), minTail: max(1, min(together, count)), keepWithNext: keepWithNext))
    drawables.append(.text(layout, indent: indent, bullet: bulletLayout, boxed: boxed, gray: gray))
  }

  private func draw(_ drawable: Drawable, _ placement: PagePlacement, cr: UnsafeMutableRawPointer, top: Double)
    throws(GraphicsError)
  {
    let left = Self.margin.left
    switch drawable {
    case .text(let layout, let indent, let bullet, let boxed, let gray):
      if boxed {
        library.setSourceRGB(cr, 0.955, 0.955, 0.96)
        library.rectangle(cr, left, top, contentWidth, placement.height + 3)
        library.fill(cr)
      }
      library.setSourceRGB(cr, gray, gray, gray)
      let y = top + (boxed ? 3 : 0)
      if let bullet, placement.slices.lowerBound == 0 {
        bullet.draw(cr, x: left + 2, y: y)
      }
      layout.draw(cr, x: left + indent, y: y, lines: placement.slices.clamped(to: layout.lines.indices))
    case .heading(let layout, let level):
      library.setSourceRGB(cr, level == 1 ? 0.05 : 0.1, 0.12, level == 1 ? 0.2 : 0.3)
      layout.draw(cr, x: left, y: top)
    case .table(let table):
      table.draw(cr, library: library, left: left, top: top, rows: placement.slices, continued: placement.continued)
    case .chart(let document, let width, let height):
      library.save(cr)
      defer { library.restore(cr) }
      try document.draw(into: cr, x: left + (contentWidth - width) / 2, y: top, width: width, height: height)
    case .titleBlock(let parts, let ruleAt):
      library.setSourceRGB(cr, 0.05, 0.05, 0.08)
      for (layout, dy) in parts { layout.draw(cr, x: left, y: top + dy) }
      library.setSourceRGB(cr, 0.35, 0.35, 0.4)
      library.setLineWidth(cr, 0.8)
      library.moveTo(cr, left, top + ruleAt)
      library.lineTo(cr, left + contentWidth, top + ruleAt)
      library.stroke(cr)
    }
  }

  /// The running head (the title, from page 2) and the page number at the foot.
  private func drawFurniture(_ cr: UnsafeMutableRawPointer, fonts: PangoFonts, page: Int, of pages: Int, title: String)
  {
    library.setSourceRGB(cr, 0.4, 0.4, 0.4)
    let number = PangoText(fonts, "\(page) / \(pages)", font: "\(Self.family) 8")
    number.draw(cr, x: (pageWidth - number.width) / 2, y: pageHeight - Self.margin.bottom + 24)
    guard page > 1 else { return }
    let head = PangoText(fonts, title, font: "\(Self.family) Italic 8", wrapWidth: contentWidth)
    head.draw(cr, x: Self.margin.left, y: Self.margin.top - 30, lines: 0..<min(1, head.lines.count))
    library.setLineWidth(cr, 0.4)
    library.moveTo(cr, Self.margin.left, Self.margin.top - 16)
    library.lineTo(cr, pageWidth - Self.margin.right, Self.margin.top - 16)
    library.stroke(cr)
  }

  /// Title, author and creator in the PDF's document information.
  private func setMetadata(_ surface: UnsafeMutableRawPointer, title: String, author: String?) {
    // cairo_pdf_metadata_t: TITLE 0, AUTHOR 1, CREATOR 4.
    title.withCString { library.pdfSurfaceSetMetadata(surface, 0, $0) }
    if let author, !author.isEmpty { author.withCString { library.pdfSurfaceSetMetadata(surface, 1, $0) } }
    "NN-DSL kernel \(DSLInfo.version)".withCString { library.pdfSurfaceSetMetadata(surface, 4, $0) }
  }

  private func unknownGlyphs(_ d: Drawable) -> Int {
    switch d {
    case .text(let t, _, _, _, _): return t.unknownGlyphs
    case .heading(let t, _): return t.unknownGlyphs
    case .table(let t): return t.unknownGlyphs
    case .chart: return 0
    case .titleBlock(let parts, _): return parts.map { $0.0.unknownGlyphs }.reduce(0, +)
    }
  }
}
