/// What kind of frontend sent an execute_request, as far as the kernel can tell.
///
/// Consoles (jupyter console, qtconsole) ask `is_complete` before they send a cell; notebooks
/// never do. Consoles print a display once and drop `update_display_data`, so live progress
/// must reach them as plain stream lines instead.
enum FrontendKind: Sendable, Equatable {
  /// A notebook-like frontend: live displays are updated in place.
  case notebook
  /// A console-like frontend: output is read as a transcript, top to bottom.
  case console
}

extension KernelInterpreter {
  /// Runs one cell as a notebook sent it.
  func execute(
    code: String, executionCount: Int, silent: Bool, publish: (KernelOutput) -> Void, shouldStop: () -> Bool
  ) -> ExecuteResult {
    execute(
      code: code, executionCount: executionCount, silent: silent, frontend: .notebook, publish: publish,
      shouldStop: shouldStop)
  }
}
