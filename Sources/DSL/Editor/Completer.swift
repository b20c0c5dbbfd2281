/// Tab completion of statements, parameter names and values, metrics, run names and help topics.
public enum Completer {
  /// Matches for the word before `cursor`; `cursor`, `start` and `end` count Unicode scalars.
  /// The matches replace `start..<end` (the word typed so far).
  /// `plots` are the names of the session's named plots (for `report plots=`).
  public static func complete(_ text: String, cursor: Int, runs: [String], plots: [String] = []) -> (
    matches: [String], start: Int, end: Int
  ) {
    let context = EditorContext(text, cursor: cursor)
    let start = context.wordStart
    let end = context.cursor
    guard !context.inCommentOrString else { return ([], end, end) }
    let prefix = context.string(start, end)
    let candidates = self.candidates(context, wordStart: start, prefix: prefix, runs: runs, plots: plots)
    var seen = Set<String>()
    let matches = candidates.filter { $0.hasPrefix(prefix) && $0 != prefix && seen.insert($0).inserted }
    return (matches, start, end)
  }

  private static func candidates(
    _ context: EditorContext, wordStart: Int, prefix: String, runs: [String], plots: [String]
  ) -> [String] {
    let before = context.words(before: wordStart)
    guard let keyword = before.first else {
      return HelpCatalog.statements.map(\.name)
    }
    guard let kind = StatementKind(rawValue: keyword), let help = HelpCatalog.statement(named: keyword) else {
      return []
    }
    if let param = context.parameterOfValue(at: wordStart) {
      let values: [String]
      switch (keyword, param) {
      case (_, "baseline"): values = runs
      case ("report", "plots"): values = ["all"] + plots
      default: values = help.namedParams.first { $0.name == param }?.choices ?? []
      }
      let written = Set(context.listItems(before: wordStart))
      return values.filter { !written.contains($0) }
    }
    if before.last == "as" { return [] }
    let positionals = before.dropFirst().filter { !$0.contains("=") }.count
    let given = Set(
      before.compactMap { word in word.split(separator: "=", maxSplits: 1).first.map { String($0) + "=" } })
    let named = help.namedParams.map { $0.name + "=" }.filter { !given.contains($0) }
    var positional: [String] = []
    switch kind {
    case .load: positional = positionals == 0 ? ["fashion", "fashion-mnist"] : []
    case .plot: positional = positionals == 0 ? Metric.allCases.map(\.rawValue) : runs
    case .eval, .show: positional = positionals == 0 ? runs : []
    case .compare, .export, .drop: positional = runs
    case .rename: positional = positionals == 0 ? runs : []
    case .help: positional = positionals == 0 ? HelpCatalog.topics : []
    case .text: positional = positionals == 0 ? ReportPart.allCases.map(\.rawValue) : []
    case .print, .get:
      if let dot = prefix.firstIndex(of: ".") {
        let run = String(prefix[..<dot])
        positional = runs.contains(run) ? RunField.allCases.map { "\(run).\($0.rawValue)" } : []
      } else {
        positional = TrainParam.allCases.map(\.rawValue) + runs.map { $0 + "." }
      }
      if kind == .get && positionals > 0 { positional = [] }
    case .model, .set, .train, .sweep, .runs, .plots, .device, .env, .report, .title, .author, .course,
      .clear, .exit, .quit, .slurm, .jobs, .attach, .resubmit:
      positional = []
    }
    let nameOption = help.acceptsName ? ["as"] : []
    return positional + named + nameOption
  }
}
