import DSL
import Foundation

/// Serves the training language's `DSL.Session` to Jupyter: outputs become streams, displays and
/// results; training progress becomes one live display per run, updated as often as the session
/// marks an update due (at most 5 times a second).
final class DSLInterpreter: KernelInterpreter {
  let session: Session

  init(session: Session = Session()) {
    self.session = session
  }

  var languageInfo: LanguageInfo {
    LanguageInfo(
      name: "nndsl", version: DSLInfo.version, mimetype: "text/x-nndsl", fileExtension: ".nb",
      // CodeMirror: the built-in mode that colours most of the language (comments, strings, every
      // number form, `as`/`print`), chosen by Tests/lab/codemirror_modes.py. Pygments: the lexer
      // of python/nndsl_jupyter.
      pygmentsLexer: "nndsl", codemirrorMode: "python")
  }

  var banner: String {
    "NN DSL \(DSLInfo.version): a training language for Fashion-MNIST studies. Type `help` to start."
  }

  var implementationVersion: String { DSLInfo.version }

  /// Runs a cell; a console gets training progress as one stdout line per epoch instead of a
  /// live display (it would print the display's first state and never its updates).
  func execute(
    code: String, executionCount: Int, silent: Bool, frontend: FrontendKind,
    publish: (KernelOutput) -> Void, shouldStop: () -> Bool
  ) -> ExecuteResult {
    var pages: [String] = []
    let progress = ProgressDisplay(live: frontend == .notebook)
    let outcome = session.execute(
      code, file: "<cell>",
      emit: { item in
        progress.finish(publish)
        switch item {
        case .text(let s): publish(.stream(.stdout, s))
        case .stderr(let s): publish(.stream(.stderr, s))
        case .table, .chart, .report: publish(.displayData(DSLInterpreter.bundle(for: item)))
        case .value: publish(.executeResult(DSLInterpreter.bundle(for: item)))
        case .clear: publish(.clearOutput(wait: false))
        case .page(let s): pages.append(s)
        }
      },
      progress: { update in progress.report(update, publish) },
      shouldStop: shouldStop)
    progress.finish(publish)
    switch outcome {
    case .ok:
      var payload: [ExecutePayload] =
        pages.isEmpty ? [] : [.page(MimeBundle(plain: pages.joined(separator: "\n")))]
      if session.exitRequested {
        session.exitRequested = false
        payload.append(.askExit(keepKernel: false))
      }
      return .ok(payload: payload)
    case .failed(let error):
      return .error(
        KernelError(ename: DSLInterpreter.ename(error.kind), evalue: error.evalue, traceback: error.traceback))
    }
  }

  /// The Jupyter error name of a failed cell: frontends know an interrupted cell as
  /// `KeyboardInterrupt`.
  static func ename(_ kind: CellErrorKind) -> String {
    switch kind {
    case .interrupted: return "KeyboardInterrupt"
    case .syntax, .runtime: return kind.ename
    }
  }

  /// Tells the session the process is about to end (it is thread-safe): a Slurm job the cell
  /// follows keeps running instead of being cancelled by the interrupt that follows.
  func prepareForShutdown() {
    session.prepareForShutdown()
  }

  func complete(code: String, cursor: Int) -> Completion {
    let result = Completer.complete(code, cursor: cursor, runs: session.runNames, plots: session.plotNames)
    return Completion(matches: result.matches, start: result.start, end: result.end)
  }

  func inspect(code: String, cursor: Int, detail: Int) -> MimeBundle? {
    Inspector.inspect(code, cursor: cursor).map { MimeBundle(plain: $0) }
  }

  func isComplete(code: String) -> Completeness {
    switch CompletenessChecker.status(code) {
    case .complete: return Completeness(status: .complete)
    case .incomplete: return Completeness(status: .incomplete, indent: "")
    case .invalid: return Completeness(status: .invalid)
    }
  }

  /// A user expression is a reference as `get` takes it (`epochs`, `baseline.test_acc`); only a
  /// single `get` runs, so an expression cannot train or change the session.
  func evaluate(expression: String) -> ExecuteExpressionResult {
    var text = expression.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.contains(";"), !text.contains("\n") else {
      return .error(KernelError(ename: "ValueError", evalue: "one expression expected", traceback: []))
    }
    if !text.hasPrefix("get ") { text = "get " + text }
    var value: MimeBundle?
    let outcome = session.execute(
      text, file: "<expression>",
      emit: { item in
        if case .value = item { value = DSLInterpreter.bundle(for: item) }
      },
      progress: { _ in }, shouldStop: { false })
    switch outcome {
    case .ok: return .value(value ?? MimeBundle(plain: ""))
    case .failed(let e):
      return .error(KernelError(ename: DSLInterpreter.ename(e.kind), evalue: e.evalue, traceback: e.traceback))
    }
  }

  /// The MIME type of the machine-readable form of tables, charts and progress. Not plain
  /// `application/json`: JupyterLab ranks that above text/html and image/svg+xml and would show a
  /// JSON tree instead of the table or chart (seen with scripts/lab-check.sh); a vendor `+json`
  /// type keeps the data in the notebook for programs without taking over the display.
  static let machineMime = "application/vnd.nndsl+json"

  /// The Jupyter bundle for an output item. The machine-readable form is kept only when it is an
  /// object: JupyterLab drops messages whose JSON data is a string, number or array.
  static func bundle(for item: OutputItem) -> MimeBundle {
    bundle(Renderer.mimeBundle(item))
  }

  /// The Jupyter bundle of a live progress display.
  static func bundle(for progress: ProgressUpdate) -> MimeBundle {
    bundle(Renderer.mimeBundle(progress))
  }

  private static func bundle(_ rendered: RenderedBundle) -> MimeBundle {
    var data: [String: JSON] = [:]
    for (mime, text) in rendered.data { data[mime] = .string(text) }
    if let machine = rendered.machine, case .object = machine {
      data[machineMime] = JSON(machine)
    }
    if data["text/plain"] == nil { data["text/plain"] = .string("") }
    return MimeBundle(data: data)
  }

}

/// One live display per training run: shown on the first update, then replaced in place
/// (update_display_data) by each update the session marks due; an update held back (an epoch's
/// end that came too soon) is shown when the display ends, so the last state is always shown.
/// Not `live` (consoles): one stdout line at the end of each epoch, as script mode writes them.
private final class ProgressDisplay {
  let live: Bool
  private var displayID: String?
  private var run: String?
  private var pending: ProgressUpdate?

  init(live: Bool) {
    self.live = live
  }

  func report(_ update: ProgressUpdate, _ publish: (KernelOutput) -> Void) {
    guard live else {
      if update.endOfEpoch { publish(.stream(.stdout, update.text + "\n")) }
      return
    }
    if update.run != run || displayID == nil {
      finish(publish)
      run = update.run
      let id = "nndsl-progress-\(UUID().uuidString.lowercased())"
      displayID = id
      publish(.displayData(DSLInterpreter.bundle(for: update), displayID: id))
      return
    }
    if update.refreshesDisplay, let id = displayID {
      publish(.updateDisplayData(DSLInterpreter.bundle(for: update), displayID: id))
      pending = nil
    } else {
      pending = update
    }
  }

  /// Shows the last held-back update, and ends this run's display.
  func finish(_ publish: (KernelOutput) -> Void) {
    if let update = pending, let id = displayID {
      publish(.updateDisplayData(DSLInterpreter.bundle(for: update), displayID: id))
    }
    pending = nil
    displayID = nil
    run = nil
  }
}
