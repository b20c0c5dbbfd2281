import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// cairo, pango and librsvg, opened with `dlopen` the first time a PDF or a PNG is made.
///
/// The kernel binary does not link them: it runs where they are not installed (the GPU machine
/// runs the study through `kernel --script`), and there a PDF report fails with a message naming
/// the packages while PNG copies of charts are simply left out. The C signatures are declared
/// here (pointers, `Int32` for `int`/`gboolean`/enums, `Double`), as the CUDA loader does.
/// `NNDSL_CAIRO_PATH`, `NNDSL_PANGO_PATH` (libpangocairo) and `NNDSL_RSVG_PATH` each name one
/// exact file to load instead of the usual soname.
final class GraphicsLibrary: @unchecked Sendable {
  typealias Pointer = UnsafeMutableRawPointer
  /// cairo's stream callback: (closure, bytes, length) → cairo_status_t.
  typealias WriteFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt32) -> Int32

  // cairo
  let pdfSurfaceCreateForStream: @convention(c) (WriteFunction?, UnsafeMutableRawPointer?, Double, Double) -> Pointer?
  let pdfSurfaceSetMetadata: @convention(c) (Pointer?, Int32, UnsafePointer<CChar>?) -> Void
  let pdfSurfaceAddOutline:
    @convention(c) (Pointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32) -> Int32
  let imageSurfaceCreate: @convention(c) (Int32, Int32, Int32) -> Pointer?
  let surfaceWriteToPNGStream: @convention(c) (Pointer?, WriteFunction?, UnsafeMutableRawPointer?) -> Int32
  let surfaceFinish: @convention(c) (Pointer?) -> Void
  let surfaceStatus: @convention(c) (Pointer?) -> Int32
  let surfaceDestroy: @convention(c) (Pointer?) -> Void
  let create: @convention(c) (Pointer?) -> Pointer?
  let destroy: @convention(c) (Pointer?) -> Void
  let status: @convention(c) (Pointer?) -> Int32
  let statusToString: @convention(c) (Int32) -> UnsafePointer<CChar>?
  let showPage: @convention(c) (Pointer?) -> Void
  let save: @convention(c) (Pointer?) -> Void
  let restore: @convention(c) (Pointer?) -> Void
  let moveTo: @convention(c) (Pointer?, Double, Double) -> Void
  let lineTo: @convention(c) (Pointer?, Double, Double) -> Void
  let rectangle: @convention(c) (Pointer?, Double, Double, Double, Double) -> Void
  let setSourceRGB: @convention(c) (Pointer?, Double, Double, Double) -> Void
  let setLineWidth: @convention(c) (Pointer?, Double) -> Void
  let stroke: @convention(c) (Pointer?) -> Void
  let fill: @convention(c) (Pointer?) -> Void

  // pango and pangocairo
  let cairoCreateContext: @convention(c) (Pointer?) -> Pointer?
  let cairoContextSetResolution: @convention(c) (Pointer?, Double) -> Void
  let layoutNew: @convention(c) (Pointer?) -> Pointer?
  let layoutSetText: @convention(c) (Pointer?, UnsafePointer<CChar>?, Int32) -> Void
  let layoutSetFontDescription: @convention(c) (Pointer?, Pointer?) -> Void
  let layoutSetWidth: @convention(c) (Pointer?, Int32) -> Void
  let layoutSetWrap: @convention(c) (Pointer?, Int32) -> Void
  let layoutGetSize: @convention(c) (Pointer?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Void
  let layoutGetLineReadonly: @convention(c) (Pointer?, Int32) -> Pointer?
  let layoutGetIter: @convention(c) (Pointer?) -> Pointer?
  let layoutGetUnknownGlyphsCount: @convention(c) (Pointer?) -> Int32
  let layoutLineGetExtents: @convention(c) (Pointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void
  let layoutIterGetLineYrange:
    @convention(c) (Pointer?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Void
  let layoutIterGetBaseline: @convention(c) (Pointer?) -> Int32
  let layoutIterNextLine: @convention(c) (Pointer?) -> Int32
  let layoutIterFree: @convention(c) (Pointer?) -> Void
  let fontDescriptionFromString: @convention(c) (UnsafePointer<CChar>?) -> Pointer?
  let fontDescriptionFree: @convention(c) (Pointer?) -> Void
  let cairoShowLayoutLine: @convention(c) (Pointer?, Pointer?) -> Void

  // librsvg, and the GLib calls its objects and errors need
  let rsvgNewFromData:
    @convention(c) (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Pointer?
  let rsvgGetIntrinsicSizeInPixels:
    @convention(c) (Pointer?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?) -> Int32
  let rsvgRenderDocument:
    @convention(c) (Pointer?, Pointer?, UnsafeRawPointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32
  let objectUnref: @convention(c) (Pointer?) -> Void
  let errorFree: @convention(c) (UnsafeMutableRawPointer?) -> Void

  /// The Debian packages that provide the libraries, for the message when they are missing.
  static let packages = "libcairo2 libpango-1.0-0 libpangocairo-1.0-0 librsvg2-2"

  /// One library: its usual sonames and the variable that overrides them.
  struct Part {
    let name: String
    let sonames: [String]
    let environmentKey: String?
    /// A function only this library exports, checked before any other.
    let signature: String
  }

  static let parts: [Part] = [
    Part(
      name: "cairo", sonames: ["libcairo.so.2"], environmentKey: "NNDSL_CAIRO_PATH",
      signature: "cairo_pdf_surface_create_for_stream"),
    Part(name: "pango", sonames: ["libpango-1.0.so.0"], environmentKey: nil, signature: "pango_layout_new"),
    Part(
      name: "pangocairo", sonames: ["libpangocairo-1.0.so.0"], environmentKey: "NNDSL_PANGO_PATH",
      signature: "pango_cairo_create_context"),
    Part(
      name: "librsvg", sonames: ["librsvg-2.so.2"], environmentKey: "NNDSL_RSVG_PATH",
      signature: "rsvg_handle_render_document"),
    Part(name: "gobject", sonames: ["libgobject-2.0.so.0"], environmentKey: nil, signature: "g_object_unref"),
    Part(name: "glib", sonames: ["libglib-2.0.so.0"], environmentKey: nil, signature: "g_error_free"),
  ]

  private static let cache = Mutex<[String: Result<GraphicsLibrary, GraphicsError>]>([:])

  /// The libraries, loaded once per set of override paths (a failure is remembered too).
  static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<
    GraphicsLibrary, GraphicsError
  > {
    let key = parts.compactMap { $0.environmentKey.map { environment[$0] ?? "" } }.joined(separator: "\u{0}")
    return cache.withLock { cache in
      if let known = cache[key] { return known }
      let result = open(environment: environment)
      cache[key] = result
      return result
    }
  }

  private static func open(environment: [String: String]) -> Result<GraphicsLibrary, GraphicsError> {
    #if canImport(Glibc)
      var handles: [String: UnsafeMutableRawPointer] = [:]
      var tried: [String] = []
      for part in parts {
        let override = part.environmentKey.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        let candidates = override.map { [$0] } ?? part.sonames
        var opened = false
        for name in candidates {
          guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "cannot be opened"
            tried.append("\(override != nil ? "\(part.environmentKey!)=" : "")\(name) (\(reason))")
            continue
          }
          guard dlsym(handle, part.signature) != nil else {
            dlclose(handle)
            tried.append("\(name) (not \(part.name): it has no symbol \(part.signature))")
            continue
          }
          handles[part.name] = handle
          opened = true
          break
        }
        if !opened {
          for handle in handles.values { dlclose(handle) }
          return .failure(.missing(tried: tried))
        }
      }
      do {
        return .success(try GraphicsLibrary(handles: handles))
      } catch {
        for handle in handles.values { dlclose(handle) }
        return .failure(error)
      }
    #else
      return .failure(.missing(tried: ["dynamic loading of cairo is only supported on Linux"]))
    #endif
  }

  private init(handles: [String: UnsafeMutableRawPointer]) throws(GraphicsError) {
    func f<T>(_ library: String, _ name: String) throws(GraphicsError) -> T {
      guard let handle = handles[library], let symbol = dlsym(handle, name) else {
        throw .tooOld(library: library, symbol: name)
      }
      return unsafeBitCast(symbol, to: T.self)
    }
    pdfSurfaceCreateForStream = try f("cairo", "cairo_pdf_surface_create_for_stream")
    pdfSurfaceSetMetadata = try f("cairo", "cairo_pdf_surface_set_metadata")
    pdfSurfaceAddOutline = try f("cairo", "cairo_pdf_surface_add_outline")
    imageSurfaceCreate = try f("cairo", "cairo_image_surface_create")
    surfaceWriteToPNGStream = try f("cairo", "cairo_surface_write_to_png_stream")
    surfaceFinish = try f("cairo", "cairo_surface_finish")
    surfaceStatus = try f("cairo", "cairo_surface_status")
    surfaceDestroy = try f("cairo", "cairo_surface_destroy")
    create = try f("cairo", "cairo_create")
    destroy = try f("cairo", "cairo_destroy")
    status = try f("cairo", "cairo_status")
    statusToString = try f("cairo", "cairo_status_to_string")
    showPage = try f("cairo", "cairo_show_page")
    save = try f("cairo", "cairo_save")
    restore = try f("cairo", "cairo_restore")
    moveTo = try f("cairo", "cairo_move_to")
    lineTo = try f("cairo", "cairo_line_to")
    rectangle = try f("cairo", "cairo_rectangle")
    setSourceRGB = try f("cairo", "cairo_set_source_rgb")
    setLineWidth = try f("cairo", "cairo_set_line_width")
    stroke = try f("cairo", "cairo_stroke")
    fill = try f("cairo", "cairo_fill")

    cairoCreateContext = try f("pangocairo", "pango_cairo_create_context")
    cairoContextSetResolution = try f("pangocairo", "pango_cairo_context_set_resolution")
    cairoShowLayoutLine = try f("pangocairo", "pango_cairo_show_layout_line")
    layoutNew = try f("pango", "pango_layout_new")
    layoutSetText = try f("pango", "pango_layout_set_text")
    layoutSetFontDescription = try f("pango", "pango_layout_set_font_description")
    layoutSetWidth = try f("pango", "pango_layout_set_width")
    layoutSetWrap = try f("pango", "pango_layout_set_wrap")
    layoutGetSize = try f("pango", "pango_layout_get_size")
    layoutGetLineReadonly = try f("pango", "pango_layout_get_line_readonly")
    layoutGetIter = try f("pango", "pango_layout_get_iter")
    layoutGetUnknownGlyphsCount = try f("pango", "pango_layout_get_unknown_glyphs_count")
    layoutLineGetExtents = try f("pango", "pango_layout_line_get_extents")
    layoutIterGetLineYrange = try f("pango", "pango_layout_iter_get_line_yrange")
    layoutIterGetBaseline = try f("pango", "pango_layout_iter_get_baseline")
    layoutIterNextLine = try f("pango", "pango_layout_iter_next_line")
    layoutIterFree = try f("pango", "pango_layout_iter_free")
    fontDescriptionFromString = try f("pango", "pango_font_description_from_string")
    fontDescriptionFree = try f("pango", "pango_font_description_free")

    rsvgNewFromData = try f("librsvg", "rsvg_handle_new_from_data")
    rsvgGetIntrinsicSizeInPixels = try f("librsvg", "rsvg_handle_get_intrinsic_size_in_pixels")
    rsvgRenderDocument = try f("librsvg", "rsvg_handle_render_document")
    objectUnref = try f("gobject", "g_object_unref")
    errorFree = try f("glib", "g_error_free")
  }

  /// cairo's text for a status code.
  func statusText(_ code: Int32) -> String {
    statusToString(code).map { String(cString: $0) } ?? "cairo status \(code)"
  }

  /// The message of a `GError` (its `message` field follows the 32-bit domain and code), freed.
  func takeError(_ error: UnsafeMutableRawPointer?) -> String {
    guard let error else { return "unknown error" }
    let message = error.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self)
    let text = message.map { String(cString: $0) } ?? "unknown error"
    errorFree(error)
    return text
  }
}

/// Why cairo, pango or librsvg cannot be used, or what went wrong drawing with them.
enum GraphicsError: Error, Equatable, CustomStringConvertible {
  /// A library is not installed (each file tried, with the loader's reason).
  case missing(tried: [String])
  /// A library is older than the functions this program calls.
  case tooOld(library: String, symbol: String)
  /// cairo or librsvg reported a failure.
  case failed(String)

  var description: String {
    switch self {
    case .missing(let tried):
      return "cairo, pango and librsvg are needed and could not be loaded (tried \(tried.joined(separator: "; "))); "
        + "install them with: apt-get install \(GraphicsLibrary.packages)"
    case .tooOld(let library, let symbol):
      return "the installed \(library) is too old (it lacks \(symbol)); "
        + "cairo 1.16, pango 1.44 and librsvg 2.52 or newer are needed"
    case .failed(let message):
      return message
    }
  }
}
