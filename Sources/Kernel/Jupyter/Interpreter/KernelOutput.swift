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
