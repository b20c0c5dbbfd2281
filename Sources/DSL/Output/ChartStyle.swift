/// Colours, dash patterns and type for charts.
///
/// Charts are drawn on their own light card (an opaque near-white rounded rectangle) with dark
/// text. Notebook front ends often show SVG through an `<img>` element, where `currentColor`
/// and the page's CSS do not reach the picture, so theme-following colours cannot be relied
/// on; a light card reads the same on light and dark themes, and it is the background the
/// Okabe–Ito palette was designed for.
enum ChartStyle {
  /// Okabe–Ito colour-blind-safe palette, strongest contrast on white first (yellow last).
  static let palette = [
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
  ]
  /// Dash patterns: series beyond the palette size repeat colours with the next pattern.
  static let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]

  static let background = "#FCFCFC"
  static let border = "#D0D0D0"
  static let text = "#222222"
  static let mutedText = "#555555"
  static let grid = "#E4E4E4"
  static let axis = "#888888"
  static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

  /// The colour of series `i`.
  static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// The dash pattern of series `i`, or nil for solid.
  static func dash(_ i: Int) -> String? { dashes[(i / palette.count) % dashes.count] }

  /// Approximate width in pixels of `s` at `size` (no font metrics are available; DejaVu Sans
  /// averages about 0.6 em per character).
  static func textWidth(_ s: String, size: Double) -> Double {
    Double(DisplayWidth.of(s)) * size * 0.6
  }

  /// Splits `s` into lines of at most `width` columns (at spaces, `_`, `-`, `/` when possible),
  /// at most `maxLines` lines; an elided tail ends with "…".
  static func wrap(_ s: String, width: Int, maxLines: Int) -> [String] {
    let width = max(4, width)
    var lines: [String] = []
    var rest = Substring(s)
    while !rest.isEmpty {
      if lines.count == maxLines - 1 || DisplayWidth.of(String(rest)) <= width {
        var last = String(rest)
        if DisplayWidth.of(last) > width {
          var cut = ""
          for ch in last {
            if DisplayWidth.of(cut) + DisplayWidth.of(ch) > width - 1 { break }
            cut.append(ch)
          }
          last = cut + "…"
        }
        lines.append(last)
        break
      }
      var cols = 0
      var cutIndex = rest.startIndex
      var breakIndex: Substring.Index? = nil
      var i = rest.startIndex
      while i < rest.endIndex {
        let ch = rest[i]
        cols += DisplayWidth.of(ch)
        if cols > width { break }
        i = rest.index(after: i)
        cutIndex = i
        if ch == " " || ch == "_" || ch == "-" || ch == "/" { breakIndex = i }
      }
      let end = breakIndex ?? cutIndex
      let piece = rest[..<end]
      lines.append(String(piece).trimmingTrailingSpaces())
      rest = rest[end...]
      while rest.first == " " { rest.removeFirst() }
    }
    return lines.isEmpty ? [""] : lines
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }
}
