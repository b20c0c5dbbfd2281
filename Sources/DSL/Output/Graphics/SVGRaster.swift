import Foundation

/// Draws an SVG document with librsvg: into a cairo context (vector, for the PDF) or onto a
/// bitmap written as PNG (for the display bundle and `--png` files).
enum SVGRaster {
  /// How many bitmap pixels per SVG pixel a PNG gets: 2 keeps lines and text sharp on high-DPI
  /// screens and in printed notebook PDFs.
  static let pngScale = 2.0

  /// An SVG document parsed by librsvg, with its intrinsic size in CSS pixels.
  final class Document {
    let library: GraphicsLibrary
    let handle: UnsafeMutableRawPointer
    let width: Double
    let height: Double

    init(_ svg: String, library: GraphicsLibrary) throws(GraphicsError) {
      self.library = library
      var error: UnsafeMutableRawPointer?
      let bytes = Array(svg.utf8)
      let handle = bytes.withUnsafeBufferPointer { library.rsvgNewFromData($0.baseAddress, $0.count, &error) }
      guard let handle else {
        throw .failed("librsvg cannot read the chart: \(library.takeError(error))")
      }
      var w = 0.0
      var h = 0.0
      if library.rsvgGetIntrinsicSizeInPixels(handle, &w, &h) == 0 || !(w > 0) || !(h > 0) {
        library.objectUnref(handle)
        throw .failed("the chart's SVG has no width and height")
      }
      self.handle = handle
      width = w
      height = h
    }

    deinit { library.objectUnref(handle) }

    /// Draws the document into `cr`, fitted to the box at (x, y) of the given size.
    func draw(into cr: UnsafeMutableRawPointer, x: Double, y: Double, width: Double, height: Double)
      throws(GraphicsError)
    {
      var viewport = (x, y, width, height)
      var error: UnsafeMutableRawPointer?
      let ok = withUnsafePointer(to: &viewport) { library.rsvgRenderDocument(handle, cr, UnsafeRawPointer($0), &error) }
      if ok == 0 { throw .failed("librsvg cannot draw the chart: \(library.takeError(error))") }
    }
  }

  /// The chart's SVG as PNG bytes at `scale` bitmap pixels per SVG pixel.
  static func png(_ svg: String, scale: Double = pngScale, library: GraphicsLibrary) throws(GraphicsError) -> Data {
    let document = try Document(svg, library: library)
    let w = Int32((document.width * scale).rounded(.up))
    let h = Int32((document.height * scale).rounded(.up))
    // CAIRO_FORMAT_ARGB32 = 0.
    guard let surface = library.imageSurfaceCreate(0, w, h) else {
      throw .failed("cairo cannot make a \(w)×\(h) image")
    }
    defer { library.surfaceDestroy(surface) }
    guard let cr = library.create(surface) else { throw .failed("cairo cannot draw on the image") }
    defer { library.destroy(cr) }
    try document.draw(into: cr, x: 0, y: 0, width: Double(w), height: Double(h))
    let status = library.surfaceStatus(surface)
    if status != 0 { throw .failed("cairo failed drawing the chart: \(library.statusText(status))") }
    let sink = ByteSink()
    let written = library.surfaceWriteToPNGStream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
    if written != 0 { throw .failed("cairo cannot encode the PNG: \(library.statusText(written))") }
    return sink.data
  }

  /// The chart's SVG as a one-page vector PDF of the same size (1 CSS px = 0.75 pt).
  static func pdf(_ svg: String, library: GraphicsLibrary) throws(GraphicsError) -> Data {
    let document = try Document(svg, library: library)
    let w = document.width * 0.75
    let h = document.height * 0.75
    let sink = ByteSink()
    guard
      let surface = library.pdfSurfaceCreateForStream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(), w, h)
    else {
      throw .failed("cairo cannot make a PDF surface")
    }
    defer { library.surfaceDestroy(surface) }
    guard let cr = library.create(surface) else { throw .failed("cairo cannot draw on the PDF surface") }
    do {
      try document.draw(into: cr, x: 0, y: 0, width: w, height: h)
    } catch {
      library.destroy(cr)
      throw error
    }
    library.showPage(cr)
    library.destroy(cr)
    library.surfaceFinish(surface)
    let status = library.surfaceStatus(surface)
    if status != 0 { throw .failed("cairo failed writing the chart's PDF: \(library.statusText(status))") }
    return withExtendedLifetime(sink) { sink.data }
  }

  /// The chart's SVG as PNG and as PDF, or nil where the libraries are not installed or drawing
  /// failed (the SVG then stands alone).
  static func images(svg: String) -> (png: Data, pdf: Data)? {
    guard case .success(let library) = GraphicsLibrary.load() else { return nil }
    guard let png = try? png(svg, library: library), let pdf = try? pdf(svg, library: library) else { return nil }
    return (png, pdf)
  }
}

/// Collects the bytes cairo writes through a stream callback.
final class ByteSink {
  var data = Data()

  /// The callback: appends `length` bytes to the sink passed as the closure pointer.
  static let write: GraphicsLibrary.WriteFunction = { closure, bytes, length in
    guard let closure, let bytes else { return 11 }  // CAIRO_STATUS_WRITE_ERROR
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.data.append(bytes, count: Int(length))
    return 0
  }
}
