/// Validates parsed statements and turns them into commands, collecting every independent error.
///
/// The checker simulates run naming so later statements of the same text may refer to runs that
/// earlier statements create (`train as a` then `show a`; `train` then `show run1`). Each statement
/// family has its check functions in an extension file (Checker+Training.swift, Checker+Runs.swift, …).
struct Checker {
  let map: SourceMap
  private(set) var commands: [CheckedCommand] = []
  private(set) var diagnostics: [Diagnostic] = []
  /// Every run name known after the statements checked so far (context first, then new ones).
  var runs: [String]
  var runSet: Set<String>
  /// The data set and model so far, when the caller knows them (CheckState); nil: not checked.
  var state: CheckState?
  /// The session's plots after the statements checked so far (plot k is entry k-1), each one's name.
  var plots: [String?]
  /// Names this text trains (a name from the context may be trained again: the run is replaced;
  /// twice in one text is an error).
  var namedHere: Set<String> = []

  init(map: SourceMap, knownRuns: [String], state: CheckState? = nil, knownPlots: [String?] = []) {
    self.map = map
    runs = knownRuns
    runSet = Set(knownRuns)
    self.state = state
    plots = knownPlots
  }

  static let maxSweepRuns = 1000
  static let maxRunNameLength = 64
  /// The rule for run and plot names, in words (hints say it; `isValidRunName` applies it).
  static let nameRule = "a letter or '_' followed by letters, digits, '_' or '-'"
  /// Why a name that `isValidRunName` refuses is refused, in words.
  static func invalidNameReason(_ name: String) -> String {
    name.count > maxRunNameLength ? "longer than \(maxRunNameLength) characters" : "not a valid name"
  }

  // MARK: - Diagnostics helpers

  /// Records an error at `range`.
  mutating func error(_ message: String, _ range: SourceRange, hint: String? = nil) {
    diagnostics.append(Diagnostic(message: message, range: range, hint: hint))
  }

  /// Records a warning at `range`; the statement still becomes a command.
  mutating func warning(_ message: String, _ range: SourceRange, hint: String? = nil) {
    diagnostics.append(Diagnostic(severity: .warning, message: message, range: range, hint: hint))
  }

  private var errorCount: Int { diagnostics.count { $0.severity == .error } }

  /// The range of bytes `from..<to` relative to the start of `range`.
  func subrange(_ range: SourceRange, from: Int, to: Int) -> SourceRange {
    map.range(range.start.offset + from, range.start.offset + to)
  }

  // MARK: - Statements

  /// Checks one statement; a command is recorded only when the statement added no error.
  mutating func check(_ statement: StatementSyntax) {
    let keyword = statement.keyword.text
    guard let kind = StatementKind(rawValue: keyword), let help = HelpCatalog.statement(named: keyword) else {
      let hint =
        EditDistance.hint(for: keyword, among: HelpCatalog.statements.map(\.name))
        ?? "see 'help' for the list of statements"
      error("unknown statement '\(keyword)'", statement.keyword.range, hint: hint)
      // Keep its name known so that later references do not report a second, follow-on error.
      if let alias = statement.alias { register(alias.name.text) }
      return
    }
    let errorsBefore = errorCount
    let args = collect(statement, help: help)
    if let command = command(kind, statement, args), errorCount == errorsBefore {
      commands.append(CheckedCommand(command: command, range: statement.range))
    }
  }

  /// The command of one statement, from the check function of its kind; nil after an error.
  /// Exhaustive: a new `StatementKind` case does not compile until it has its check here.
  private mutating func command(_ kind: StatementKind, _ s: StatementSyntax, _ args: Arguments) -> Command? {
    switch kind {
    case .load: return checkLoad(s, args)
    case .model: return checkModel(s, args)
    case .set: return checkSet(s, args)
    case .train: return checkTrain(s, args)
    case .sweep: return checkSweep(s, args)
    case .eval: return checkEval(s, args)
    case .runs: return noArguments(s, args, .runs)
    case .drop: return checkDrop(s, args)
    case .rename: return checkRename(s, args)
    case .show: return checkShow(s, args)
    case .compare: return checkCompare(s, args)
    case .plot: return checkPlot(s, args)
    case .plots: return noArguments(s, args, .plots)
    case .device: return noArguments(s, args, .device)
    case .env: return noArguments(s, args, .env)
    case .help: return checkHelp(s, args)
    case .report: return checkReport(s, args)
    case .title: return checkTitleLine(s, args, .title)
    case .author: return checkTitleLine(s, args, .author)
    case .course: return checkTitleLine(s, args, .course)
    case .text: return checkText(s, args)
    case .export: return checkExport(s, args)
    case .print: return checkPrint(s, args)
    case .get: return checkGet(s, args)
    case .clear: return noArguments(s, args, .clear)
    case .exit, .quit: return noArguments(s, args, .exit)
    case .slurm: return checkSlurm(s, args)
    case .jobs: return noArguments(s, args, .jobs)
    case .attach: return checkJobReference(s, args).map { .attach(job: $0) }
    case .resubmit: return checkJobReference(s, args).map { .resubmit(job: $0) }
    }
  }

  /// Positional values and named parameters of a statement, after name checks.
  struct Arguments {
    var positional: [ValueSyntax] = []
    var named: [(name: NameSyntax, value: ValueSyntax)] = []
    func value(_ name: String) -> ValueSyntax? { named.first { $0.name.text == name }?.value }
  }

  /// Sorts a statement's arguments into positional and named ones, reporting unknown and repeated names.
  private mutating func collect(_ statement: StatementSyntax, help: StatementHelp) -> Arguments {
    var args = Arguments()
    let allowed = help.namedParams.map(\.name)
    var seen: [String: SourceRange] = [:]
    for argument in statement.arguments {
      switch argument {
      case .positional(let value):
        args.positional.append(value)
      case .named(let name, let value):
        guard allowed.contains(name.text) else {
          let message =
            allowed.isEmpty
            ? "'\(help.name)' takes no parameters, found '\(name.text)='"
            : "unknown parameter '\(name.text)' for '\(help.name)'"
          let hint =
            Synonyms.paramHint(for: name.text, allowed: allowed)
            ?? EditDistance.hint(for: name.text, among: allowed)
            ?? (allowed.isEmpty ? nil : "'\(help.name)' accepts: \(allowed.joined(separator: ", "))")
          error(message, name.range, hint: hint)
          continue
        }
        if let first = seen[name.text] {
          error(
            "parameter '\(name.text)' given twice", argument.range,
            hint: "first given at \(first.start.line):\(first.start.column); remove one")
          continue
        }
        seen[name.text] = name.range
        args.named.append((name, value))
      }
    }
    if let alias = statement.alias, !help.acceptsName {
      error(
        "'\(help.name)' does not take a name", SourceRange(start: alias.keyword.start, end: alias.name.range.end),
        hint: "only train, sweep and plot accept 'as NAME'")
    }
    return args
  }

  /// The command of a statement that takes no arguments, or nil with an error when it got some.
  mutating func noArguments(_ s: StatementSyntax, _ args: Arguments, _ command: Command) -> Command? {
    if let first = args.positional.first {
      error("'\(s.keyword.text)' takes no arguments", first.range)
      return nil
    }
    return command
  }

  /// Reports the first positional argument beyond `max`; true when there was one.
  mutating func tooMany(_ s: StatementSyntax, _ args: Arguments, max: Int, what: String) -> Bool {
    guard args.positional.count > max else { return false }
    let extra = args.positional[max]
    error(
      "too many arguments for '\(s.keyword.text)': it takes \(what)", extra.range,
      hint: "syntax: \(HelpCatalog.statement(named: s.keyword.text)?.syntax ?? s.keyword.text)")
    return true
  }
}
