/// `load`, `model` and `set store=`: the data set, the model spec and where runs are kept.
extension Checker {
  mutating func checkLoad(_ s: StatementSyntax, _ args: Arguments) -> Command? {
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
        error(
          "unknown data set '\(name)'", item.range,
          hint: EditDistance.hint(for: name, among: ["fashion", "fashion-mnist"]) ?? "the data set is: fashion")
        ok = false
      }
    } else {
      ok = false
    }
    if let v = args.value("dir") {
      if let item = single(v, "'dir'") { result.directory = item.stringValue } else { ok = false }
    }
    if let v = args.value("train") {
      if let item = single(v, "'train'"), let n = integer(item, "train", 1...60_000, shown: "1...60_000") {
        result.trainLimit = n
      } else {
        ok = false
      }
    }
    if let v = args.value("test") {
      if let item = single(v, "'test'"), let n = integer(item, "test", 1...10_000, shown: "1...10_000") {
        result.testLimit = n
      } else {
        ok = false
      }
    }
    if ok { state?.data = .fashion }
    return ok ? .load(result) : nil
  }

  mutating func checkModel(_ s: StatementSyntax, _ args: Arguments) -> Command? {
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
    guard let misfit = model.misfit(on: data) else { return true }
    error(misfit.message, range, hint: misfit.hint)
    return false
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
  mutating func checkStore(_ s: StatementSyntax, _ args: Arguments, _ value: ValueSyntax) -> Command? {
    if let other = args.named.first(where: { $0.name.text != "store" }) {
      error(
        "'store=' goes in a 'set' statement of its own", other.name.range,
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
      error(
        "invalid value '\(item.text)' for 'store': expected a quoted path, off or default", item.range,
        hint: "e.g. set store=\"runs.db\"")
      return nil
    }
  }
}
