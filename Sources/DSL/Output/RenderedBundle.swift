/// The representations of one output item, keyed by MIME type.
///
/// `data` holds text representations (`text/plain` always; `text/html` for tables,
/// `image/svg+xml` for charts). `json` is a JSON text for `application/json`: the kernel must
/// embed it as a JSON value (not as a string) in the message's `data`.
public struct MimeBundle: Sendable, Equatable {
  /// Text representations by MIME type.
  public var data: [String: String]
  /// A JSON text for `application/json`, if the item has a machine-readable form.
  public var json: String?

  /// Creates a bundle.
  public init(data: [String: String], json: String? = nil) {
    self.data = data
    self.json = json
  }

  /// The `text/plain` representation (always present).
  public var plainText: String { data["text/plain"] ?? "" }
}
