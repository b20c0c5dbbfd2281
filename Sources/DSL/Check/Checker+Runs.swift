/// Run names, and the statements that read or change runs: `eval`, `show`, `drop`, `rename`, `compare`.
extension Checker {
  static func isValidRunName(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars)
    guard let first = scalars.first, scalars.count <= maxRunNameLength else { return false }
    func letter(_ c: Unicode.Scalar) -> Bool { (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" }
    guard letter(first) else { return false }
    return scalars.allSatisfy { letter($0) || ($0 >= "0" && $0 <= "9") || $0 == "-" }
  }

  mutating func newRunName(_ name: NameSyntax) -> String? {
    guard Checker.isValidRunName(name.text) else {
      let reason = Checker.invalidNameReason(name.text)
      error(
        "run name '\(name.text)' is \(reason)", name.range,
        hint: "a run name is \(Checker.nameRule) (at most \(Checker.maxRunNameLength))")
      return nil
    }
    if namedHere.contains(name.text) {
      error(
        "run '\(name.text)' is already trained earlier in this cell", name.range,
        hint: "choose another name with 'as NAME'")
      return nil
    }
    return name.text
  }

  mutating func register(_ name: String) {
    namedHere.insert(name)
    if runSet.insert(name).inserted { runs.append(name) }
  }

  private mutating func unregister(_ name: String) {
    namedHere.remove(name)
    if runSet.remove(name) != nil { runs.removeAll { $0 == name } }
  }

  func nextDefaultName() -> String {
    RunNaming.automatic(avoiding: runSet.contains)
  }

  /// An existing run named by `s`, or nil with an error.
  private mutating func existingRun(_ s: ScalarSyntax) -> String? {
    let name = s.stringValue
    if runSet.contains(name) { return name }
    let hint =
      EditDistance.hint(for: name, among: runs)
      ?? (runs.isEmpty
        ? "no runs exist yet; create one with train"
        : "runs: \(runs.prefix(8).joined(separator: ", "))\(runs.count > 8 ? ", ..." : "")")
    error("unknown run '\(name)'", s.range, hint: hint)
    return nil
  }

  mutating func runList(_ values: [ValueSyntax]) -> [String]? {
    var out: [String] = []
    var ok = true
    for value in values {
      for item in value.items {
        if let name = existingRun(item) { out.append(name) } else { ok = false }
      }
    }
    return ok ? out : nil
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

  mutating func checkEval(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let (ok, run) = optionalRun(s, args)
    var split = Split.test
    var splitOK = true
    if let v = args.value("on") {
      if let item = single(v, "'on'"), let value = choice(item, "on", Split.self) {
        split = value
      } else {
        splitOK = false
      }
    }
    return ok && splitOK ? .eval(run: run, split: split) : nil
  }

  mutating func checkShow(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let (ok, run) = optionalRun(s, args)
    var agg = Aggregate.mean
    var aggOK = true
    if let v = args.value("agg") {
      if let item = single(v, "'agg'"), let a = choice(item, "agg", Aggregate.self) { agg = a } else { aggOK = false }
    }
    return ok && aggOK ? .show(run: run, agg: agg) : nil
  }

  mutating func checkDrop(_ s: StatementSyntax, _ args: Arguments) -> Command? {
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

  mutating func checkRename(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard args.positional.count == 2 else {
      if args.positional.count > 2 {
        error(
          "too many arguments for 'rename': it takes OLD NEW", args.positional[2].range,
          hint: "e.g. rename run1 baseline")
      } else {
        error(
          "'rename' needs the run's name and its new name", args.positional.first?.range ?? s.keyword.range,
          hint: "e.g. rename run1 baseline")
      }
      return nil
    }
    guard let oldItem = single(args.positional[0], "'rename'"), let newItem = single(args.positional[1], "'rename'"),
      let old = existingRun(oldItem)
    else { return nil }
    let new = newItem.stringValue
    guard Checker.isValidRunName(new) else {
      let reason = Checker.invalidNameReason(new)
      error(
        "run name '\(new)' is \(reason)", newItem.range,
        hint: "a run name is \(Checker.nameRule) (at most \(Checker.maxRunNameLength))")
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

  mutating func checkCompare(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    let list = runList(args.positional)
    var baseline: String?
    var ok = true
    if let v = args.value("baseline") {
      if let item = single(v, "'baseline'"), let run = existingRun(item) { baseline = run } else { ok = false }
    }
    guard let list, ok else { return nil }
    return .compare(runs: list, baseline: baseline)
  }
}
