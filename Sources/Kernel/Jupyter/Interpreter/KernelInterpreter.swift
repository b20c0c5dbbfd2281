/// What a language implements to be served by the Jupyter kernel (cf. xeus's interpreter).
///
/// All methods are called on the kernel's single execution thread, one at a time, except
/// `interrupt()` and `prepareForShutdown()`, which come from the control or signal thread while
/// `execute` may be running.
protocol KernelInterpreter: AnyObject {
  /// `language_info` for kernel_info_reply.
  var languageInfo: LanguageInfo { get }
  /// The banner a console shows on connect.
  var banner: String { get }
  /// Links a frontend lists in its Help menu.
  var helpLinks: [HelpLink] { get }
  /// This implementation's version (kernel_info `implementation_version`).
  var implementationVersion: String { get }

  /// Runs one cell sent by a frontend of `frontend`'s kind. `publish` streams outputs while the
  /// cell runs (call it from this thread); `shouldStop` turns true once an interrupt arrived; stop
  /// at the next safe point and return an error (ename `KeyboardInterrupt`). The kernel suppresses
  /// output itself when `silent`.
  func execute(
    code: String, executionCount: Int, silent: Bool, frontend: FrontendKind,
    publish: (KernelOutput) -> Void, shouldStop: () -> Bool
  ) -> ExecuteResult

  /// Completion candidates at `cursor` (a code-point offset into `code`).
  func complete(code: String, cursor: Int) -> Completion

  /// Help for what is at `cursor`; nil when there is nothing to say.
  func inspect(code: String, cursor: Int, detail: Int) -> MimeBundle?

  /// Whether `code` can run as it stands.
  func isComplete(code: String) -> Completeness

  /// Evaluates one user expression for execute_request's `user_expressions`.
  func evaluate(expression: String) -> ExecuteExpressionResult

  /// Asks a running cell to stop (it will also see `shouldStop()` turn true).
  func interrupt()

  /// Says the process is about to end (shutdown_request, restart included); the kernel calls it
  /// before `interrupt()`, so the cell's stop can tell a shutdown from a user's interrupt and
  /// leave alone work that outlives the process.
  func prepareForShutdown()
}

extension KernelInterpreter {
  var helpLinks: [HelpLink] { [] }

  /// Default: runs the expression silently and returns its `execute_result` bundle.
  func evaluate(expression: String) -> ExecuteExpressionResult {
    var value: MimeBundle?
    let result = execute(
      code: expression, executionCount: 0, silent: true,
      publish: { output in
        if case .executeResult(let bundle) = output { value = bundle }
      },
      shouldStop: { false })
    switch result {
    case .ok: return .value(value ?? MimeBundle(plain: ""))
    case .error(let error): return .error(error)
    }
  }

  func interrupt() {}

  func prepareForShutdown() {}
}
