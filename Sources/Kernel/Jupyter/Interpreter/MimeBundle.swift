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

  /// A bundle from mime → text; JSON mime types are parsed into values (kept as text if invalid).
  /// `text/plain` is added (empty) when missing, since every frontend expects it.
  init(texts: [String: String], metadata: [String: JSON] = [:]) {
    var data: [String: JSON] = [:]
    for (mime, text) in texts {
      if mime == "application/json" || mime.hasSuffix("+json"), let value = try? JSON.parse(text) {
        data[mime] = value
      } else {
        data[mime] = .string(text)
      }
    }
    if data["text/plain"] == nil { data["text/plain"] = .string("") }
    self.init(data: data, metadata: metadata)
  }
}
