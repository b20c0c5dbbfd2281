/// A small append-only SVG text builder with stable coordinate formatting.
struct SVGWriter {
  private(set) var text = ""

  /// A coordinate with at most one decimal ("12.3", "40").
  static func n(_ v: Double) -> String {
    NumberFormatting.trimZeros(NumberFormatting.fixed(v, 1))
  }

  mutating func raw(_ s: String) { text += s }

  mutating func line(_ s: String) { text += s + "\n" }

  /// A `<text>` element; `attrs` must already be escaped.
  mutating func text(
    _ content: String, x: Double, y: Double, size: Double? = nil, anchor: String? = nil,
    fill: String? = nil, weight: String? = nil, extra: String = ""
  ) {
    var s = "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\""
    if let size { s += " font-size=\"\(Self.n(size))\"" }
    if let anchor { s += " text-anchor=\"\(anchor)\"" }
    if let fill { s += " fill=\"\(fill)\"" }
    if let weight { s += " font-weight=\"\(weight)\"" }
    s += extra + ">" + TextEscaping.xml(content) + "</text>"
    line(s)
  }
}
