/// A table laid out to the page width: column widths chosen like a browser's automatic table
/// layout, numbers never wrapped, text columns wrapped at spaces when the natural widths do not
/// fit, a smaller type size next, and as a last resort the columns split over several tables
/// that each repeat the first column.
final class PDFTable {
  /// Type sizes tried, largest first.
  static let sizes = [8.5, 8.0, 7.5, 7.0]
  static let padX = 4.0
  static let padY = 2.2

  let columns: [Table.Column]
  /// Left edge and width of each column's box (padding included), from the table's left.
  let x: [Double]
  let widths: [Double]
  let caption: PangoText?
  let continuedCaption: PangoText?
  let header: [PangoText]
  let rows: [[PangoText]]
  let headerHeight: Double
  let rowHeights: [Double]
  let captionGap = 3.0

  /// Height above the rows on the first page: caption and header row.
  var head: Double { (caption.map { $0.height + captionGap } ?? 0) + headerHeight }
  /// Height above the rows on later pages: the "(continued)" caption and the header row.
  var repeatHead: Double { (continuedCaption.map { $0.height + captionGap } ?? 0) + headerHeight }
  var totalWidth: Double { widths.reduce(0, +) }

  private init(
    columns: [Table.Column], x: [Double], widths: [Double], caption: PangoText?, continuedCaption: PangoText?,
    header: [PangoText], rows: [[PangoText]]
  ) {
    self.columns = columns
    self.x = x
    self.widths = widths
    self.caption = caption
    self.continuedCaption = continuedCaption
    self.header = header
    self.rows = rows
    headerHeight = (header.map(\.height).max() ?? 0) + 2 * Self.padY
    rowHeights = rows.map { ($0.map(\.height).max() ?? 0) + 2 * Self.padY }
  }

  /// Lays `table` out within `width` points; more than one table when its columns cannot fit.
  static func layout(_ table: Table, width: Double, fonts: PangoFonts, family: String) -> [PDFTable] {
    let rows = table.normalizedRows
    for (n, size) in sizes.enumerated() {
      let body = "\(family) \(size)"
      let bold = "\(family) Bold \(size)"
      let measured = measure(table, rows, body: body, bold: bold, fonts: fonts)
      let natural = measured.map(\.natural).reduce(0, +)
      let minimal = measured.map(\.minimal).reduce(0, +)
      var chosen: [Double]?
      if natural <= width {
        chosen = measured.map(\.natural)
      } else if minimal <= width {
        // Give each column its minimum, then share what is left in proportion to what it lacks.
        let lack = natural - minimal
        let extra = width - minimal
        chosen = measured.map { $0.minimal + (lack > 0 ? ($0.natural - $0.minimal) * extra / lack : 0) }
      } else if n == sizes.count - 1 {
        return split(table, rows, measured: measured, width: width, fonts: fonts, family: family)
      }
      if let chosen {
        return [
          build(table, rows, widths: chosen, measured: measured, body: body, bold: bold, fonts: fonts, family: family)
        ]
      }
    }
    return []
  }

  /// What one column needs: its unwrapped width, and the narrowest it may be (its widest word
  /// for text, its widest value for numbers), padding included.
  struct ColumnNeed {
    var natural: Double
    var minimal: Double
    var wraps: Bool
  }

  private static func measure(_ table: Table, _ rows: [[Table.Cell]], body: String, bold: String, fonts: PangoFonts)
    -> [ColumnNeed]
  {
    table.columns.indices.map { c in
      var natural = fonts.width(table.columns[c].header, font: bold)
      var minimal = fonts.widestWord(table.columns[c].header, font: bold)
      var wraps = false
      for row in rows {
        let text = row[c].displayText
        let w = fonts.width(text, font: body)
        natural = max(natural, w)
        switch row[c] {
        case .text:
          // Text wraps at its spaces; a single word (a number written as text) never breaks.
          if text.contains(" ") || text.contains("\n") {
            wraps = true
            minimal = max(minimal, fonts.widestWord(text, font: body))
          } else {
            minimal = max(minimal, w)
          }
        case .integer, .number, .missing:
          minimal = max(minimal, w)
        }
      }
      // One point of slack keeps pango from breaking a word whose width was rounded.
      let pad = 2 * padX + 1
      return ColumnNeed(natural: natural + pad, minimal: min(natural, max(minimal, 0)) + pad, wraps: wraps)
    }
  }

  private static func build(
    _ table: Table, _ rows: [[Table.Cell]], widths: [Double], measured: [ColumnNeed],
    body: String, bold: String, fonts: PangoFonts, family: String
  ) -> PDFTable {
    var x: [Double] = []
    var left = 0.0
    for w in widths {
      x.append(left)
      left += w
    }
    func cell(_ text: String, _ c: Int, font: String) -> PangoText {
      let inner = widths[c] - 2 * padX
      // A column at its natural width needs no wrapping; a narrower one wraps at spaces.
      let wrap = widths[c] + 0.5 < measured[c].natural
      return PangoText(fonts, text, font: font, wrapWidth: wrap ? inner : nil)
    }
    let header = table.columns.indices.map { cell(table.columns[$0].header, $0, font: bold) }
    let cells = rows.map { row in row.indices.map { cell(row[$0].displayText, $0, font: body) } }
    let total = widths.reduce(0, +)
    let caption = table.title.flatMap {
      $0.isEmpty ? nil : PangoText(fonts, $0, font: "\(family) Bold 9", wrapWidth: total)
    }
    let continued = table.title.flatMap {
      $0.isEmpty ? nil : PangoText(fonts, $0 + " (continued)", font: "\(family) Bold Italic 9", wrapWidth: total)
    }
    return PDFTable(
      columns: table.columns, x: x, widths: widths, caption: caption, continuedCaption: continued,
      header: header, rows: cells)
  }

  /// Column groups that fit `width` at the smallest size, each repeating the first column.
  private static func split(
    _ table: Table, _ rows: [[Table.Cell]], measured: [ColumnNeed], width: Double,
    fonts: PangoFonts, family: String
  ) -> [PDFTable] {
    var groups: [[Int]] = []
    var current: [Int] = []
    var used = measured.first?.minimal ?? 0
    for c in table.columns.indices.dropFirst() {
      if !current.isEmpty, used + measured[c].minimal > width {
        groups.append(current)
        current = []
        used = measured.first?.minimal ?? 0
      }
      current.append(c)
      used += measured[c].minimal
    }
    if !current.isEmpty { groups.append(current) }
    let count = table.columns.count
    return groups.flatMap { group -> [PDFTable] in
      let keep = [0] + group
      let range = "columns \(group.first! + 1)–\(group.last! + 1) of \(count)"
      let part = Table(
        title: (table.title.map { $0 + " — " } ?? "") + range,
        columns: keep.map { table.columns[$0] },
        rows: rows.map { row in keep.map { row[$0] } })
      let sub = keep.map { measured[$0] }
      // A part fits at the smallest size by construction, unless one column alone is wider than
      // the page: that part is drawn at its minimum widths and overflows the margin.
      if sub.map(\.minimal).reduce(0, +) <= width { return layout(part, width: width, fonts: fonts, family: family) }
      let size = sizes[sizes.count - 1]
      return [
        build(
          part, part.normalizedRows, widths: sub.map(\.minimal), measured: sub, body: "\(family) \(size)",
          bold: "\(family) Bold \(size)", fonts: fonts, family: family)
      ]
    }
  }

  /// Unknown glyphs over every cell.
  var unknownGlyphs: Int {
    (header + rows.flatMap { $0 }).map(\.unknownGlyphs).reduce(0, +) + (caption?.unknownGlyphs ?? 0)
  }

  /// Draws the caption (or the continued caption), the header row and rows `range` at (left, top).
  func draw(
    _ cr: UnsafeMutableRawPointer, library: GraphicsLibrary, left: Double, top: Double, rows range: Range<Int>,
    continued: Bool
  ) {
    var y = top
    if let caption = continued ? continuedCaption : caption {
      library.setSourceRGB(cr, 0.1, 0.1, 0.1)
      caption.draw(cr, x: left, y: y)
      y += caption.height + captionGap
    }
    let width = totalWidth
    // Header: a light band and a rule under it.
    library.setSourceRGB(cr, 0.93, 0.94, 0.96)
    library.rectangle(cr, left, y, width, headerHeight)
    library.fill(cr)
    drawRow(cr, library: library, header, left: left, top: y, height: headerHeight)
    y += headerHeight
    library.setSourceRGB(cr, 0.45, 0.45, 0.45)
    library.setLineWidth(cr, 0.7)
    library.moveTo(cr, left, y)
    library.lineTo(cr, left + width, y)
    library.stroke(cr)
    for r in range {
      drawRow(cr, library: library, rows[r], left: left, top: y, height: rowHeights[r])
      y += rowHeights[r]
      library.setSourceRGB(cr, 0.82, 0.82, 0.82)
      library.setLineWidth(cr, 0.3)
      library.moveTo(cr, left, y)
      library.lineTo(cr, left + width, y)
      library.stroke(cr)
    }
  }

  private func drawRow(
    _ cr: UnsafeMutableRawPointer, library: GraphicsLibrary, _ cells: [PangoText], left: Double, top: Double,
    height: Double
  ) {
    library.setSourceRGB(cr, 0.08, 0.08, 0.08)
    for (c, text) in cells.enumerated() {
      let inner = widths[c] - 2 * Self.padX
      text.draw(cr, x: left + x[c] + Self.padX, y: top + Self.padY, alignedIn: (inner, columns[c].alignment))
    }
  }
}
