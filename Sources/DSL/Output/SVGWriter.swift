/// A small append-only SVG text builder with stable coordinate formatting.
struct SVGWriter {
  private(set) var text = ""

  /// A coordinate with at most one decimal ("12.3", "40").
  static func n(_ v: Double) -> String {
    NumberFormatting.trimZeros(NumberFormatting.fixed(clamp(v), 1))
  }

  /// Coordinates are clamped to ±100,000 px (and NaN to 0), so no value can produce an
  /// unparsable number or trap on conversion, whatever the data.
  static func clamp(_ v: Double) -> Double {
    v.isNaN ? 0 : min(max(v, -100_000), 100_000)
  }

  /// Path data through `points`: an absolute move, then relative line-tos between positions
  /// rounded to 0.1 px (deltas of rounded positions, so rounding never drifts). About 40%
  /// smaller than absolute coordinates; `close` appends `Z`.
  static func polyline(_ points: [(Double, Double)], close: Bool = false) -> String {
    guard let first = points.first else { return "" }
    func tenths(_ v: Double) -> Int { Int((clamp(v) * 10).rounded()) }
    func text(_ t: Int) -> String {
      let sign = t < 0 ? "-" : ""
      let a = abs(t)
      return sign + String(a / 10) + (a % 10 == 0 ? "" : "." + String(a % 10))
    }
    var x = tenths(first.0)
    var y = tenths(first.1)
    var d = "M" + text(x) + " " + text(y)
    if points.count > 1 { d += "l" }
    var firstPair = true
    for p in points.dropFirst() {
      let nx = tenths(p.0)
      let ny = tenths(p.1)
      let dx = text(nx - x)
      let dy = text(ny - y)
      if !firstPair && !dx.hasPrefix("-") { d += " " }
      d += dx + (dy.hasPrefix("-") ? "" : " ") + dy
      firstPair = false
      x = nx
      y = ny
    }
    return close ? d + "Z" : d
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
