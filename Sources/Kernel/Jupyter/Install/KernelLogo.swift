/// The kernel's logo, a tiny three-layer network on a rounded square, drawn from one geometry
/// as SVG and as antialiased PNGs (so no binary assets live in the repository).
enum KernelLogo {
  private struct RGB { var r, g, b: Double }
  private static let background = RGB(r: 0x1F, g: 0x3A, b: 0x5F)
  private static let edge = RGB(r: 0x9F, g: 0xB8, b: 0xD9)
  private static let layerColours = [
    RGB(r: 0xF5, g: 0xA6, b: 0x23), RGB(r: 0xFF, g: 0xFF, b: 0xFF), RGB(r: 0x7E, g: 0xD3, b: 0x21),
  ]
  /// Node centres per layer, in a 64×64 box.
  private static let layers: [[(Double, Double)]] = [
    [(15, 16), (15, 32), (15, 48)], [(32, 22), (32, 42)], [(49, 32)],
  ]
  private static let nodeRadius = 5.5
  private static let edgeWidth = 2.0
  private static let cornerRadius = 12.0

  private static var edges: [((Double, Double), (Double, Double))] {
    var out: [((Double, Double), (Double, Double))] = []
    for l in 0..<(layers.count - 1) {
      for a in layers[l] { for b in layers[l + 1] { out.append((a, b)) } }
    }
    return out
  }

  private static func hex(_ c: RGB) -> String {
    func two(_ v: Double) -> String {
      let s = String(Int(v), radix: 16)
      return s.count == 1 ? "0" + s : s
    }
    return "#" + two(c.r) + two(c.g) + two(c.b)
  }

  /// The logo as SVG (64×64 user units, scalable).
  static var svg: String {
    var s = """
      <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
      <title>NN DSL kernel</title>
      <rect width="64" height="64" rx="\(Int(cornerRadius))" fill="\(hex(background))"/>

      """
    for (a, b) in edges {
      s += "<line x1=\"\(a.0)\" y1=\"\(a.1)\" x2=\"\(b.0)\" y2=\"\(b.1)\" stroke=\"\(hex(edge))\" "
        + "stroke-width=\"\(edgeWidth)\" stroke-linecap=\"round\"/>\n"
    }
    for (l, layer) in layers.enumerated() {
      for p in layer {
        s += "<circle cx=\"\(p.0)\" cy=\"\(p.1)\" r=\"\(nodeRadius)\" fill=\"\(hex(layerColours[l]))\"/>\n"
      }
    }
    return s + "</svg>\n"
  }

  /// The logo as a `size × size` PNG.
  static func png(size: Int) -> [UInt8] {
    PNGEncoder.encode(width: size, height: size, rgba: rgba(size: size))
  }

  /// RGBA pixels, 4×4 supersampled.
  static func rgba(size: Int) -> [UInt8] {
    let scale = 64.0 / Double(size)
    let samples = 4
    var pixels = [UInt8](repeating: 0, count: size * size * 4)
    for y in 0..<size {
      for x in 0..<size {
        var r = 0.0, g = 0.0, b = 0.0, a = 0.0
        for sy in 0..<samples {
          for sx in 0..<samples {
            let px = (Double(x) + (Double(sx) + 0.5) / Double(samples)) * scale
            let py = (Double(y) + (Double(sy) + 0.5) / Double(samples)) * scale
            if let c = colour(atX: px, y: py) {
              r += c.r
              g += c.g
              b += c.b
              a += 1
            }
          }
        }
        let i = (y * size + x) * 4
        if a > 0 {
          pixels[i] = UInt8(min(255, (r / a).rounded()))
          pixels[i + 1] = UInt8(min(255, (g / a).rounded()))
          pixels[i + 2] = UInt8(min(255, (b / a).rounded()))
          pixels[i + 3] = UInt8(min(255, (255 * a / Double(samples * samples)).rounded()))
        }
      }
    }
    return pixels
  }

  /// The colour at a point of the 64×64 box; nil outside the rounded square.
  private static func colour(atX x: Double, y: Double) -> RGB? {
    guard insideRoundedSquare(x, y) else { return nil }
    for (l, layer) in layers.enumerated() {
      for p in layer where (x - p.0) * (x - p.0) + (y - p.1) * (y - p.1) <= nodeRadius * nodeRadius {
        return layerColours[l]
      }
    }
    for (a, b) in edges where distance(x, y, a, b) <= edgeWidth / 2 { return edge }
    return background
  }

  private static func insideRoundedSquare(_ x: Double, _ y: Double) -> Bool {
    guard x >= 0, y >= 0, x <= 64, y <= 64 else { return false }
    let cx = min(max(x, cornerRadius), 64 - cornerRadius)
    let cy = min(max(y, cornerRadius), 64 - cornerRadius)
    return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= cornerRadius * cornerRadius
  }

  private static func distance(_ x: Double, _ y: Double, _ a: (Double, Double), _ b: (Double, Double)) -> Double {
    let dx = b.0 - a.0, dy = b.1 - a.1
    let t = max(0, min(1, ((x - a.0) * dx + (y - a.1) * dy) / (dx * dx + dy * dy)))
    let qx = a.0 + t * dx - x, qy = a.1 + t * dy - y
    return (qx * qx + qy * qy).squareRoot()
  }
}
