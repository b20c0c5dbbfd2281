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

/// An output a running cell publishes on IOPub.
enum KernelOutput: Sendable, Equatable {
  enum Stream: String, Sendable { case stdout, stderr }

  /// `stream`: text on stdout or stderr.
  case stream(Stream, String)
  /// `display_data`; with a display id, later updates replace it.
  case displayData(MimeBundle, displayID: String? = nil)
  /// `update_display_data` for an earlier display with this id.
  case updateDisplayData(MimeBundle, displayID: String)
  /// `execute_result`: the cell's value, Out[N].
  case executeResult(MimeBundle)
  /// `clear_output`; with `wait`, the frontend clears when the next output arrives.
  case clearOutput(wait: Bool)
}

/// An error as Jupyter shows it: name, value, and traceback lines.
struct KernelError: Sendable, Equatable, Error {
  var ename: String
  var evalue: String
  var traceback: [String]
}

/// How a cell ended.
enum ExecuteResult: Sendable, Equatable {
  /// Success, with payloads (e.g. a pager page).
  case ok(payload: [ExecutePayload] = [])
  /// Failure: published as an `error` message and an error reply.
  case error(KernelError)
}

/// Items of execute_reply's `payload`.
enum ExecutePayload: Sendable, Equatable {
  /// Text for the pager (`source: "page"`), starting at line `start`.
  case page(MimeBundle, start: Int = 0)

  var json: JSON {
    switch self {
    case .page(let bundle, let start):
      return ["source": "page", "data": .object(bundle.data), "start": .int(start)]
    }
  }
}

/// A user expression's value or error.
enum ExecuteExpressionResult: Sendable, Equatable {
  case value(MimeBundle)
  case error(KernelError)

  var json: JSON {
    switch self {
    case .value(let b):
      return ["status": "ok", "data": .object(b.data), "metadata": .object(b.metadata)]
    case .error(let e):
      return [
        "status": "error", "ename": .string(e.ename), "evalue": .string(e.evalue),
        "traceback": .array(e.traceback.map { .string($0) }),
      ]
    }
  }
}
