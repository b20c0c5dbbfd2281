import DSL
import Foundation

/// Serves the training language's `DSL.Session` to Jupyter: outputs become streams, displays and
/// results; training progress becomes one live display per run, updated at most 5 times a second.
final class DSLInterpreter: KernelInterpreter {
  let session: Session
  /// The shortest time between two progress updates of one display (≤ 5 updates/s).
  let progressInterval: Double

  init(session: Session = Session(), progressInterval: Double = 0.2) {
    self.session = session
    self.progressInterval = progressInterval
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

  func execute(
    code: String, executionCount: Int, silent: Bool, publish: (KernelOutput) -> Void,
    shouldStop: () -> Bool
  ) -> ExecuteResult {
    execute(
      code: code, executionCount: executionCount, silent: silent, frontend: .notebook,
      publish: publish, shouldStop: shouldStop)
  }

  /// Runs a cell; a console gets training progress as one stdout line per epoch instead of a
  /// live display (it would print the display's first state and never its updates).
  func execute(
    code: String, executionCount: Int, silent: Bool, frontend: FrontendKind,
    publish: (KernelOutput) -> Void, shouldStop: () -> Bool
  ) -> ExecuteResult {
    var pages: [String] = []
    let progress = ProgressDisplay(interval: progressInterval, live: frontend == .notebook)
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
      // Jupyter frontends know an interrupted cell by this name.
      let ename = error.ename == "Interrupted" ? "KeyboardInterrupt" : error.ename
      return .error(KernelError(ename: ename, evalue: error.evalue, traceback: error.traceback))
    }
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
    case .failed(let e): return .error(KernelError(ename: e.ename, evalue: e.evalue, traceback: e.traceback))
    }
  }

  /// The MIME type of the machine-readable form of tables, charts and progress. Not plain
  /// `application/json`: JupyterLab ranks that above text/html and image/svg+xml and would show a
  /// JSON tree instead of the table or chart (seen with scripts/lab-check.sh); a vendor `+json`
  /// type keeps the data in the notebook for programs without taking over the display.
  static let machineMime = "application/vnd.nndsl+json"

  /// The Jupyter bundle for an output item. The JSON form is kept only when it is an object:
  /// JupyterLab drops messages whose JSON data is a string, number or array.
  static func bundle(for item: OutputItem) -> MimeBundle {
    let rendered = Renderer.mimeBundle(item)
    var data: [String: JSON] = [:]
    for (mime, text) in rendered.data { data[mime] = .string(text) }
    if let json = rendered.json, let value = try? JSON.parse(json), case .object = value {
      data[machineMime] = value
    }
    if data["text/plain"] == nil { data["text/plain"] = .string("") }
    return MimeBundle(data: data)
  }
}

/// One live display per training run: shown on the first update, then replaced in place
/// (update_display_data) at most once per `interval`; the last state is always shown.
/// Not `live` (consoles): one stdout line at the end of each epoch, as script mode writes them.
private final class ProgressDisplay {
  let interval: Double
  let live: Bool
  private var displayID: String?
  private var run: String?
  private var lastSent = 0.0
  private var pending: ProgressUpdate?

  init(interval: Double, live: Bool) {
    self.interval = interval
    self.live = live
  }

  func report(_ update: ProgressUpdate, _ publish: (KernelOutput) -> Void) {
    guard live else {
      if update.endOfEpoch { publish(.stream(.stdout, (update.board?.summary ?? update.text) + "\n")) }
      return
    }
    let now = ProcessInfo.processInfo.systemUptime
    if update.run != run || displayID == nil {
      finish(publish)
      run = update.run
      let id = "nndsl-progress-\(UUID().uuidString.lowercased())"
      displayID = id
      publish(.displayData(ProgressDisplay.bundle(update), displayID: id))
      lastSent = now
      return
    }
    if now - lastSent >= interval, let id = displayID {
      publish(.updateDisplayData(ProgressDisplay.bundle(update), displayID: id))
      lastSent = now
      pending = nil
    } else {
      pending = update
    }
  }

  /// Shows the last held-back update, and ends this run's display.
  func finish(_ publish: (KernelOutput) -> Void) {
    if let update = pending, let id = displayID {
      publish(.updateDisplayData(ProgressDisplay.bundle(update), displayID: id))
    }
    pending = nil
    displayID = nil
    run = nil
  }

  static func bundle(_ p: ProgressUpdate) -> MimeBundle {
    if let board = p.board { return bundle(board) }
    let total = max(1, p.epochs * p.stepsPerEpoch)
    let done = min(total, max(0, (p.epoch - 1) * p.stepsPerEpoch + p.step))
    let html = """
      <div class="nndsl-progress"><b>\(escape(p.run))</b> epoch \(p.epoch)/\(p.epochs) \
      <progress max="\(total)" value="\(done)" style="width:12em;vertical-align:middle"></progress> \
      step \(p.step)/\(p.stepsPerEpoch) · loss \(format(p.loss, 4)) · acc \(format(p.accuracy * 100, 1))% \
      · \(format(p.elapsed, 1)) s · ETA \(Int(p.eta.rounded())) s</div>
      """
    let json: JSON = [
      "run": .string(p.run), "epoch": .int(p.epoch), "epochs": .int(p.epochs), "step": .int(p.step),
      "steps_per_epoch": .int(p.stepsPerEpoch), "loss": .double(p.loss), "accuracy": .double(p.accuracy),
      "elapsed_s": .double(p.elapsed), "eta_s": .double(p.eta),
    ]
    return MimeBundle(data: ["text/plain": .string(p.text), "text/html": .string(html), DSLInterpreter.machineMime: json])
  }

  /// A Slurm job's live status: the task counts, then one table row per run.
  static func bundle(_ b: SlurmBoard) -> MimeBundle {
    var rows = ""
    for r in b.rows {
      let epoch = r.epoch > 0 ? "\(r.epoch)/\(r.epochs)" : "–"
      rows += "<tr><td>\(escape(r.run))</td><td>\(r.task)</td><td>\(escape(r.state))</td><td>\(epoch)</td>"
        + "<td>\(r.loss.map { format($0, 4) } ?? "")</td><td>\(r.accuracy.map { format($0 * 100, 1) + "%" } ?? "")</td>"
        + "<td>\(r.testAccuracy.map { format($0 * 100, 2) + "%" } ?? "")</td></tr>"
    }
    let html =
      "<div class=\"nndsl-progress nndsl-slurm\"><b>\(escape(b.summary))</b>"
      + "<table><thead><tr><th>run</th><th>task</th><th>state</th><th>epoch</th><th>loss</th><th>acc</th>"
      + "<th>test acc</th></tr></thead><tbody>\(rows)</tbody></table></div>"
    let runs: [JSON] = b.rows.map { r in
      [
        "run": .string(r.run), "task": .int(r.task), "state": .string(r.state), "epoch": .int(r.epoch),
        "epochs": .int(r.epochs), "loss": r.loss.map(JSON.double) ?? .null,
        "accuracy": r.accuracy.map(JSON.double) ?? .null, "test_accuracy": r.testAccuracy.map(JSON.double) ?? .null,
      ]
    }
    let json: JSON = [
      "slurm_job": .string(b.job), "pending": .int(b.pending), "running": .int(b.running), "done": .int(b.done),
      "failed": .int(b.failed), "elapsed_s": .double(b.elapsed), "eta_s": b.eta.map(JSON.double) ?? .null,
      "runs": .array(runs),
    ]
    return MimeBundle(data: ["text/plain": .string(b.text), "text/html": .string(html), DSLInterpreter.machineMime: json])
  }

  private static func format(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : "inf" }
    return String(format: "%.\(digits)f", x)
  }

  private static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
