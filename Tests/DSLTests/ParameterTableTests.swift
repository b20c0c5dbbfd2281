import Testing

@testable import DSL
@testable import NN

// The parameter table (`TrainParam.definition`) is the one definition of every training
// parameter: these tests hold the checker, the help and the session to it, and the help's
// defaults to the configuration that really runs.

/// One value of a parameter as source text, and whether the checker must accept it.
struct BoundaryValue: CustomTestStringConvertible, Sendable {
  var param: TrainParam
  var literal: String
  var accepted: Bool
  var testDescription: String { "\(param.rawValue)=\(literal) \(accepted ? "accepted" : "refused")" }
}

/// Each parameter's values at and just outside the table's bounds (integers and numbers), every
/// name of a choice, every boolean word, and one word outside each choice.
let boundaryValues: [BoundaryValue] = TrainParam.allCases.flatMap { p -> [BoundaryValue] in
  func value(_ literal: String, _ accepted: Bool) -> BoundaryValue {
    BoundaryValue(param: p, literal: literal, accepted: accepted)
  }
  func number(_ x: Double) -> String { "\(x)" }
  switch p.definition.kind {
  case .integer(let bounds, _):
    let r = bounds.range
    return [
      value(String(r.lowerBound), true), value(String(r.upperBound), true),
      value(String(r.lowerBound - 1), false), value(String(r.upperBound + 1), false),
    ]
  case .number(let bounds, _):
    var out: [BoundaryValue] = []
    switch bounds.lower {
    case .inclusive(let v): out += [value(number(v), true), value(number(v.nextDown), false)]
    case .exclusive(let v): out += [value(number(v), false), value(number(v.nextUp), true)]
    }
    switch bounds.upper {
    case .inclusive(let v): out += [value(number(v), true), value(number(v.nextUp), false)]
    case .exclusive(let v): out += [value(number(v), false), value(number(v.nextDown), true)]
    }
    return out
  case .choice(let field):
    return field.names.map { value($0, true) } + field.names.map { value($0.uppercased(), true) }
      + [value("nonesuch", false)]
  case .boolean:
    return ["on", "off", "true", "false", "OFF"].map { value($0, true) } + [value("maybe", false)]
  }
}

/// The error the checker must give for a refused value, in the table's words.
private func refusal(_ v: BoundaryValue) -> String {
  let name = v.param.rawValue
  switch v.param.definition.kind {
  case .integer(let bounds, _): return "'\(name)' must be in \(bounds.shown), found \(v.literal)"
  case .number(let bounds, _): return "'\(name)' must be \(bounds.shown), found \(v.literal)"
  case .choice(let field):
    return "invalid value '\(v.literal)' for '\(name)': expected one of: \(field.names.joined(separator: ", "))"
  case .boolean: return "invalid value '\(v.literal)' for '\(name)': expected one of: on, off, true, false"
  }
}

/// The text of the value an accepted literal means, as the table's field shows it.
private func meaning(_ v: BoundaryValue) -> String? {
  switch v.param.definition.kind {
  case .integer: return v.literal
  case .number: return Double(v.literal).map(NumberFormatting.roundTrip)
  case .choice: return v.literal.lowercased()
  case .boolean: return ["on", "true"].contains(v.literal.lowercased()) ? "on" : "off"
  }
}

/// An accepted value of the same parameter that differs from `v`, for the second value of a sweep.
private func otherValue(_ v: BoundaryValue) -> String {
  switch v.param.definition.kind {
  case .integer(let bounds, _):
    let r = bounds.range
    return Int(v.literal) == r.lowerBound ? String(r.upperBound) : String(r.lowerBound)
  case .number(let bounds, _): return "\((bounds.lower.value + bounds.upper.value) / 2)"
  case .choice(let field): return field.names.first { $0 != v.literal.lowercased() } ?? ""
  case .boolean: return ["off", "false"].contains(v.literal.lowercased()) ? "on" : "off"
  }
}

@Test(arguments: boundaryValues)
func theTableDrivesTheCheckersRanges(_ v: BoundaryValue) throws {
  let assignment = "\(v.param.rawValue)=\(v.literal)"
  for statement in ["set \(assignment)", "train \(assignment) as t", "sweep \(assignment),\(otherValue(v)) as s"] {
    let result = Frontend.check(statement, context: CheckContext())
    let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
    if v.accepted {
      #expect(errors == [], "\(statement)")
      let params: TrainParams
      switch result.commands.first?.command {
      case .set(let p, _)?: params = p
      case .train(let p, _, _)?: params = p
      case .sweep(let s)?: params = try #require(s.runParams.first)
      default:
        Issue.record("\(statement): no command")
        continue
      }
      // Exactly this parameter is set, to the value the literal means.
      #expect(TrainParam.allCases.filter { params.isSet($0) } == [v.param], "\(statement)")
      #expect(params.value(of: v.param) == meaning(v), "\(statement)")
    } else {
      #expect(errors == [refusal(v)], "\(statement)")
      #expect(result.commands.isEmpty, "\(statement)")
    }
  }
}

@Test(arguments: TrainParam.allCases)
func theHelpsDefaultIsTheValueThatRuns(_ p: TrainParam) throws {
  let help = HelpCatalog.param(p)
  // The configuration a run gets when neither the statement nor `set` gives anything.
  let session = Session(environment: [:])
  let runs = session.resolve(TrainParams())
  #expect(runs == TrainConfig())
  #expect(help.defaultValue == p.text(runs))
  #expect(help.defaultValue == p.text(TrainConfig()))
  #expect(help.defaultValue == TrainParams.defaults.value(of: p))
  // What a user sees: `get PARAM` in a fresh session (no store: nothing is written) answers the
  // help's default.
  var items: [OutputItem] = []
  _ = session.execute("get \(p.rawValue)", emit: { items.append($0) }, progress: { _ in }, shouldStop: { false })
  guard case .value(let value)? = items.first else {
    Issue.record("get \(p.rawValue): \(items)")
    return
  }
  #expect(value == makeValue(try #require(help.defaultValue)), "get \(p.rawValue)")
  // Setting every parameter to its default changes nothing that runs.
  #expect(session.resolve(TrainParams.defaults) == TrainConfig())
}

@Test func theTableDrivesTheHelp() {
  #expect(HelpCatalog.trainingParams.map(\.name) == TrainParam.allCases.map(\.rawValue))
  for (help, p) in zip(HelpCatalog.trainingParams, TrainParam.allCases) {
    let d = p.definition
    #expect(help.meaning == d.meaning && help.example == d.example, "\(p)")
    #expect(help.example.hasPrefix(p.rawValue + "="), "\(p)")
    switch d.kind {
    case .integer(let bounds, _):
      #expect(help.type == "integer" && help.range == bounds.shown && help.choices.isEmpty, "\(p)")
    case .number(let bounds, _):
      #expect(help.type == "number" && help.range == bounds.help && help.choices.isEmpty, "\(p)")
    case .choice(let field):
      #expect(help.choices == field.names, "\(p)")
      #expect(help.type == "one of " + field.names.joined(separator: ", "), "\(p)")
      #expect(help.range == field.names.joined(separator: " | "), "\(p)")
    case .boolean:
      #expect(help.type == "on/off" && help.range == "on | off | true | false", "\(p)")
      #expect(help.choices == ["on", "off"], "\(p)")
    }
    // `help PARAM` prints the table's range and default.
    let text = HelpCatalog.text(for: p.rawValue) ?? ""
    #expect(text.contains(help.range) && text.contains(help.defaultValue ?? "?"), "\(p): \(text)")
  }
  // set, train and sweep list the table's parameters, in its order.
  for name in ["set", "train", "sweep"] {
    let params = HelpCatalog.statement(named: name)?.params ?? []
    #expect(Array(params.prefix(TrainParam.allCases.count)) == HelpCatalog.trainingParams, "\(name)")
  }
}

@Test(arguments: OptimizerKind.allCases)
func everyOptimizerIsAcceptedAndRunsAsItself(_ kind: OptimizerKind) throws {
  let result = Frontend.check("train opt=\(kind.rawValue) as t", context: CheckContext())
  #expect(result.diagnostics == [])
  var expected = TrainParams()
  expected.opt = kind
  #expect(result.commands.map(\.command) == [.train(expected, name: "t")])
  let session = Session(environment: [:])
  #expect(session.resolve(expected).optimizer == kind)
  // Through `set` as well: the session default lands in the configuration.
  session.defaults = expected
  #expect(session.resolve(TrainParams()).optimizer == kind)
  #expect(TrainParam.opt.text(session.resolve(TrainParams())) == kind.rawValue)
}

@Test(arguments: DeviceChoice.allCases)
func everyDeviceIsAcceptedAndRunsAsItself(_ choice: DeviceChoice) throws {
  let result = Frontend.check("train device=\(choice.rawValue) as t", context: CheckContext())
  #expect(result.diagnostics == [])
  var expected = TrainParams()
  expected.device = choice
  #expect(result.commands.map(\.command) == [.train(expected, name: "t")])
  let session = Session(environment: [:])
  #expect(session.resolve(expected).device == choice)
  session.defaults = expected
  #expect(session.resolve(TrainParams()).device == choice)
  #expect(TrainParam.device.text(session.resolve(TrainParams())) == choice.rawValue)
}

@Test func everyParameterLandsInTheConfigurationAndReadsBack() {
  // A configuration unlike the baseline in every field, taken into TrainParams and landed again.
  var c = TrainConfig()
  c.batch = 7
  c.lr = 0.25
  c.optimizer = .sgd
  c.momentum = 0.5
  c.weightDecay = 0.125
  c.epochs = 3
  c.seed = 9_007_199_254_740_992
  c.zeroGrad = false
  c.device = .cpu
  c.threads = 4
  let params = TrainParams(config: c)
  #expect(TrainParam.allCases.allSatisfy { params.isSet($0) })
  #expect(params.config(over: TrainConfig()) == c)
  for p in TrainParam.allCases {
    #expect(p.text(c) != p.text(TrainConfig()), "\(p) is not exercised")
    #expect(params.value(of: p) == p.text(c), "\(p)")
  }
  #expect(TrainParams().config(over: c) == c)
}
