/// The representations of one output item, keyed by MIME type, as the renderer makes them.
///
/// `data` holds text representations (`text/plain` always; `text/html` for tables and progress,
/// `image/svg+xml` for charts). `machine` is the item's machine-readable form as a JSON value; a
/// Jupyter host embeds it under its own vendor MIME type (plain `application/json` would take
/// over JupyterLab's display).
public struct RenderedBundle: Sendable, Equatable {
  /// Text representations by MIME type.
  public var data: [String: String]
  /// The machine-readable form, if the item has one.
  public var machine: JSONValue?

  /// Creates a bundle.
  public init(data: [String: String], machine: JSONValue? = nil) {
    self.data = data
    self.machine = machine
  }

  /// The machine-readable form as compact JSON text.
  public var json: String? { machine?.text }

  /// The `text/plain` representation (always present).
  public var plainText: String { data["text/plain"] ?? "" }
}
