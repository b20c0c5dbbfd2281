import Foundation

/// Pango's fixed-point unit: 1024 per point (cairo's PDF user unit is the point).
private let pangoScale = 1024.0

/// A pango context at 72 dpi (font sizes in points, as on the page) and the fonts used with it.
final class PangoFonts {
  let library: GraphicsLibrary
  let context: UnsafeMutableRawPointer
  private var descriptions: [String: UnsafeMutableRawPointer] = [:]
  private var scratch: [String: PangoText] = [:]

  init(library: GraphicsLibrary, cairo cr: UnsafeMutableRawPointer) throws(GraphicsError) {
    self.library = library
    guard let context = library.cairoCreateContext(cr) else { throw .failed("pango cannot make a text context") }
    library.cairoContextSetResolution(context, 72)
    self.context = context
  }

  deinit {
    scratch.removeAll()
    for d in descriptions.values { library.fontDescriptionFree(d) }
    library.objectUnref(context)
  }

  /// The font description for a pango font string ("DejaVu Sans Bold 12").
  func description(_ font: String) -> UnsafeMutableRawPointer? {
    if let d = descriptions[font] { return d }
    let d = font.withCString { library.fontDescriptionFromString($0) }
    descriptions[font] = d
    return d
  }

  /// The natural (unwrapped) width of `text` in `font`, in points.
  func width(_ text: String, font: String) -> Double {
    let layout: PangoText
    if let known = scratch[font] {
      layout = known
      layout.setText(text)
    } else {
      layout = PangoText(self, text, font: font)
      scratch[font] = layout
    }
    return layout.width
  }

  /// The widest space-separated word of `text`: the narrowest a wrapped cell can be.
  func widestWord(_ text: String, font: String) -> Double {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    if words.count <= 1 { return width(text, font: font) }
    return words.map { width(String($0), font: font) }.max() ?? 0
  }
}

/// One piece of text laid out by pango, at a fixed width (wrapped at word boundaries, a word
/// broken only when it is wider than the line) or unwrapped, with the position of each line.
final class PangoText {
  /// A laid-out line, positions in points from the top of the text.
  struct Line: Equatable {
    var top: Double
    var bottom: Double
    var baseline: Double
    /// The line's logical width.
    var width: Double
    /// The line's text as a byte range of the UTF-8 text.
    var start: Int
    var length: Int
    var height: Double { bottom - top }
  }

  let fonts: PangoFonts
  let layout: UnsafeMutableRawPointer
  private(set) var text: String
  private(set) var lines: [Line] = []
  private(set) var width = 0.0
  private(set) var height = 0.0

  /// Lays out `text`; `wrapWidth` nil leaves every line unbroken.
  init(_ fonts: PangoFonts, _ text: String, font: String, wrapWidth: Double? = nil) {
    self.fonts = fonts
    let library = fonts.library
    layout = library.layoutNew(fonts.context)!
    self.text = ""
    library.layoutSetFontDescription(layout, fonts.description(font))
    if let wrapWidth {
      library.layoutSetWidth(layout, Int32(max(1, wrapWidth) * pangoScale))
      library.layoutSetWrap(layout, 2)  // PANGO_WRAP_WORD_CHAR
    }
    setText(text)
  }

  deinit { fonts.library.objectUnref(layout) }

  /// Replaces the text and measures again. NUL and other control characters (but newline and
  /// tab) become spaces: pango would stop at a NUL or draw the others as hex boxes.
  func setText(_ newText: String) {
    let clean = String(
      String.UnicodeScalarView(
        newText.unicodeScalars.map { s in
          (s.value < 0x20 && s != "\n" && s != "\t") || s.value == 0x7F ? " " : s
        }))
    text = clean
    let library = fonts.library
    clean.withCString { library.layoutSetText(layout, $0, -1) }
    var w: Int32 = 0
    var h: Int32 = 0
    library.layoutGetSize(layout, &w, &h)
    width = Double(w) / pangoScale
    height = Double(h) / pangoScale
    lines = []
    guard let iter = library.layoutGetIter(layout) else { return }
    defer { library.layoutIterFree(iter) }
    var index: Int32 = 0
    repeat {
      var y0: Int32 = 0
      var y1: Int32 = 0
      library.layoutIterGetLineYrange(iter, &y0, &y1)
      let baseline = library.layoutIterGetBaseline(iter)
      var start = 0
      var length = 0
      var lineWidth = 0.0
      if let line = library.layoutGetLineReadonly(layout, index) {
        // PangoLayoutLine: a PangoLayout pointer, then gint start_index and gint length.
        start = Int(line.load(fromByteOffset: MemoryLayout<UnsafeRawPointer>.size, as: Int32.self))
        length = Int(line.load(fromByteOffset: MemoryLayout<UnsafeRawPointer>.size + 4, as: Int32.self))
        // PangoRectangle: x, y, width, height as gint.
        var logical: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        withUnsafeMutablePointer(to: &logical) { library.layoutLineGetExtents(line, nil, UnsafeMutableRawPointer($0)) }
        lineWidth = Double(logical.2) / pangoScale
      }
      lines.append(
        Line(
          top: Double(y0) / pangoScale, bottom: Double(y1) / pangoScale,
          baseline: Double(baseline) / pangoScale, width: lineWidth, start: start, length: length))
      index += 1
    } while library.layoutIterNextLine(iter) != 0
  }

  /// Characters no installed font has a glyph for (drawn as boxes).
  var unknownGlyphs: Int { Int(fonts.library.layoutGetUnknownGlyphsCount(layout)) }

  /// The text of each line as laid out.
  var lineTexts: [String] {
    let bytes = Array(text.utf8)
    return lines.map { line in
      let end = min(bytes.count, line.start + line.length)
      let start = min(line.start, end)
      return String(decoding: bytes[start..<end], as: UTF8.self)
    }
  }

  /// Draws lines `range` with the first one's top at (x, y); with `alignedIn`, each line is
  /// aligned within a box of that width starting at x.
  func draw(
    _ cr: UnsafeMutableRawPointer, x: Double, y: Double, lines range: Range<Int>? = nil,
    alignedIn box: (width: Double, alignment: Table.Alignment)? = nil
  ) {
    let range = range ?? lines.indices
    guard !range.isEmpty else { return }
    let library = fonts.library
    let top = lines[range.lowerBound].top
    for i in range {
      guard let line = library.layoutGetLineReadonly(layout, Int32(i)) else { continue }
      var dx = 0.0
      if let box {
        switch box.alignment {
        case .left: dx = 0
        case .right: dx = max(0, box.width - lines[i].width)
        case .center: dx = max(0, (box.width - lines[i].width) / 2)
        }
      }
      library.moveTo(cr, x + dx, y + lines[i].baseline - top)
      library.cairoShowLayoutLine(cr, line)
    }
  }
}
