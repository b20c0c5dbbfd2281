import Foundation
import NN

/// The state of one notebook or script: defaults, data set, model and runs, shared across cells.
///
/// The session is the bridge between the language (checked commands) and the engine (NN):
/// `execute` checks a whole cell first, runs nothing if it has errors, then runs its statements
/// in order, reporting everything through `emit` and live training through `progress`.
public final class Session {
  /// Session-wide defaults set by `set`; every run inherits them.
  var defaults = TrainParams()
  /// The loaded data set, if any.
  var dataset: Dataset?
  /// The current model, if any.
  var model: ModelSpec?
  /// Every run so far, in the order they were made.
  var runs: [RunRecord] = []
  /// The statement text that made each run, by run name (for reports).
  var runSources: [String: String] = [:]
  /// The report's title, author and course lines (`title`, `author`, `course`).
  var titleLines: [TitleLine: String] = [:]
  /// The student's own words per report section (`text`).
  var reportTexts: [ReportPart: String] = [:]
  /// Every plot made so far, in order: plot k is `plots[k - 1]`.
  var plots: [MadePlot] = []
  /// Environment used for data-set resolution.
  let environment: [String: String]
  /// Where relative `report` and `export` paths go (script mode: `--out`; Jupyter: the working directory).
  public var outputDirectory: String = FileManager.default.currentDirectoryPath
  /// Set by `exit`/`quit`: the rest of the cell is skipped and the host ends the session (the
  /// Jupyter kernel asks the frontend to close, a script stops). Reset when a cell starts.
  public var exitRequested = false
  /// The notes already shown in this session (`notice`).
  var shownNotes: Set<String> = []
  /// The run store and what the session knows of it (see Session+Store).
  let storeLink = StoreLink()
  /// The Slurm executor's default, options and jobs (see Session+Slurm).
  let cluster = ClusterLink()
  /// Raised from the host's control thread when the process is about to end (see
  /// `prepareForShutdown()`).
  let shutdown = ShutdownFlag()
  /// The GPU backend's availability, probed once (the engine decides the device; this is for
  /// `device`, `env` and reports).
  lazy var gpu = GPU.probe()

  /// Creates an empty session.
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// The data set and model as the checker sees them, so a cell's `train` before `load`, or a
  /// model that does not fit the data, fails before anything in the cell runs.
  var checkState: CheckState {
    CheckState(
      data: dataset.map(DataShape.init),
      model: model.map { DataShape(name: "model", inputs: $0.inputWidth, outputs: $0.layers.last?.width ?? 0) })
  }

  /// The names of all runs, oldest first (the store's runs included).
  public var runNames: [String] {
    syncStore()
    return runs.map(\.name)
  }

  /// Checks and runs one cell.
  /// - Parameters:
  ///   - text: the cell's source.
  ///   - firstLine: the 1-based line of `text` within `file` (script cells).
  ///   - file: the name diagnostics use (`<cell>` in Jupyter, the script path in script mode).
  ///   - source: the whole text the line numbers refer to (defaults to `text`).
  ///   - emit: receives every output, in order.
  ///   - progress: receives throttled training progress.
  ///   - shouldStop: polled between batches; true stops training (the run is kept, status interrupted).
  public func execute(
    _ text: String, firstLine: Int = 1, file: String = "<cell>", source: String? = nil,
    emit: (OutputItem) -> Void, progress: (ProgressUpdate) -> Void, shouldStop: () -> Bool
  ) -> ExecutionOutcome {
    exitRequested = false
    let shown = source ?? text
    storeLink.file = file
    syncStore()
    for notice in takeStoreNotices() { emit(.stderr(notice)) }
    let checked = Frontend.check(
      // The store was synced just above: its runs are in `runs` (runNames would sync again).
      text, context: CheckContext(knownRuns: runs.map(\.name), state: checkState, knownPlots: plots.map(\.name)),
      firstLine: firstLine)
    let warnings = checked.diagnostics.filter { $0.severity != .error }
    if checked.hasErrors {
      let errors = checked.diagnostics.filter { $0.severity == .error }
      let traceback = DiagnosticRenderer.renderBounded(checked.diagnostics, file: file, source: shown)
      let summary =
        errors.count == 1
        ? DiagnosticRenderer.clippedText(errors[0].message) : "\(errors.count) errors; nothing in this cell ran"
      return .failed(CellError(kind: .syntax, evalue: summary, traceback: traceback))
    }
    for w in DiagnosticRenderer.renderBounded(warnings, file: file, source: shown) {
      emit(.stderr(w + "\n"))
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return withoutActuallyEscaping(emit) { emit in
      withoutActuallyEscaping(progress) { progress in
        withoutActuallyEscaping(shouldStop) { shouldStop in
          runCommands(
            checked.commands, lines: lines, firstLine: firstLine, file: file, shown: shown,
            emit: emit, progress: progress, shouldStop: shouldStop)
        }
      }
    }
  }

  /// Runs checked commands in order until one fails.
  private func runCommands(
    _ commands: [CheckedCommand], lines: [Substring], firstLine: Int, file: String, shown: String,
    emit: @escaping (OutputItem) -> Void, progress: @escaping (ProgressUpdate) -> Void,
    shouldStop: @escaping () -> Bool
  ) -> ExecutionOutcome {
    for checkedCommand in commands {
      let context = RunContext(
        emit: emit, progress: progress, shouldStop: shouldStop,
        statement: statementText(checkedCommand.range, lines: lines, firstLine: firstLine))
      if exitRequested { break }
      do {
        try run(checkedCommand.command, context)
      } catch let error as SessionError {
        let diagnostic = Diagnostic(
          severity: .error, message: error.message, range: checkedCommand.range, hint: error.hint)
        let rendered = DiagnosticRenderer.render(diagnostic, file: file, source: shown)
        return .failed(CellError(kind: error.kind, evalue: error.message, traceback: [rendered]))
      } catch {
        let diagnostic = Diagnostic(
          severity: .error, message: "\(error)", range: checkedCommand.range, hint: nil)
        let rendered = DiagnosticRenderer.render(diagnostic, file: file, source: shown)
        return .failed(CellError(kind: .runtime, evalue: "\(error)", traceback: [rendered]))
      }
    }
    return .ok
  }

  /// The source text of a statement, for the run's provenance.
  private func statementText(_ range: SourceRange, lines: [Substring], firstLine: Int) -> String {
    let first = range.start.line - firstLine
    let last = range.end.line - firstLine
    guard first >= 0, first < lines.count else { return "" }
    if first == last || last >= lines.count {
      let line = Array(lines[first])
      let lo = max(0, min(line.count, range.start.column - 1))
      let hi = max(lo, min(line.count, range.end.column - 1))
      return String(line[lo..<hi]).trimmingCharacters(in: .whitespaces)
    }
    return lines[first...last].joined(separator: " ").trimmingCharacters(in: .whitespaces)
  }

  /// Runs one checked command.
  private func run(_ command: Command, _ ctx: RunContext) throws {
    switch command {
    case .load(let args): try load(args, ctx)
    case .model(let spec): try setModel(spec, ctx)
    case .set(let params, let executor):
      if let executor { setExecutor(executor, ctx) }
      if executor == nil || params != TrainParams() { applyDefaults(params, ctx) }
    case .train(let params, let name, let executor):
      if (executor ?? cluster.executor) == .slurm {
        try submitToSlurm([(name ?? nextRunName(), params)], ctx)
      } else {
        try train(params, name: name ?? nextRunName(), automaticName: name == nil, ctx)
      }
    case .sweep(let args):
      if (args.executor ?? cluster.executor) == .slurm {
        try submitToSlurm(Array(zip(args.runNames, args.runParams)), ctx)
      } else {
        for (name, params) in zip(args.runNames, args.runParams) {
          try train(params, name: name, ctx)
        }
      }
    case .slurm(let options): slurmOptions(options, ctx)
    case .jobs: ctx.emit(.table(jobsTable()))
    case .attach(let job): try attach(job, ctx)
    case .resubmit(let job): try resubmit(job, ctx)
    case .drop(let names): try dropRuns(names, ctx)
    case .rename(let old, let new): try renameRun(old, to: new, ctx)
    case .store(let setting): setStore(setting, ctx)
    case .eval(let run, let split): try evaluate(run: run, split: split, ctx)
    case .runs: ctx.emit(.table(runsTable()))
    case .show(let run, let agg): try show(run: run, agg: agg, ctx)
    case .compare(let names, let baseline): try compare(names, baseline: baseline, ctx)
    case .plot(let args): try plot(args, ctx)
    case .plots: ctx.emit(.table(plotsTable()))
    case .titleLine(let line, let text): setTitleLine(line, text, ctx)
    case .text(let part, let text): setText(part, text, ctx)
    case .device: ctx.emit(.table(deviceTable()))
    case .env: ctx.emit(.table(environmentTable()))
    case .help(let topic):
      guard let text = HelpCatalog.text(for: topic) else {
        throw SessionError.runtime("no help for '\(topic ?? "")'", hint: "type `help` for the list of topics")
      }
      ctx.emit(.page(text))
    case .report(let file, let format, let paper, let chosen, let force):
      try report(file: file, format: format, paper: paper, plots: chosen, force: force, ctx)
    case .export(let names, let file, let format, let force):
      try export(names, file: file, format: format, force: force, ctx)
    case .print(let items, let stream):
      let text = try items.map { try printText($0) }.joined(separator: " ") + "\n"
      ctx.emit(stream == .stderr ? .stderr(text) : .text(text))
    case .get(let reference): ctx.emit(.value(try value(of: reference)))
    case .clear: ctx.emit(.clear)
    case .exit: exitRequested = true
    }
  }

  /// The next automatic run name: `run<k>` with the smallest unused k ≥ 1.
  func nextRunName() -> String {
    RunNaming.automatic(avoiding: Set(runs.map(\.name)).contains)
  }

  /// The run with this name, or the last run when `name` is nil.
  func run(named name: String?) throws -> RunRecord {
    if let name {
      guard let r = runs.first(where: { $0.name == name }) else {
        throw SessionError.runtime("no run named '\(name)'", hint: nil)
      }
      return r
    }
    guard let last = runs.last else {
      throw SessionError.runtime("there are no runs yet", hint: "train one first, e.g. `train as baseline`")
    }
    return last
  }

  /// The named runs, or all runs when the list is empty.
  func selectRuns(_ names: [String]) throws -> [RunRecord] {
    if names.isEmpty { return runs }
    return try names.map { try run(named: $0) }
  }
}

/// What a statement needs while it runs.
struct RunContext {
  let emit: (OutputItem) -> Void
  let progress: (ProgressUpdate) -> Void
  let shouldStop: () -> Bool
  /// The statement's own source text.
  let statement: String
}

/// A failure while a checked statement runs.
enum SessionError: Error {
  /// A user-facing runtime error (missing data, impossible model, unknown run, …).
  case runtime(String, hint: String?)
  /// Training was interrupted; the partial run is kept.
  case interrupted(String)

  var message: String {
    switch self {
    case .runtime(let m, _): return m
    case .interrupted(let m): return m
    }
  }
  var hint: String? {
    if case .runtime(_, let h) = self { return h }
    return nil
  }
  var kind: CellErrorKind {
    switch self {
    case .runtime: return .runtime
    case .interrupted: return .interrupted
    }
  }
}
