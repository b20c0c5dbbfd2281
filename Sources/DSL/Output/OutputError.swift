/// Errors writing output files.
enum OutputError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The output directory could not be created; carries the path and the system's reason.
  case cannotCreateDirectory(path: String, reason: String)
  /// A file could not be written; carries the path and the system's reason.
  case cannotWrite(path: String, reason: String)
  /// Something could not be drawn (a PNG without cairo and librsvg); carries what and why.
  case cannotRender(what: String, reason: String)

  /// A message for the user.
  var description: String {
    switch self {
    case .cannotCreateDirectory(let path, let reason):
      return "cannot create output directory \(path): \(reason)"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason)"
    case .cannotRender(let what, let reason):
      return "cannot render \(what): \(reason)"
    }
  }
}
