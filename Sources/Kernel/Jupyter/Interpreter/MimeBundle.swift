/// A MIME bundle: `data` (mime type → value) and `metadata`.
///
/// Text formats are JSON strings; `application/json` (and `+json` types) are JSON values.
struct MimeBundle: Sendable, Equatable {
  var data: [String: JSON]
  var metadata: [String: JSON]

  init(data: [String: JSON], metadata: [String: JSON] = [:]) {
    self.data = data
    self.metadata = metadata
  }

  /// A bundle with only `text/plain`.
  init(plain: String) {
    self.init(data: ["text/plain": .string(plain)])
  }
}
