/// The representations of one output item, keyed by MIME type, as the renderer makes them.
///
/// `data` holds text representations (`text/plain` always; `text/html` for tables and progress,
/// `image/svg+xml` for charts). `json` is the item's machine-readable form as JSON text; a
/// Jupyter host embeds it as a JSON value under its own vendor MIME type (plain
/// `application/json` would take over JupyterLab's display).
public struct RenderedBundle: Sendable, Equatable {
  /// Text representations by MIME type.
  public var data: [String: String]
  /// The machine-readable form as JSON text, if the item has one.
  public var json: String?

  /// Creates a bundle.
  public init(data: [String: String], json: String? = nil) {
    self.data = data
    self.json = json
  }

  /// The `text/plain` representation (always present).
  public var plainText: String { data["text/plain"] ?? "" }
}
