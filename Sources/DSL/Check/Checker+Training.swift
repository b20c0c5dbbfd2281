/// `set`, `train` and `sweep`: training parameters, their values and the runs they name.
extension Checker {
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
      guard
        let s = single(
          value, "'\(name.text)' in '\(statement)'",
          listHint: "to try several values, use: sweep \(name.text)=\(value.items.map(\.text).joined(separator: ","))")
      else {
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

  /// Warns when one statement sets a non-zero momentum together with opt=adam (Adam ignores it).
  private mutating func warnMomentumWithAdam(_ params: TrainParams, _ args: Arguments) {
    guard params.opt == .adam, let momentum = params.momentum, momentum != 0,
      let value = args.value("momentum")
    else { return }
    warning("momentum has no effect with opt=adam", value.range, hint: "momentum applies to opt=sgd")
  }

  /// Reports `train`/`sweep` before any `load` or `model` (when the state is known).
  private mutating func needsDataAndModel(_ s: StatementSyntax) -> Bool {
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

  mutating func checkSet(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if let first = args.positional.first {
      error(
        "'set' takes PARAM=VALUE pairs, found '\(first.items[0].text)'", first.range,
        hint: EditDistance.suggestion(for: first.items[0].stringValue, among: TrainParam.allCases.map(\.rawValue)).map {
          "did you mean '\($0)=...'?"
        })
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

  mutating func checkTrain(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if let first = args.positional.first {
      let text = first.items[0].stringValue
      error(
        "'train' takes PARAM=VALUE pairs, found '\(first.items[0].text)'", first.range,
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

  mutating func checkSweep(_ s: StatementSyntax, _ args: Arguments) -> Command? {
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
        error(
          "sweep prefix '\(alias.name.text)' is not a valid name", alias.name.range,
          hint: "a name is \(Checker.nameRule)")
        ok = false
      }
    }
    if axes.isEmpty && ok {
      error(
        "'sweep' needs at least one list of values, such as batch=16,64", s.keyword.range,
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
        let reason = Checker.invalidNameReason(name)
        error(
          "sweep run name '\(name)' is \(reason)", s.range, hint: "use fewer lists, plain values or a shorter prefix")
        return nil
      }
      if namedHere.contains(name) {
        error(
          "sweep run '\(name)' is already trained earlier in this cell", s.alias?.name.range ?? s.keyword.range,
          hint: "choose a prefix with 'as PREFIX'")
        return nil
      }
    }
    for name in names { register(name) }
    guard needsDataAndModel(s) else { return nil }
    return .sweep(
      SweepArgs(
        axes: axes, base: base, prefix: prefix, runNames: names, runParams: params, executor: executor?.value))
  }
}
