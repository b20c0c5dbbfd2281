/// What the checker knows before a text runs.
public struct CheckContext: Sendable {
  /// Runs the session already holds, in creation order.
  public var knownRuns: [String]
  /// The data set and model before the text, when known (nil: not checked).
  public var state: CheckState?
  /// The session's plots in the order they were made (plot k is entry k-1): each one's name, if any.
  public var knownPlots: [String?]

  /// Creates a context.
  public init(knownRuns: [String] = [], state: CheckState? = nil, knownPlots: [String?] = []) {
    self.knownRuns = knownRuns
    self.state = state
    self.knownPlots = knownPlots
  }
}

/// The outcome of checking a text: commands in order, and every diagnostic.
public struct CheckResult: Sendable {
  /// The commands of the statements that passed (all of them when `hasErrors` is false).
  var commands: [CheckedCommand]
  /// Errors and warnings, ordered by position.
  public var diagnostics: [Diagnostic]
  /// Whether any diagnostic is an error; then nothing of the text should run.
  var hasErrors: Bool
  /// The run names known after the text: the context's, then those its statements create.
  public var knownRuns: [String] = []
  /// The data set and model after the text (nil when the context had none).
  public var state: CheckState?
  /// The plots known after the text (entry k-1 is plot k's name, if any).
  public var knownPlots: [String?] = []

  /// Creates a result.
  init(commands: [CheckedCommand], diagnostics: [Diagnostic]) {
    self.commands = commands
    self.diagnostics = diagnostics
    self.hasErrors = diagnostics.contains { $0.severity == .error }
  }
}

/// The language front end: lexing, parsing and checking in one call.
public enum Frontend {
  /// Checks a cell or script; line numbers start at `firstLine` so diagnostics point into the file.
  public static func check(_ text: String, context: CheckContext, firstLine: Int = 1) -> CheckResult {
    let map = SourceMap(bytes: Array(text.utf8), firstLine: firstLine)
    let (statements, syntaxDiagnostics) = Parser.parse(map)
    var checker = Checker(map: map, knownRuns: context.knownRuns, state: context.state, knownPlots: context.knownPlots)
    for statement in statements { checker.check(statement) }
    let all = (syntaxDiagnostics + checker.diagnostics).enumerated().sorted {
      ($0.element.range.start.offset, $0.offset) < ($1.element.range.start.offset, $1.offset)
    }.map(\.element)
    // A statement touched by a lexical or syntax error never becomes a command.
    let commands = checker.commands.filter { command in
      !syntaxDiagnostics.contains {
        $0.range.start.offset < max(command.range.end.offset, command.range.start.offset + 1)
          && $0.range.end.offset >= command.range.start.offset
      }
    }
    var result = CheckResult(commands: commands, diagnostics: all)
    result.knownRuns = checker.runs
    result.state = checker.state
    result.knownPlots = checker.plots
    return result
  }

  /// Only lexes and parses, returning the syntax diagnostics (used by completeness checks).
  static func syntaxDiagnostics(_ text: String) -> (statements: [StatementSyntax], diagnostics: [Diagnostic]) {
    Parser.parse(SourceMap(bytes: Array(text.utf8)))
  }

  /// A representative script of `lines` statements for parse benchmarks (deterministic).
  static func benchmarkScript(lines: Int) -> String {
    let templates = [
      "train batch=32 lr=1e-3 opt=adam seed=%d as run_%d  # a comment",
      "sweep batch=16,32,64 lr=0.01,1e-4 as sw_%d_%d",
      "set epochs=10 seed=%d device=auto threads=2; model 784-256-tanh-128-relu-10 # %d",
      "print \"value ünïcode\" run_%d.test_acc %d.5 to=stderr",
      "plot grad_sq run_%d layer=1 per=step log=on # %d",
    ]
    var out = "load fashion dir=\"/tmp/data\" train=6000 test=1000\n"
    out.reserveCapacity(lines * 60)
    for i in 0..<max(lines - 1, 0) {
      var line = templates[i % templates.count]
      let n = i - i % templates.count
      for _ in 0..<2 {
        if let r = line.firstRange(of: "%d") { line.replaceSubrange(r, with: String(n)) }
      }
      out += line + "\n"
    }
    return out
  }
}
