/// Validates parsed statements and turns them into commands, collecting every independent error.
///
/// The checker simulates run naming so later statements of the same text may refer to runs that
/// earlier statements create (`train as a` then `show a`; `train` then `show run1`).
struct Checker {
  let map: SourceMap
  private(set) var commands: [CheckedCommand] = []
  private(set) var diagnostics: [Diagnostic] = []
  /// Every run name known after the statements checked so far (context first, then new ones).
  private(set) var runs: [String]
  private var runSet: Set<String>
  /// The data set and model so far, when the caller knows them (CheckState); nil: not checked.
  private(set) var state: CheckState?
  /// The session's plots after the statements checked so far (plot k is entry k-1), each one's name.
  private(set) var plots: [String?]
  /// Names this text trains (a name from the context may be trained again: the run is replaced;
  /// twice in one text is an error).
  private var namedHere: Set<String> = []

  init(map: SourceMap, knownRuns: [String], state: CheckState? = nil, knownPlots: [String?] = []) {
    self.map = map
    runs = knownRuns
    runSet = Set(knownRuns)
    self.state = state
    plots = knownPlots
  }

  static let maxSweepRuns = 1000
  static let maxRunNameLength = 64

  // MARK: - Diagnostics helpers

  mutating func error(_ message: String, _ range: SourceRange, hint: String? = nil) {
    diagnostics.append(Diagnostic(message: message, range: range, hint: hint))
  }

  private var errorCount: Int { diagnostics.count { $0.severity == .error } }

  /// Warns when one statement sets a non-zero momentum together with opt=adam (Adam ignores it).
  private mutating func warnMomentumWithAdam(_ params: TrainParams, _ args: Arguments) {
    guard params.opt == .adam, let momentum = params.momentum, momentum != 0,
      let value = args.value("momentum")
    else { return }
    diagnostics.append(
      Diagnostic(severity: .warning, message: "momentum has no effect with opt=adam", range: value.range,
        hint: "momentum applies to opt=sgd"))
  }

  /// The range of bytes `from..<to` relative to the start of `range`.
  private func subrange(_ range: SourceRange, from: Int, to: Int) -> SourceRange {
    map.range(range.start.offset + from, range.start.offset + to)
  }

  // MARK: - Statements

  mutating func check(_ statement: StatementSyntax) {
    let keyword = statement.keyword.text
    guard let help = HelpCatalog.statement(named: keyword) else {
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
    let command: Command?
    switch keyword {
    case "load": command = checkLoad(statement, args)
    case "model": command = checkModel(statement, args)
    case "set": command = checkSet(statement, args)
    case "train": command = checkTrain(statement, args)
    case "sweep": command = checkSweep(statement, args)
    case "eval": command = checkEval(statement, args)
    case "runs": command = noArguments(statement, args, .runs)
    case "drop": command = checkDrop(statement, args)
    case "rename": command = checkRename(statement, args)
    case "show": command = checkShow(statement, args)
    case "compare": command = checkCompare(statement, args)
    case "plot": command = checkPlot(statement, args)
    case "plots": command = noArguments(statement, args, .plots)
    case "title": command = checkTitleLine(statement, args, .title)
    case "author": command = checkTitleLine(statement, args, .author)
    case "course": command = checkTitleLine(statement, args, .course)
    case "text": command = checkText(statement, args)
    case "device": command = noArguments(statement, args, .device)
    case "env": command = noArguments(statement, args, .env)
    case "help": command = checkHelp(statement, args)
    case "report": command = checkReport(statement, args)
    case "export": command = checkExport(statement, args)
    case "print": command = checkPrint(statement, args)
    case "get": command = checkGet(statement, args)
    case "clear": command = noArguments(statement, args, .clear)
    case "exit", "quit": command = noArguments(statement, args, .exit)
    case "slurm": command = checkSlurm(statement, args)
    case "jobs": command = noArguments(statement, args, .jobs)
    case "attach": command = checkJobReference(statement, args).map { .attach(job: $0) }
    case "resubmit": command = checkJobReference(statement, args).map { .resubmit(job: $0) }
    default: command = nil
    }
    if let command, errorCount == errorsBefore {
      commands.append(CheckedCommand(command: command, range: statement.range))
    }
  }

  /// Positional values and named parameters of a statement, after name checks.
  struct Arguments {
    var positional: [ValueSyntax] = []
    var named: [(name: NameSyntax, value: ValueSyntax)] = []
    func value(_ name: String) -> ValueSyntax? { named.first { $0.name.text == name }?.value }
  }

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
          error("parameter '\(name.text)' given twice", argument.range,
            hint: "first given at \(first.start.line):\(first.start.column); remove one")
          continue
        }
        seen[name.text] = name.range
        args.named.append((name, value))
      }
    }
    if let alias = statement.alias, !help.acceptsName {
      error("'\(help.name)' does not take a name", SourceRange(start: alias.keyword.start, end: alias.name.range.end),
        hint: "only train, sweep and plot accept 'as NAME'")
    }
    return args
  }

  mutating func noArguments(_ s: StatementSyntax, _ args: Arguments, _ command: Command) -> Command? {
    if let first = args.positional.first {
      error("'\(s.keyword.text)' takes no arguments", first.range)
      return nil
    }
    return command
  }

  mutating func tooMany(_ s: StatementSyntax, _ args: Arguments, max: Int, what: String) -> Bool {
    guard args.positional.count > max else { return false }
    let extra = args.positional[max]
    error("too many arguments for '\(s.keyword.text)': it takes \(what)", extra.range,
      hint: "syntax: \(HelpCatalog.statement(named: s.keyword.text)?.syntax ?? s.keyword.text)")
    return true
  }

  // MARK: - Values

  /// The single item of a value, or an error when a list was written.
  mutating func single(_ value: ValueSyntax, _ what: String, listHint: String? = nil) -> ScalarSyntax? {
    if value.isList {
      error("\(what) takes one value, not a list", value.range, hint: listHint)
      return nil
    }
    return value.items[0]
  }

  mutating func integer(_ s: ScalarSyntax, _ name: String, _ range: ClosedRange<Int>, shown: String) -> Int? {
    guard case .number(let n) = s.kind else {
      error("'\(name)' expects an integer, found '\(s.text)'", s.range, hint: dotHint(s) ?? "e.g. \(name)=\(range.lowerBound)")
      return nil
    }
    guard n.isInteger else {
      error("'\(name)' expects an integer, found '\(n.text)'", s.range)
      return nil
    }
    guard let v = n.intValue, range.contains(v) else {
      error("'\(name)' must be in \(shown), found \(n.text)", s.range)
      return nil
    }
    return v
  }

  private mutating func number(_ s: ScalarSyntax, _ name: String, valid: (Double) -> Bool, shown: String) -> Double? {
    guard case .number(let n) = s.kind else {
      error("'\(name)' expects a number, found '\(s.text)'", s.range, hint: dotHint(s))
      return nil
    }
    guard n.doubleValue.isFinite, valid(n.doubleValue) else {
      error("'\(name)' must be \(shown), found \(n.text)", s.range)
      return nil
    }
    return n.doubleValue
  }

  /// `write 0.5` for `.5`-style literals.
  private func dotHint(_ s: ScalarSyntax) -> String? {
    guard case .word(let w) = s.kind else { return nil }
    let negative = w.hasPrefix("-")
    let body = negative ? String(w.dropFirst()) : w
    guard body.hasPrefix("."), NumberLiteral.parse("0" + body) != nil else { return nil }
    return "write \(negative ? "-" : "")0\(body): a number needs a digit before '.'"
  }

  private mutating func word(_ s: ScalarSyntax) -> String { s.stringValue }

  /// A value of an enumeration, accepted in any letter case (`opt=SGD`); `synonyms` only hint.
  mutating func choice<E: RawRepresentable & CaseIterable>(_ s: ScalarSyntax, _ name: String, _: E.Type, synonyms: [String: E] = [:]) -> E?
  where E.RawValue == String {
    let text = s.stringValue
    if let v = E(rawValue: text) ?? E(rawValue: text.lowercased()) { return v }
    let names = E.allCases.map(\.rawValue)
    let suggestion =
      synonyms[text.lowercased()].map { "did you mean '\($0.rawValue)'?" }
      ?? EditDistance.hint(for: text, among: names)
    error("invalid value '\(text)' for '\(name)': expected one of: \(names.joined(separator: ", "))", s.range, hint: suggestion)
    return nil
  }

  private mutating func boolean(_ s: ScalarSyntax, _ name: String) -> Bool? {
    switch s.stringValue.lowercased() {
    case "on", "true": return true
    case "off", "false": return false
    default:
      error("invalid value '\(s.stringValue)' for '\(name)': expected one of: on, off, true, false", s.range,
        hint: EditDistance.hint(for: s.stringValue, among: ["on", "off", "true", "false"]))
      return nil
    }
  }

  /// A training parameter value as a TrainParams with only that field set, checked against the
  /// parameter table (`TrainParam.definition`).
  private mutating func trainValue(_ p: TrainParam, _ s: ScalarSyntax) -> TrainParams? {
    let name = p.rawValue
    switch p.definition.kind {
    case .integer(let bounds, let field):
      guard let v = integer(s, name, bounds.range, shown: bounds.shown) else { return nil }
      return field.only(v)
    case .number(let bounds, let field):
      guard let v = number(s, name, valid: bounds.contains, shown: bounds.shown) else { return nil }
      return field.only(v)
    case .choice(let field):
      func pick<F: ChoiceField>(_ field: F) -> TrainParams? {
        choice(s, name, F.Value.self).map(field.only)
      }
      return pick(field)
    case .boolean(let field):
      guard let v = boolean(s, name) else { return nil }
      return field.only(v)
    }
  }

  /// Scalar training parameters of set/train; lists are errors.
  private mutating func trainParams(_ args: Arguments, statement: String) -> TrainParams? {
    var params = TrainParams()
    var ok = true
    for (name, value) in args.named {
      guard let p = TrainParam(rawValue: name.text) else { continue }
      guard let s = single(value, "'\(name.text)' in '\(statement)'", listHint: "to try several values, use: sweep \(name.text)=\(value.items.map(\.text).joined(separator: ","))") else {
        ok = false
        continue
      }
      guard let v = trainValue(p, s) else {
        ok = false
        continue
      }
      params = v.merged(over: params)
    }
    return ok ? params : nil
  }

  // MARK: - Run names

  static func isValidRunName(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars)
    guard let first = scalars.first, scalars.count <= maxRunNameLength else { return false }
    func letter(_ c: Unicode.Scalar) -> Bool { (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" }
    guard letter(first) else { return false }
    return scalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") || $0 == "-" }
  }

  private mutating func newRunName(_ name: NameSyntax) -> String? {
    guard Checker.isValidRunName(name.text) else {
      let reason = name.text.count > Checker.maxRunNameLength ? "longer than 64 characters" : "not a valid name"
      error("run name '\(name.text)' is \(reason)", name.range,
        hint: "a run name is a letter or '_' followed by letters, digits, '_' or '-' (at most 64)")
      return nil
    }
    if namedHere.contains(name.text) {
      error("run '\(name.text)' is already trained earlier in this cell", name.range,
        hint: "choose another name with 'as NAME'")
      return nil
    }
    return name.text
  }

  private mutating func register(_ name: String) {
    namedHere.insert(name)
    if runSet.insert(name).inserted { runs.append(name) }
  }

  private mutating func unregister(_ name: String) {
    namedHere.remove(name)
    if runSet.remove(name) != nil { runs.removeAll { $0 == name } }
  }

  private func nextDefaultName() -> String {
    RunNaming.automatic(avoiding: runSet.contains)
  }

  /// An existing run named by `s`, or nil with an error.
  private mutating func existingRun(_ s: ScalarSyntax) -> String? {
    let name = s.stringValue
    if runSet.contains(name) { return name }
    let hint = EditDistance.hint(for: name, among: runs) ?? (runs.isEmpty ? "no runs exist yet; create one with train" : "runs: \(runs.prefix(8).joined(separator: ", "))\(runs.count > 8 ? ", ..." : "")")
    error("unknown run '\(name)'", s.range, hint: hint)
    return nil
  }

  private mutating func runList(_ values: [ValueSyntax]) -> [String]? {
    var out: [String] = []
    var ok = true
    for value in values {
      for item in value.items {
        if let name = existingRun(item) { out.append(name) } else { ok = false }
      }
    }
    return ok ? out : nil
  }

  // MARK: - Individual statements

  private mutating func checkLoad(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard let first = args.positional.first else {
      error("'load' needs a data set name", s.keyword.range, hint: "write: load fashion")
      return nil
    }
    if tooMany(s, args, max: 1, what: "one data set name") { return nil }
    var result = LoadArgs(dataset: "fashion")
    var ok = true
    if let item = single(first, "'load'") {
      let name = item.stringValue
      if name != "fashion" && name != "fashion-mnist" {
        error("unknown data set '\(name)'", item.range,
          hint: EditDistance.hint(for: name, among: ["fashion", "fashion-mnist"]) ?? "the data set is: fashion")
        ok = false
      }
    } else { ok = false }
    if let v = args.value("dir") {
      if let item = single(v, "'dir'") { result.directory = item.stringValue } else { ok = false }
    }
    if let v = args.value("train") {
      if let item = single(v, "'train'"), let n = integer(item, "train", 1...60_000, shown: "1...60_000") { result.trainLimit = n } else { ok = false }
    }
    if let v = args.value("test") {
      if let item = single(v, "'test'"), let n = integer(item, "test", 1...10_000, shown: "1...10_000") { result.testLimit = n } else { ok = false }
    }
    if ok { state?.data = .fashion }
    return ok ? .load(result) : nil
  }

  private mutating func checkModel(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard let first = args.positional.first else {
      error("'model' needs a layer spec", s.keyword.range, hint: "e.g. model 784-128-relu-10")
      return nil
    }
    if tooMany(s, args, max: 1, what: "one spec such as 784-128-relu-10") { return nil }
    guard let item = single(first, "'model'") else { return nil }
    if case .string = item.kind {
      error("a model spec is written without quotes", item.range, hint: "e.g. model 784-128-relu-10")
      return nil
    }
    guard let spec = checkModelSpec(item) else { return nil }
    if let first = spec.widths.first, let last = spec.widths.last, state != nil {
      let shape = DataShape(name: "model", inputs: first, outputs: last)
      state?.model = shape
      if let data = state?.data, !modelFits(shape, data, at: item.range) { return nil }
    }
    return .model(spec)
  }

  /// Reports a model whose input or output width does not match the data set (as `train` would).
  private mutating func modelFits(_ model: DataShape, _ data: DataShape, at range: SourceRange) -> Bool {
    let example = "`model \(data.inputs)-128-relu-\(data.outputs)`"
    if model.inputs != data.inputs {
      error("the model's input width is \(model.inputs) but \(data.name) images have \(data.inputs) pixels", range,
        hint: "start the model with \(data.inputs), e.g. \(example)")
      return false
    }
    if model.outputs != data.outputs {
      error("the model's output width is \(model.outputs) but \(data.name) has \(data.outputs) classes", range,
        hint: "end the model with \(data.outputs), e.g. \(example)")
      return false
    }
    return true
  }

  /// Reports `train`/`sweep` before any `load` or `model` (when the state is known).
  mutating func needsDataAndModel(_ s: StatementSyntax) -> Bool {
    guard let state else { return true }
    if state.data == nil {
      error("no data set is loaded", s.keyword.range, hint: "run `load fashion` first")
      return false
    }
    if state.model == nil {
      error("no model is defined", s.keyword.range, hint: "define one first, e.g. `model 784-128-relu-10`")
      return false
    }
    return true
  }

  /// Checks a model spec, reporting each problem at its exact part of the spec.
  private mutating func checkModelSpec(_ item: ScalarSyntax) -> ModelSpecSyntax? {
    switch ModelSpecParser.parse(item.text) {
    case .success(let spec):
      return spec
    case .failure(let problems):
      for problem in problems.list {
        error(problem.message, subrange(item.range, from: problem.from, to: problem.to), hint: problem.hint)
      }
      return nil
    }
  }

  /// `set store=…`: a quoted path, `off` or `default`, alone in its statement.
  private mutating func checkStore(_ s: StatementSyntax, _ args: Arguments, _ value: ValueSyntax) -> Command? {
    if let other = args.named.first(where: { $0.name.text != "store" }) {
      error("'store=' goes in a 'set' statement of its own", other.name.range,
        hint: "write: set store=... ; set \(other.name.text)=...")
      return nil
    }
    guard let item = single(value, "'store'") else { return nil }
    switch item.kind {
    case .string(let path):
      guard !path.isEmpty else {
        error("'store' must not be empty", item.range, hint: "write store=off to keep runs in memory only")
        return nil
      }
      return .store(.path(path))
    case .word("off"), .word("false"): return .store(.off)
    case .word("default"): return .store(.automatic)
    case .word, .number:
      error("invalid value '\(item.text)' for 'store': expected a quoted path, off or default", item.range,
        hint: "e.g. set store=\"runs.db\"")
      return nil
    }
  }

  private mutating func checkSet(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if let first = args.positional.first {
      error("'set' takes PARAM=VALUE pairs, found '\(first.items[0].text)'", first.range,
        hint: EditDistance.suggestion(for: first.items[0].stringValue, among: TrainParam.allCases.map(\.rawValue)).map { "did you mean '\($0)=...'?" })
      return nil
    }
    if s.arguments.isEmpty {
      error("'set' needs at least one PARAM=VALUE", s.keyword.range, hint: "e.g. set epochs=10 seed=0")
      return nil
    }
    if let store = args.value("store") { return checkStore(s, args, store) }
    let executor = executorArgument(args)
    guard let params = trainParams(args, statement: "set"), let executor else { return nil }
    warnMomentumWithAdam(params, args)
    return .set(params, executor: executor.value)
  }

  private mutating func checkTrain(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if let first = args.positional.first {
      let text = first.items[0].stringValue
      error("'train' takes PARAM=VALUE pairs, found '\(first.items[0].text)'", first.range,
        hint: Checker.isValidRunName(text) ? "to name the run, write: as \(text)" : nil)
    }
    var name: String?
    if let alias = s.alias {
      name = newRunName(alias.name)
      register(alias.name.text)
    } else {
      register(nextDefaultName())
    }
    let executor = executorArgument(args)
    guard let params = trainParams(args, statement: "train"), let executor, args.positional.isEmpty else { return nil }
    guard needsDataAndModel(s) else { return nil }
    if s.alias != nil && name == nil { return nil }
    warnMomentumWithAdam(params, args)
    return .train(params, name: name, executor: executor.value)
  }

  private mutating func checkSweep(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    var ok = true
    if let first = args.positional.first {
      error("'sweep' takes PARAM=V1,V2 pairs, found '\(first.items[0].text)'", first.range)
      ok = false
    }
    var base = TrainParams()
    var axes: [SweepAxis] = []
    for (name, value) in args.named {
      guard let p = TrainParam(rawValue: name.text) else { continue }
      if !value.isList {
        if let v = trainValue(p, value.items[0]) { base = v.merged(over: base) } else { ok = false }
        continue
      }
      var literals: [String] = []
      var values: [TrainParams] = []
      var seen = Set<TrainParams>()
      for item in value.items {
        guard let v = trainValue(p, item) else {
          ok = false
          continue
        }
        if !seen.insert(v).inserted {
          error("duplicate value \(item.text) in the list for '\(name.text)'", item.range, hint: "remove it")
          ok = false
          continue
        }
        literals.append(item.stringValue)
        values.append(v)
      }
      axes.append(SweepAxis(param: p, literals: literals, values: values))
    }
    let executor = executorArgument(args)
    if executor == nil { ok = false }
    var prefix: String?
    if let alias = s.alias {
      if Checker.isValidRunName(alias.name.text) && alias.name.text.count < Checker.maxRunNameLength {
        prefix = alias.name.text
      } else {
        error("sweep prefix '\(alias.name.text)' is not a valid name", alias.name.range,
          hint: "a name is a letter or '_' followed by letters, digits, '_' or '-'")
        ok = false
      }
    }
    if axes.isEmpty && ok {
      error("'sweep' needs at least one list of values, such as batch=16,64", s.keyword.range,
        hint: "for a single run use train")
      return nil
    }
    guard ok else { return nil }
    let total = axes.reduce(1) { $0 * $1.values.count }
    guard total <= Checker.maxSweepRuns else {
      error("this sweep would start \(total) runs; the limit is \(Checker.maxSweepRuns)", s.range)
      return nil
    }
    var names: [String] = []
    var params: [TrainParams] = []
    var combination = [Int](repeating: 0, count: axes.count)
    for _ in 0..<total {
      var p = base
      var parts: [(param: String, literal: String)] = []
      for (axisIndex, axis) in axes.enumerated() {
        let k = combination[axisIndex]
        p = axis.values[k].merged(over: p)
        parts.append((axis.param.rawValue, axis.literals[k]))
      }
      names.append(RunNaming.sweep(prefix: prefix, parts: parts))
      params.append(p)
      var axisIndex = axes.count - 1
      while axisIndex >= 0 {
        combination[axisIndex] += 1
        if combination[axisIndex] < axes[axisIndex].values.count { break }
        combination[axisIndex] = 0
        axisIndex -= 1
      }
    }
    for name in names {
      if !Checker.isValidRunName(name) {
        let reason = name.count > Checker.maxRunNameLength ? "is longer than 64 characters" : "is not a valid name"
        error("sweep run name '\(name)' \(reason)", s.range, hint: "use fewer lists, plain values or a shorter prefix")
        return nil
      }
      if namedHere.contains(name) {
        error("sweep run '\(name)' is already trained earlier in this cell", s.alias?.name.range ?? s.keyword.range,
          hint: "choose a prefix with 'as PREFIX'")
        return nil
      }
    }
    for name in names { register(name) }
    guard needsDataAndModel(s) else { return nil }
    return .sweep(SweepArgs(
      axes: axes, base: base, prefix: prefix, runNames: names, runParams: params, executor: executor?.value))
  }

  private mutating func optionalRun(_ s: StatementSyntax, _ args: Arguments) -> (ok: Bool, run: String?) {
    if tooMany(s, args, max: 1, what: "at most one run name") { return (false, nil) }
    if let value = args.positional.first {
      guard let item = single(value, "'\(s.keyword.text)'"), let run = existingRun(item) else { return (false, nil) }
      return (true, run)
    }
    if runs.isEmpty {
      error("there is no run to \(s.keyword.text) yet", s.keyword.range, hint: "train a run first")
      return (false, nil)
    }
    return (true, nil)
  }

  private mutating func checkEval(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let (ok, run) = optionalRun(s, args)
    var split = Split.test
    var splitOK = true
    if let v = args.value("on") {
      if let item = single(v, "'on'"), let value = choice(item, "on", Split.self) { split = value } else { splitOK = false }
    }
    return ok && splitOK ? .eval(run: run, split: split) : nil
  }

  private mutating func checkShow(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let (ok, run) = optionalRun(s, args)
    var agg = Aggregate.mean
    var aggOK = true
    if let v = args.value("agg") {
      if let item = single(v, "'agg'"), let a = choice(item, "agg", Aggregate.self) { agg = a } else { aggOK = false }
    }
    return ok && aggOK ? .show(run: run, agg: agg) : nil
  }

  private mutating func checkDrop(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard !args.positional.isEmpty else {
      error("'drop' needs the runs to drop", s.keyword.range, hint: "e.g. drop run1 run2; `runs` lists them")
      return nil
    }
    guard let list = runList(args.positional) else { return nil }
    var seen = Set<String>()
    for name in list where !seen.insert(name).inserted {
      error("run '\(name)' is named twice", s.range, hint: "name each run once")
      return nil
    }
    for name in list { unregister(name) }
    return .drop(runs: list)
  }

  private mutating func checkRename(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard args.positional.count == 2 else {
      if args.positional.count > 2 {
        error("too many arguments for 'rename': it takes OLD NEW", args.positional[2].range, hint: "e.g. rename run1 baseline")
      } else {
        error("'rename' needs the run's name and its new name", args.positional.first?.range ?? s.keyword.range,
          hint: "e.g. rename run1 baseline")
      }
      return nil
    }
    guard let oldItem = single(args.positional[0], "'rename'"), let newItem = single(args.positional[1], "'rename'"),
      let old = existingRun(oldItem)
    else { return nil }
    let new = newItem.stringValue
    guard Checker.isValidRunName(new) else {
      let reason = new.count > Checker.maxRunNameLength ? "longer than 64 characters" : "not a valid name"
      error("run name '\(new)' is \(reason)", newItem.range,
        hint: "a run name is a letter or '_' followed by letters, digits, '_' or '-' (at most 64)")
      return nil
    }
    if runSet.contains(new) {
      error("a run named '\(new)' already exists", newItem.range, hint: "choose another name, or drop that run first")
      return nil
    }
    unregister(old)
    if runSet.insert(new).inserted { runs.append(new) }
    return .rename(from: old, to: new)
  }

  private mutating func checkCompare(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let list = runList(args.positional)
    var baseline: String?
    var ok = true
    if let v = args.value("baseline") {
      if let item = single(v, "'baseline'"), let run = existingRun(item) { baseline = run } else { ok = false }
    }
    guard let list, ok else { return nil }
    return .compare(runs: list, baseline: baseline)
  }

  private mutating func checkPlot(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard let first = args.positional.first else {
      error("'plot' needs a metric", s.keyword.range, hint: "e.g. plot test_acc; see 'help metrics'")
      return nil
    }
    var ok = true
    var metric: Metric?
    if let item = single(first, "the metric of 'plot'") {
      metric = choice(item, "plot", Metric.self, synonyms: Synonyms.metrics)
    }
    let runs = runList(Array(args.positional.dropFirst()))
    var layer: Int?
    if let v = args.value("layer"), let item = single(v, "'layer'") {
      layer = integer(item, "layer", 1...32, shown: "1...32")
      if layer == nil { ok = false }
      if let metric, !metric.usesLayer {
        error("'layer=' applies only to grad_sq, weight_norm and grad_norm, not \(metric.rawValue)", v.range)
        ok = false
      }
    } else if args.value("layer") != nil { ok = false }
    var per = Granularity.epoch
    if let v = args.value("per") {
      if let item = single(v, "'per'"), let g = choice(item, "per", Granularity.self) {
        per = g
        if g == .step, let metric, !metric.allowsSteps {
          error("per=step is only available for grad_sq and train_loss, not \(metric.rawValue)", v.range)
          ok = false
        }
      } else { ok = false }
    }
    var logScale: Bool?
    if let v = args.value("log") {
      if let item = single(v, "'log'"), let b = boolean(item, "log") { logScale = b } else { ok = false }
    }
    var agg = Aggregate.mean
    if let v = args.value("agg") {
      if let item = single(v, "'agg'"), let a = choice(item, "agg", Aggregate.self) {
        agg = a
        if let metric, metric != .gradSq {
          error("'agg=' applies only to grad_sq, not \(metric.rawValue)", v.range)
          ok = false
        } else if a == .sum && per == .step {
          error("agg=sum sums an epoch's steps; it does not apply to per=step", v.range,
            hint: "per=step shows every step's δ²; leave out agg=")
          ok = false
        }
      } else { ok = false }
    }
    var seeds = SeedDrawing.mean
    if let v = args.value("seeds") {
      if let item = single(v, "'seeds'"), let d = choice(item, "seeds", SeedDrawing.self) { seeds = d } else { ok = false }
    }
    var name: String?
    if let alias = s.alias {
      name = plotName(alias.name)
      if name == nil { ok = false }
    }
    registerPlot(name)
    guard ok, let metric, let runs else { return nil }
    if metric == .gradSq && layer == nil { layer = 1 }
    return .plot(PlotArgs(metric: metric, runs: runs, layer: layer, per: per, logScale: logScale,
                          agg: agg, seeds: seeds, name: name))
  }

  private mutating func checkHelp(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if tooMany(s, args, max: 1, what: "at most one topic") { return nil }
    guard let value = args.positional.first else { return .help(topic: nil) }
    guard let item = single(value, "'help'") else { return nil }
    let topic = item.stringValue
    guard HelpCatalog.text(for: topic) != nil else {
      error("no help topic '\(topic)'", item.range,
        hint: EditDistance.hint(for: topic, among: HelpCatalog.topics) ?? "write 'help' for the list of topics")
      return nil
    }
    return .help(topic: topic)
  }

  /// The format given, or inferred from the file's extension.
  private mutating func fileAndFormat<E: RawRepresentable & CaseIterable>(
    _ args: Arguments, _: E.Type, extensions: [String: E]
  ) -> (ok: Bool, file: String?, format: E?) where E.RawValue == String {
    var ok = true
    var file: String?
    var fileRange: SourceRange?
    var format: E?
    if let v = args.value("file") {
      if let item = single(v, "'file'") {
        file = item.stringValue
        fileRange = item.range
        if item.stringValue.isEmpty {
          error("'file' must not be empty", item.range)
          ok = false
        }
      } else { ok = false }
    }
    if let v = args.value("format") {
      if let item = single(v, "'format'"), let f = choice(item, "format", E.self) { format = f } else { ok = false }
    }
    if ok, format == nil, let file, let fileRange {
      let ext = file.split(separator: ".", omittingEmptySubsequences: false).last.map { String($0).lowercased() } ?? ""
      if file.contains("."), let f = extensions[ext] {
        format = f
      } else {
        error("cannot infer the format of '\(file)' from its extension", fileRange,
          hint: "add format=\(E.allCases.map(\.rawValue).joined(separator: "|")) or use the extension \(extensions.keys.sorted().map { "." + $0 }.joined(separator: ", "))")
        ok = false
      }
    }
    return (ok, file, format)
  }

  private mutating func checkReport(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if tooMany(s, args, max: 0, what: "no positional arguments (use file=\"...\")") { return nil }
    let r = fileAndFormat(args, ReportFormat.self, extensions: ["html": .html, "htm": .html, "md": .markdown, "markdown": .markdown, "pdf": .pdf])
    var paper: PaperSize?
    var paperOK = true
    if let v = args.value("paper") {
      if let item = single(v, "'paper'"), let p = choice(item, "paper", PaperSize.self) {
        paper = p
        if r.format == .markdown {
          diagnostics.append(Diagnostic(
            severity: .warning, message: "'paper' has no effect on a Markdown report", range: item.range,
            hint: "it sets the page size of a PDF, and of an HTML report when printed"))
        }
      } else { paperOK = false }
    }
    var plotRefs: [PlotRef]?
    var plotsOK = true
    if let v = args.value("plots") {
      plotRefs = plotList(v)
      plotsOK = plotRefs != nil
    }
    let force = forceFlag(args)
    guard r.ok, paperOK, plotsOK, let force else { return nil }
    return .report(file: r.file, format: r.format, paper: paper, plots: plotRefs, force: force)
  }

  /// `force=on|off` of a statement that writes files (off when absent); nil after an error.
  private mutating func forceFlag(_ args: Arguments) -> Bool? {
    guard let v = args.value("force") else { return false }
    guard let item = single(v, "'force'") else { return nil }
    return boolean(item, "force")
  }

  private mutating func checkExport(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    // Run names never hold '.' or come quoted: such a value is a file name written without file=.
    if let file = args.positional.flatMap(\.items).first(where: { item in
      if case .string = item.kind { return true }
      return item.stringValue.contains(".") && !runSet.contains(item.stringValue)
    }) {
      error("'\(file.stringValue)' is not a run name: export takes run names, and the file as file=\"...\"",
        file.range, hint: "write: export file=\"\(file.stringValue)\"")
      return nil
    }
    let list = runList(args.positional)
    let r = fileAndFormat(args, ExportFormat.self, extensions: ["csv": .csv, "json": .json])
    let force = forceFlag(args)
    guard let list, r.ok, let force else { return nil }
    return .export(runs: list, file: r.file, format: r.format, force: force)
  }

  /// A reference `RUN.FIELD` or a setting name.
  private mutating func reference(_ item: ScalarSyntax) -> Reference? {
    let text = item.stringValue
    guard case .word = item.kind else {
      error("expected a reference (RUN.FIELD or a setting), found '\(item.text)'", item.range)
      return nil
    }
    if let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) {
      let runPart = String(text[..<dot])
      let fieldPart = String(text[text.index(after: dot)...])
      let runLength = runPart.utf8.count
      var run: String?
      if runSet.contains(runPart) {
        run = runPart
      } else {
        let hint = EditDistance.hint(for: runPart, among: runs) ?? (runs.isEmpty ? "no runs exist yet" : nil)
        error("unknown run '\(runPart)'", subrange(item.range, from: 0, to: runLength), hint: hint)
      }
      guard let field = RunField(rawValue: fieldPart) else {
        let fields = RunField.allCases.map(\.rawValue)
        error("unknown run field '\(fieldPart)'", subrange(item.range, from: runLength + 1, to: text.utf8.count),
          hint: EditDistance.hint(for: fieldPart, among: fields) ?? "see 'help fields'")
        return nil
      }
      guard let run else { return nil }
      return .runField(run: run, field: field)
    }
    if let p = TrainParam(rawValue: text) { return .setting(p) }
    let candidates = TrainParam.allCases.map(\.rawValue)
    let hint =
      EditDistance.hint(for: text, among: candidates)
      ?? (runSet.contains(text) ? "a run's value needs a field, e.g. \(text).test_acc" : "to print text, quote it: \"\(text)\"")
    error("unknown reference '\(text)'", item.range, hint: hint)
    return nil
  }

  private mutating func checkPrint(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    var items: [PrintItem] = []
    var ok = true
    for value in args.positional {
      guard let item = single(value, "each 'print' item", listHint: "separate items with spaces; quote text with commas") else {
        ok = false
        continue
      }
      switch item.kind {
      case .string(let text): items.append(.text(text))
      case .number(let n): items.append(.number(n.doubleValue, literal: n.text))
      case .word:
        if let r = reference(item) { items.append(.reference(r)) } else { ok = false }
      }
    }
    var stream = OutputStreamName.stdout
    if let v = args.value("to") {
      if let item = single(v, "'to'"), let value = choice(item, "to", OutputStreamName.self) { stream = value } else { ok = false }
    }
    return ok ? .print(items: items, stream: stream) : nil
  }

  private mutating func checkGet(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard let value = args.positional.first else {
      error("'get' needs a reference", s.keyword.range, hint: "e.g. get baseline.test_acc or get epochs")
      return nil
    }
    if tooMany(s, args, max: 1, what: "one reference") { return nil }
    guard let item = single(value, "'get'"), let r = reference(item) else { return nil }
    return .get(r)
  }

  // MARK: - The report's own words and plots

  /// A plot name after `as`: a valid name that is not the reserved word `all`.
  private mutating func plotName(_ name: NameSyntax) -> String? {
    guard Checker.isValidRunName(name.text), name.text != "all" else {
      error("plot name '\(name.text)' is not a valid name", name.range,
        hint: name.text == "all" ? "'all' is reserved for report plots=all" : "a plot name is a letter or '_' followed by letters, digits, '_' or '-' (at most 64)")
      return nil
    }
    return name.text
  }

  /// Records a plot the statement makes: a new number, or the number of the plot it replaces.
  private mutating func registerPlot(_ name: String?) {
    if let name, plots.contains(name) { return }
    plots.append(name)
  }

  /// The plots of `report plots=…`: numbers, names, or all.
  private mutating func plotList(_ value: ValueSyntax) -> [PlotRef]? {
    var out: [PlotRef] = []
    var ok = true
    let names = plots.compactMap { $0 }
    for item in value.items {
      if case .number(let n) = item.kind {
        guard n.isInteger, let k = n.intValue, k >= 1, k <= plots.count else {
          let have = plots.isEmpty ? "the session has no plots yet" : "the session has plots 1...\(plots.count)"
          error("there is no plot \(n.text): \(have)", item.range, hint: "`plots` lists the plots with their numbers and names")
          ok = false
          continue
        }
        out.append(.number(k))
        continue
      }
      let text = item.stringValue
      if text == "all" {
        out.append(.all)
      } else if names.contains(text) {
        out.append(.name(text))
      } else {
        let hint = EditDistance.hint(for: text, among: names + ["all"])
          ?? (names.isEmpty ? "name a plot with 'as', e.g. plot test_acc as acc, or give its number" : "plot names: \(names.prefix(8).joined(separator: ", "))")
        error("unknown plot '\(text)'", item.range, hint: hint)
        ok = false
      }
    }
    return ok ? out : nil
  }

  /// Whether a student's text is usable: not too long, one line when asked, no control characters.
  private mutating func reportText(_ item: ScalarSyntax, what: String, maxLength: Int, oneLine: Bool) -> String? {
    let text = item.stringValue
    let length = text.count
    guard length <= maxLength else {
      error("\(what) is \(length) characters long; the most is \(maxLength)", item.range,
        hint: oneLine ? nil : "split it over several sections, or shorten it")
      return nil
    }
    for scalar in text.unicodeScalars {
      if oneLine && (scalar == "\n" || scalar == "\t") {
        error("\(what) is one line; it contains a \(scalar == "\n" ? "line break" : "tab")", item.range,
          hint: "write it in one line, in \"…\"")
        return nil
      }
      if scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" {
        let code = String(scalar.value, radix: 16, uppercase: true)
        error("\(what) contains the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)", item.range,
          hint: "remove it; only line breaks and tabs are kept")
        return nil
      }
    }
    return text
  }

  private mutating func checkTitleLine(_ s: StatementSyntax, _ args: Arguments, _ line: TitleLine) -> Command? {
    let keyword = s.keyword.text
    guard let value = args.positional.first else {
      error("'\(keyword)' needs its text in quotes", s.keyword.range, hint: "e.g. \(keyword) \"…\"")
      return nil
    }
    if args.positional.count > 1 {
      error("'\(keyword)' takes one quoted text", args.positional[1].range,
        hint: "quote the whole line: \(keyword) \"\(args.positional.map { $0.items.map(\.stringValue).joined(separator: ",") }.joined(separator: " "))\"")
      return nil
    }
    guard let item = single(value, "'\(keyword)'", listHint: "quote text that has commas") else { return nil }
    return reportText(item, what: "the \(keyword)", maxLength: TitleLine.maxLength, oneLine: true)
      .map { .titleLine(line, $0) }
  }

  private mutating func checkText(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let sections = ReportPart.allCases.map(\.rawValue)
    guard let last = args.positional.last else {
      error("'text' needs the text in quotes", s.keyword.range,
        hint: "e.g. text p2 \"\"\"…\"\"\" (sections: \(sections.joined(separator: ", ")))")
      return nil
    }
    if tooMany(s, args, max: 2, what: "an optional section and the text in quotes") { return nil }
    var part = ReportPart.intro
    if args.positional.count == 2 {
      guard let item = single(args.positional[0], "the section of 'text'") else { return nil }
      guard let p = ReportPart(rawValue: item.stringValue.lowercased()) else {
        error("unknown report section '\(item.stringValue)'", item.range,
          hint: EditDistance.hint(for: item.stringValue.lowercased(), among: sections) ?? "sections: \(sections.joined(separator: ", "))")
        return nil
      }
      part = p
    }
    guard let item = single(last, "the text of 'text'", listHint: "quote text that has commas") else { return nil }
    guard case .string = item.kind else {
      if args.positional.count == 1, ReportPart(rawValue: item.stringValue.lowercased()) != nil {
        error("'text \(item.stringValue)' needs the text after the section", item.range,
          hint: "e.g. text \(item.stringValue) \"\"\"…\"\"\"")
      } else {
        error("the text of 'text' must be quoted, found '\(item.text)'", item.range,
          hint: "write \"…\" for one line, \"\"\"…\"\"\" for several")
      }
      return nil
    }
    return reportText(item, what: "the text", maxLength: ReportPart.maxTextLength, oneLine: false)
      .map { .text(part, $0) }
  }
}
