import Testing

@testable import DSL

/// One statement and the command it must produce.
struct CommandCase: CustomTestStringConvertible, Sendable {
  var source: String
  var expected: Command
  init(_ source: String, _ expected: Command) {
    self.source = source
    self.expected = expected
  }
  var testDescription: String { source }
}

/// Builds TrainParams inline.
func params(_ build: (inout TrainParams) -> Void) -> TrainParams {
  var p = TrainParams()
  build(&p)
  return p
}

private let known = ["baseline", "sgd", "lr_high"]

/// Every statement and every parameter at least once (the Slurm executor's in SlurmCheckerTests).
let commandCases: [CommandCase] = baseCommandCases + clusterCommandCases

private let baseCommandCases: [CommandCase] = [
  CommandCase("load fashion", .load(LoadArgs(dataset: "fashion"))),
  CommandCase("load fashion-mnist", .load(LoadArgs(dataset: "fashion"))),
  CommandCase(
    "load fashion dir=\"/data/f mnist\" train=6_000 test=1000",
    .load(LoadArgs(dataset: "fashion", directory: "/data/f mnist", trainLimit: 6000, testLimit: 1000))),
  CommandCase(
    "load fashion dir=/usr/share/datasets/fashion-mnist",
    .load(LoadArgs(dataset: "fashion", directory: "/usr/share/datasets/fashion-mnist"))),
  CommandCase(
    "model 784-128-relu-10",
    .model(ModelSpecSyntax(widths: [784, 128, 10], activations: [nil, "relu", nil], text: "784-128-relu-10"))),
  CommandCase(
    "model 784-256-tanh-128-sigmoid-10",
    .model(
      ModelSpecSyntax(
        widths: [784, 256, 128, 10], activations: [nil, "tanh", "sigmoid", nil], text: "784-256-tanh-128-sigmoid-10"))),
  CommandCase("model 784-10", .model(ModelSpecSyntax(widths: [784, 10], activations: [nil, nil], text: "784-10"))),
  CommandCase(
    "set epochs=10 seed=0 device=auto",
    .set(
      params {
        $0.epochs = 10
        $0.seed = 0
        $0.device = .auto
      })),
  CommandCase("set batch=64", .set(params { $0.batch = 64 })),
  CommandCase("set lr=1e-3", .set(params { $0.lr = 0.001 })),
  CommandCase(
    "set opt=sgd momentum=0.9",
    .set(
      params {
        $0.opt = .sgd
        $0.momentum = 0.9
      })),
  CommandCase("set weight_decay=1e-4", .set(params { $0.weightDecay = 0.0001 })),
  CommandCase(
    "set zero_grad=off threads=4",
    .set(
      params {
        $0.zeroGrad = false
        $0.threads = 4
      })),
  CommandCase(
    "set zero_grad=true device=gpu",
    .set(
      params {
        $0.zeroGrad = true
        $0.device = .gpu
      })),
  CommandCase(
    "set device=cpu seed=9007199254740992",
    .set(
      params {
        $0.device = .cpu
        $0.seed = 9_007_199_254_740_992
      })),
  CommandCase("train", .train(TrainParams(), name: nil)),
  CommandCase(
    "train batch=32 lr=1e-3 opt=adam as baseline2",
    .train(
      params {
        $0.batch = 32
        $0.lr = 0.001
        $0.opt = .adam
      }, name: "baseline2")),
  CommandCase("train zero_grad=off as no_zero_grad", .train(params { $0.zeroGrad = false }, name: "no_zero_grad")),
  CommandCase(
    "train lr=1_000.5e-3 epochs=1_000",
    .train(
      params {
        $0.lr = 1.0005
        $0.epochs = 1000
      }, name: nil)),
  CommandCase("train as lr-low", .train(TrainParams(), name: "lr-low")),
  CommandCase("train \\\n  batch=16", .train(params { $0.batch = 16 }, name: nil)),
  CommandCase(
    "sweep batch=16,64 as bs",
    .sweep(
      SweepArgs(
        axes: [
          SweepAxis(
            param: .batch, literals: ["16", "64"], values: [params { $0.batch = 16 }, params { $0.batch = 64 }])
        ],
        base: TrainParams(), prefix: "bs", runNames: ["bs_batch16", "bs_batch64"],
        runParams: [params { $0.batch = 16 }, params { $0.batch = 64 }]))),
  CommandCase("eval", .eval(run: nil, split: .test)),
  CommandCase("eval baseline on=train", .eval(run: "baseline", split: .train)),
  CommandCase("runs", .runs),
  CommandCase("exit", .exit),
  CommandCase("quit", .exit),
  CommandCase("show", .show(run: nil)),
  CommandCase("show sgd", .show(run: "sgd")),
  CommandCase("compare", .compare(runs: [], baseline: nil)),
  CommandCase("compare sgd lr_high baseline=baseline", .compare(runs: ["sgd", "lr_high"], baseline: "baseline")),
  CommandCase("compare sgd,lr_high", .compare(runs: ["sgd", "lr_high"], baseline: nil)),
  CommandCase("plot test_acc", .plot(PlotArgs(metric: .testAcc))),
  CommandCase("plot grad_sq", .plot(PlotArgs(metric: .gradSq, layer: 1))),
  CommandCase(
    "plot grad_sq baseline sgd layer=2 per=step log=on",
    .plot(PlotArgs(metric: .gradSq, runs: ["baseline", "sgd"], layer: 2, per: .step, logScale: true))),
  CommandCase("plot train_loss per=step log=off", .plot(PlotArgs(metric: .trainLoss, per: .step, logScale: false))),
  CommandCase("plot test_loss", .plot(PlotArgs(metric: .testLoss))),
  CommandCase("plot train_acc per=epoch", .plot(PlotArgs(metric: .trainAcc))),
  CommandCase("plot loss", .plot(PlotArgs(metric: .loss))),
  CommandCase("plot accuracy", .plot(PlotArgs(metric: .accuracy))),
  CommandCase("plot weight_norm", .plot(PlotArgs(metric: .weightNorm))),
  CommandCase("plot grad_norm layer=1", .plot(PlotArgs(metric: .gradNorm, layer: 1))),
  CommandCase("plot epoch_time", .plot(PlotArgs(metric: .epochTime))),
  CommandCase("plot times", .plot(PlotArgs(metric: .times))),
  CommandCase("device", .device),
  CommandCase("env", .env),
  CommandCase("help", .help(topic: nil)),
  CommandCase("help sweep", .help(topic: "sweep")),
  CommandCase("help syntax", .help(topic: "syntax")),
  CommandCase("help test_acc", .help(topic: "test_acc")),
  CommandCase("report", .report(file: nil, format: nil, paper: nil)),
  CommandCase("report file=\"study.md\"", .report(file: "study.md", format: .markdown, paper: nil)),
  CommandCase("report file=out.htm", .report(file: "out.htm", format: .html, paper: nil)),
  CommandCase("report format=md", .report(file: nil, format: .markdown, paper: nil)),
  CommandCase("report file=\"x.txt\" format=html", .report(file: "x.txt", format: .html, paper: nil)),
  CommandCase("report file=\"report.pdf\"", .report(file: "report.pdf", format: .pdf, paper: nil)),
  CommandCase("report file=\"Report.PDF\" paper=letter", .report(file: "Report.PDF", format: .pdf, paper: .letter)),
  CommandCase("report format=pdf paper=a4", .report(file: nil, format: .pdf, paper: .a4)),
  CommandCase("export", .export(runs: [], file: nil, format: nil)),
  CommandCase("export baseline file=\"runs.json\"", .export(runs: ["baseline"], file: "runs.json", format: .json)),
  CommandCase("export format=csv", .export(runs: [], file: nil, format: .csv)),
  CommandCase("export file=\"r.csv\" force=on", .export(runs: [], file: "r.csv", format: .csv, force: true)),
  CommandCase("report force=off", .report(file: nil, format: nil, force: false)),
  CommandCase(
    "print \"acc:\" baseline.test_acc epochs 1e-3",
    .print(
      items: [
        .text("acc:"), .reference(.runField(run: "baseline", field: .testAcc)), .reference(.setting(.epochs)),
        .number(0.001, literal: "1e-3"),
      ],
      stream: .stdout)),
  CommandCase(
    "print \"tab\\there \\\"q\\\" \\\\ \\u{1F600}\\n\" to=stderr",
    .print(items: [.text("tab\there \"q\" \\ 😀\n")], stream: .stderr)),
  CommandCase("print", .print(items: [], stream: .stdout)),
  CommandCase("get baseline.best_test_acc", .get(.runField(run: "baseline", field: .bestTestAcc))),
  CommandCase("get weight_decay", .get(.setting(.weightDecay))),
  CommandCase("get sgd.zero_grad", .get(.runField(run: "sgd", field: .zeroGrad))),
  CommandCase("clear", .clear),
  CommandCase("show baseline agg=sum", .show(run: "baseline", agg: .sum)),
  CommandCase(
    "plot grad_sq baseline agg=sum seeds=each",
    .plot(PlotArgs(metric: .gradSq, runs: ["baseline"], layer: 1, agg: .sum, seeds: .each))),
  CommandCase("plot test_acc as acc", .plot(PlotArgs(metric: .testAcc, name: "acc"))),
  CommandCase("plots", .plots),
  CommandCase("report plots=all", .report(file: nil, format: nil, plots: [.all])),
  CommandCase("title \"T\"", .titleLine(.title, "T")),
  CommandCase("author \"A\"", .titleLine(.author, "A")),
  CommandCase("course \"C\"", .titleLine(.course, "C")),
  CommandCase("text p3 \"why\"", .text(.p3, "why")),
  CommandCase("set store=\"runs.db\"", .store(.path("runs.db"))),
  CommandCase("set store=off", .store(.off)),
  CommandCase("set store=default", .store(.automatic)),
  CommandCase("drop baseline sgd", .drop(runs: ["baseline", "sgd"])),
  CommandCase("rename lr_high fast", .rename(from: "lr_high", to: "fast")),
  CommandCase("train lr=0.01 as baseline", .train(params { $0.lr = 0.01 }, name: "baseline")),
]

@Test(arguments: commandCases)
func statementProducesCommand(_ c: CommandCase) {
  let result = Frontend.check(c.source, context: CheckContext(knownRuns: known))
  #expect(result.diagnostics == [])
  #expect(result.commands.map(\.command) == [c.expected])
}

@Test func everyStatementAndTrainingParameterIsCovered() {
  let sources = commandCases.map(\.source).joined(separator: "\n")
  for statement in HelpCatalog.statements {
    #expect(commandCases.contains { $0.source.hasPrefix(statement.name) }, "statement \(statement.name)")
    for param in statement.namedParams {
      #expect(sources.contains(param.name + "="), "parameter \(statement.name) \(param.name)")
    }
  }
  for metric in Metric.allCases { #expect(sources.contains("plot \(metric.rawValue)")) }
}

@Test func everyRunFieldIsAReference() {
  for field in RunField.allCases {
    let result = Frontend.check("get baseline.\(field.rawValue)", context: CheckContext(knownRuns: ["baseline"]))
    #expect(result.commands.map(\.command) == [.get(.runField(run: "baseline", field: field))])
  }
  for param in TrainParam.allCases {
    let result = Frontend.check("get \(param.rawValue)", context: CheckContext())
    #expect(result.commands.map(\.command) == [.get(.setting(param))])
  }
}

@Test func sweepNamesAndParameters() {
  let result = Frontend.check("sweep batch=16, 64 lr=0.01,1e-4 opt=sgd as bs", context: CheckContext())
  #expect(result.diagnostics == [])
  guard case .sweep(let sweep)? = result.commands.first?.command else {
    Issue.record("no sweep")
    return
  }
  #expect(sweep.runNames == ["bs_batch16_lr0p01", "bs_batch16_lr1e-4", "bs_batch64_lr0p01", "bs_batch64_lr1e-4"])
  #expect(sweep.prefix == "bs")
  #expect(sweep.base == params { $0.opt = .sgd })
  #expect(sweep.axes.map(\.param) == [.batch, .lr])
  #expect(sweep.axes[1].literals == ["0.01", "1e-4"])
  #expect(
    sweep.runParams[1]
      == params {
        $0.batch = 16
        $0.lr = 0.0001
        $0.opt = .sgd
      })
  #expect(sweep.runParams.count == 4)

  let other = Frontend.check(
    "sweep opt=adam,sgd zero_grad=on,off device=cpu,gpu threads=1,2\nsweep "
      + "momentum=0.5,0.9 weight_decay=0,1e-2 seed=1,2 epochs=1,2", context: CheckContext())
  #expect(other.diagnostics.map(\.message) == [])
  guard other.commands.count == 2, case .sweep(let s2) = other.commands[0].command,
    case .sweep(let s3) = other.commands[1].command
  else {
    Issue.record("no sweeps: \(other.diagnostics)")
    return
  }
  #expect(s2.runNames.first == "optadam_zero_gradon_devicecpu_threads1")
  #expect(s2.runNames.last == "optsgd_zero_gradoff_devicegpu_threads2")
  #expect(s2.runNames.count == 16)
  #expect(s3.runNames.last == "momentum0p9_weight_decay1e-2_seed2_epochs2")
  let long = Frontend.check(
    "sweep opt=adam,sgd zero_grad=on,off device=cpu,gpu threads=1,2 momentum=0.5,0.9 "
      + "weight_decay=0,1e-2", context: CheckContext())
  #expect(long.diagnostics.first?.message.hasSuffix("is longer than 64 characters") == true)
}

@Test func sweepNamesReservedForLaterStatements() {
  let text = "sweep batch=16,64 as bs\nshow bs_batch64\ntrain\nshow run1\ntrain\nshow run3"
  let result = Frontend.check(text, context: CheckContext(knownRuns: ["run2"]))
  #expect(result.diagnostics == [])
  #expect(result.commands.count == 6)
}

@Test func momentumSweepWeightDecayScientific() {
  let r = Frontend.check("sweep weight_decay=1e+2,0", context: CheckContext())
  #expect(r.diagnostics.map(\.message) == ["'weight_decay' must be in [0, 1], found 1e+2"])
}

@Test func trainParamsMergeAndDefaults() {
  let base = params {
    $0.batch = 32
    $0.lr = 0.1
  }
  let top = params {
    $0.lr = 0.5
    $0.zeroGrad = false
  }
  let merged = top.merged(over: base)
  #expect(merged.batch == 32 && merged.lr == 0.5 && merged.zeroGrad == false && merged.opt == nil)
  let full = TrainParams().merged(over: .defaults)
  #expect(full == .defaults)
  for p in TrainParam.allCases {
    #expect(TrainParams.defaults.isSet(p))
    #expect(HelpCatalog.param(p).defaultValue == TrainParams.defaults.value(of: p), "\(p)")
  }
}

@Test func commandRangesCoverTheirStatements() {
  let text = "load fashion; model 784-10\n  train as a # c"
  let r = Frontend.check(text, context: CheckContext(), firstLine: 5)
  #expect(r.commands.map(\.range.start.column) == [1, 15, 3])
  #expect(r.commands.map(\.range.start.line) == [5, 5, 6])
  #expect(r.commands[2].range.end.offset == text.utf8.count - 4)
}

@Test func aMisspelledStatementKeepsItsRunNameForLaterReferences() {
  let r = Frontend.check("trian lr=0.1 as fast\nshow fast\nprint fast.test_acc", context: CheckContext())
  #expect(r.diagnostics.map(\.message) == ["unknown statement 'trian'"])
}

@Test func everyErrorOfAStatementIsReported() {
  let r = Frontend.check(
    "train batch=0 lr=1e99 opt=x momentum=2 weight_decay=-1 epochs=0 seed=-1 zero_grad=2 device=tpu threads=0 as 9",
    context: CheckContext())
  #expect(r.diagnostics.count == 11)
  #expect(r.commands.isEmpty && r.hasErrors)
}

/// Store, drop and rename mistakes, and what the checker knows after them within one cell.
@Test(arguments: [
  ("set store=\"a.db\" epochs=3", "'store=' goes in a 'set' statement of its own"),
  ("set store=elsewhere", "invalid value 'elsewhere' for 'store': expected a quoted path, off or default"),
  ("set store=\"\"", "'store' must not be empty"),
  ("drop", "'drop' needs the runs to drop"),
  ("drop nosuch", "unknown run 'nosuch'"),
  ("drop sgd sgd", "run 'sgd' is named twice"),
  ("rename sgd", "'rename' needs the run's name and its new name"),
  ("rename sgd a b", "too many arguments for 'rename': it takes OLD NEW"),
  ("rename sgd baseline", "a run named 'baseline' already exists"),
  ("rename sgd 9lives", "run name '9lives' is not a valid name"),
  ("drop sgd\nshow sgd", "unknown run 'sgd'"),
  ("rename sgd plain\nshow sgd", "unknown run 'sgd'"),
  ("train as again\ntrain as again", "run 'again' is already trained earlier in this cell"),
])
func storeStatementErrors(_ c: (String, String)) {
  let result = Frontend.check(c.0, context: CheckContext(knownRuns: known))
  #expect(result.diagnostics.map(\.message) == [c.1])
}

@Test func renameAndDropUpdateTheKnownRuns() {
  let result = Frontend.check(
    "rename sgd plain\nshow plain\ndrop plain baseline\ntrain", context: CheckContext(knownRuns: known))
  #expect(result.diagnostics == [])
  #expect(result.knownRuns == ["lr_high", "run1"])
}
