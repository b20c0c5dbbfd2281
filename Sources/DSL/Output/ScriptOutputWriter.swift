#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Writes script-mode artifacts: every chart to `DIR/NN-<slug>.svg` (and `.png` beside it when
/// asked) and every table to `DIR/NN-<slug>.csv`, numbered in the order they are written.
public final class ScriptOutputWriter {
  /// The directory files are written to.
  public let directory: String
  /// Whether charts also get a PNG rendered from their SVG.
  public let png: Bool
  private var counter = 0

  /// Why PNGs cannot be made here (cairo or librsvg missing), or nil when they can.
  public static var pngUnavailable: String? {
    if case .failure(let error) = GraphicsLibrary.load() { return "\(error)" }
    return nil
  }

  /// Creates the writer, creating `directory` (and its parents) if needed.
  /// - Parameter png: also write each chart as PNG rendered from its SVG by librsvg.
  /// - Throws: `OutputError.cannotCreateDirectory` when the directory cannot be made.
  public init(directory: String, png: Bool = false) throws {
    self.directory = directory
    self.png = png
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw OutputError.cannotCreateDirectory(path: directory, reason: "\(error)")
    }
  }

  /// Writes the files for `item` (none for text, values other than tables, pages, clear).
  /// - Parameter cellIndex: the 1-based cell the item came from, used to name untitled items.
  /// - Returns: the paths written, in order.
  /// - Throws: `OutputError.cannotWrite` when a file cannot be written.
  public func write(_ item: OutputItem, cellIndex: Int) throws -> [String] {
    switch item {
    case .chart(let chart):
      let name = Self.slug(chart.title, fallback: "cell\(cellIndex)-chart")
      let svg = Renderer.svg(chart)
      let svgPath = try save(Data(svg.utf8), name: name, ext: "svg")
      guard png else { return [svgPath] }
      let library: GraphicsLibrary
      switch GraphicsLibrary.load() {
      case .success(let l): library = l
      case .failure(let error): throw OutputError.cannotRender(what: "a PNG of the chart", reason: "\(error)")
      }
      let bytes: Data
      do {
        bytes = try SVGRaster.png(svg, library: library)
      } catch {
        throw OutputError.cannotRender(what: "a PNG of the chart", reason: "\(error)")
      }
      return [svgPath, try save(bytes, name: name, ext: "png", sameNumber: true)]
    case .table(let table), .value(.table(let table)):
      let name = Self.slug(table.title ?? "", fallback: "cell\(cellIndex)-table")
      return [try save(Data(Renderer.csv(table).utf8), name: name, ext: "csv")]
    case .text, .stderr, .value, .clear, .page, .report:
      return []
    }
  }

  private func save(_ content: Data, name: String, ext: String, sameNumber: Bool = false) throws -> String {
    if !sameNumber { counter += 1 }
    let number = counter < 10 ? "0\(counter)" : "\(counter)"
    let path = directory + (directory.hasSuffix("/") ? "" : "/") + "\(number)-\(name).\(ext)"
    do {
      try FileDestination.write(content, to: path)
    } catch {
      throw OutputError.cannotWrite(path: path, reason: error.description)
    }
    return path
  }

  /// A readable, file-system-safe name: lowercase ASCII letters and digits, other runs as "-",
  /// at most 48 characters; `fallback` when nothing is left.
  static func slug(_ title: String, fallback: String) -> String {
    var out = ""
    var pendingDash = false
    // The few symbols the study's titles use get readable ASCII names (δ² → delta2).
    let spelled = title.replacing("δ", with: " delta")
      .replacing("²", with: "2").replacing("∇", with: " grad ")
    for scalar in spelled.unicodeScalars {
      let v = scalar.value
      let isAlnum = (0x30...0x39).contains(v) || (0x61...0x7A).contains(v)
      let isUpper = (0x41...0x5A).contains(v)
      if isAlnum || isUpper {
        let dash = pendingDash && !out.isEmpty
        if out.unicodeScalars.count + (dash ? 2 : 1) > 48 { break }
        if dash { out += "-" }
        pendingDash = false
        out.unicodeScalars.append(isUpper ? Unicode.Scalar(v + 32) ?? scalar : scalar)
      } else {
        pendingDash = true
      }
    }
    return out.isEmpty ? fallback : out
  }
}
