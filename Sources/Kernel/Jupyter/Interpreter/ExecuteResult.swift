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
  /// Asks the frontend to close (`source: "ask_exit"`, as IPython's `exit`); jupyter console
  /// then shuts the kernel down unless `keepKernel`.
  case askExit(keepKernel: Bool)

  var json: JSON {
    switch self {
    case .page(let bundle, let start):
      return ["source": "page", "data": .object(bundle.data), "start": .int(start)]
    case .askExit(let keepKernel):
      return ["source": "ask_exit", "keepkernel": .bool(keepKernel)]
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
