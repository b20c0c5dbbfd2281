import Foundation
import NN
import Testing

@testable import DSL

/// What a new user types in the first hour, and what the checker must make of it.
struct FirstHourCase: CustomTestStringConvertible, Sendable {
  var source: String
  /// The command it becomes, or nil when it must be an error.
  var command: Command?
  /// For an error: the message and the exact hint.
  var message: String?
  var hint: String?
  var testDescription: String { source }
}

private let firstHourCases: [FirstHourCase] = [
  // Enumerated values in any letter case.
  FirstHourCase(source: "train opt=SGD", command: .train(params { $0.opt = .sgd }, name: nil)),
  FirstHourCase(
    source: "set opt=Adam device=CPU zero_grad=OFF",
    command: .set(
      params {
        $0.opt = .adam
        $0.device = .cpu
        $0.zeroGrad = false
      })),
  FirstHourCase(source: "eval baseline on=TEST", command: .eval(run: "baseline", split: .test)),
  FirstHourCase(
    source: "train opt=sgdd", message: "invalid value 'sgdd' for 'opt': expected one of: adam, sgd",
    hint: "did you mean 'sgd'?"),
  // Names from PyTorch and Keras point at ours.
  FirstHourCase(
    source: "train optimizer=sgd", message: "unknown parameter 'optimizer' for 'train'", hint: "did you mean 'opt'?"),
  FirstHourCase(
    source: "set learning_rate=0.01", message: "unknown parameter 'learning_rate' for 'set'", hint: "did you mean 'lr'?"
  ),
  FirstHourCase(
    source: "train batch_size=16", message: "unknown parameter 'batch_size' for 'train'",
    hint: "did you mean 'batch'?"),
  FirstHourCase(
    source: "train num_epochs=3", message: "unknown parameter 'num_epochs' for 'train'",
    hint: "did you mean 'epochs'?"),
  FirstHourCase(
    source: "plot delta_sq",
    message: "invalid value 'delta_sq' for 'plot': expected one of: train_loss, test_loss, train_acc, test_acc, "
      + "loss, accuracy, grad_sq, weight_norm, grad_norm, epoch_time, times",
    hint: "did you mean 'grad_sq'?"),
  FirstHourCase(source: "plot delta", message: nil, hint: "did you mean 'grad_sq'?"),
  FirstHourCase(source: "plot val_acc", message: nil, hint: "did you mean 'test_acc'?"),
  FirstHourCase(source: "plot GRAD_SQ", command: .plot(PlotArgs(metric: .gradSq, layer: 1))),
  // A file name where run names go.
  FirstHourCase(
    source: "export \"runs.json\"",
    message: "'runs.json' is not a run name: export takes run names, and the file as file=\"...\"",
    hint: "write: export file=\"runs.json\""),
  FirstHourCase(source: "export runs.csv", message: nil, hint: "write: export file=\"runs.csv\""),
  FirstHourCase(
    source: "export baseline file=\"runs.json\"", command: .export(runs: ["baseline"], file: "runs.json", format: .json)
  ),
  // exit and quit end the session.
  FirstHourCase(source: "exit", command: .exit),
  FirstHourCase(source: "quit", command: .exit),
  FirstHourCase(source: "exit now", message: "'exit' takes no arguments", hint: nil),
]

@Test(arguments: firstHourCases)
func firstHour(_ c: FirstHourCase) {
  let result = Frontend.check(c.source, context: CheckContext(knownRuns: ["baseline"]))
  if let command = c.command {
    #expect(result.diagnostics == [], "\(result.diagnostics)")
    #expect(result.commands.map(\.command) == [command])
    return
  }
  let errors = result.diagnostics.filter { $0.severity == .error }
  #expect(errors.count == 1, "\(result.diagnostics)")
  guard let error = errors.first else { return }
  if let message = c.message { #expect(error.message == message) }
  #expect(error.hint == c.hint)
}

/// Sweep run names: `<param><value>` per list, after `PREFIX_`, without repeating a prefix that
/// already names the first list's parameter.
struct SweepNameCase: CustomTestStringConvertible, Sendable {
  var source: String
  var names: [String]
  var testDescription: String { source }
}

private let sweepNameCases: [SweepNameCase] = [
  SweepNameCase(source: "sweep lr=0.01,0.0001 as lr", names: ["lr_0p01", "lr_0p0001"]),
  SweepNameCase(source: "sweep lr=0.01,1e-4 as my_lr", names: ["my_lr_0p01", "my_lr_1e-4"]),
  SweepNameCase(source: "sweep lr=0.01,1E-4 as lr-test", names: ["lr-test_lr0p01", "lr-test_lr1e-4"]),
  SweepNameCase(source: "sweep batch=16,64 as bs", names: ["bs_batch16", "bs_batch64"]),
  SweepNameCase(source: "sweep batch=16,64 as batch", names: ["batch_16", "batch_64"]),
  SweepNameCase(source: "sweep batch=16,64", names: ["batch16", "batch64"]),
  SweepNameCase(source: "sweep opt=SGD,adam as opt", names: ["opt_sgd", "opt_adam"]),
  SweepNameCase(
    source: "sweep lr=0.1,0.01 batch=16,32 as lr",
    names: ["lr_0p1_batch16", "lr_0p1_batch32", "lr_0p01_batch16", "lr_0p01_batch32"]),
  SweepNameCase(source: "sweep batch=16,32 lr=0.1 as blr", names: ["blr_batch16", "blr_batch32"]),
  SweepNameCase(source: "sweep lr=0.5,2.5e+2", names: ["lr0p5", "lr2p5e2"]),
]

@Test(arguments: sweepNameCases)
func sweepNames(_ c: SweepNameCase) throws {
  let result = Frontend.check(c.source, context: CheckContext())
  #expect(result.diagnostics == [], "\(result.diagnostics)")
  guard case .sweep(let args) = try #require(result.commands.first?.command) else {
    Issue.record("not a sweep")
    return
  }
  #expect(args.runNames == c.names)
  #expect(result.knownRuns == c.names)
}

/// Every synonym points at a name the language really has.
@Test func synonymsNameRealParametersAndMetrics() {
  let params = Set(HelpCatalog.trainingParams.map(\.name))
  for (word, target) in Synonyms.trainParams {
    #expect(params.contains(target.rawValue), "\(word) → \(target)")
    #expect(!params.contains(word), "\(word) is a real parameter, not a synonym")
  }
  for (word, _) in Synonyms.metrics { #expect(Metric(rawValue: word) == nil, "\(word) is a real metric") }
}

@Suite struct FirstHourSessionTests {
  /// `print` shows run fields as the tables do; `get` keeps the plain value.
  @Test func printShowsFieldsAsTablesDo() throws {
    let f = try SessionFixture(train: 40, test: 20)
    #expect(f.run("\(f.load)\nmodel 784-8-relu-10\ntrain epochs=1 device=cpu as a") == .ok)
    let run = f.session.runs[0]
    let acc = String(format: "%.2f%%", run.epochs[0].testAccuracy * 100)
    let loss = String(format: "%.4f", run.epochs[0].trainLoss)
    f.items.removeAll()
    #expect(f.run("print a.test_acc a.train_loss a.epochs a.opt a.lr") == .ok)
    #expect(f.stdout == "\(acc) \(loss) 1 adam 0.001\n")
    f.items.removeAll()
    #expect(f.run("get a.test_acc") == .ok)
    guard case .value(let value) = f.items.last else {
      Issue.record("no value")
      return
    }
    #expect(!Renderer.mimeBundle(.value(value)).data["text/plain", default: ""].contains("%"))
  }

  /// Notes are normal output, shown once per session while unchanged; warnings stay on stderr.
  @Test func notesAreShortStdoutAndShownOnce() throws {
    let f = try SessionFixture(train: 40, test: 20)
    #expect(f.run("\(f.load)\nmodel 784-8-relu-10\nset epochs=1 device=auto\ntrain as a\ntrain as b") == .ok)
    #expect(f.run("train as c") == .ok)
    let notes = f.stdout.split(separator: "\n").filter { $0.hasPrefix("note: ") }
    #expect(Set(notes).count == notes.count, "a note was repeated: \(notes)")
    #expect(notes.allSatisfy { $0.count <= 120 }, "\(notes)")
    #expect(!f.stderr.contains("note:"), "notes are not stderr: \(f.stderr)")
    if !f.session.gpu.usable {
      #expect(notes.contains { $0.contains("training on the CPU") })
    }
    #expect(f.session.runs.count == 3)
  }

  /// `env`, `device` and the report's environment name the build configuration.
  @Test func buildConfigurationIsNamed() throws {
    let f = try SessionFixture(train: 20, test: 10)
    #expect(f.run("env\ndevice") == .ok)
    let expected = NNBuild.configuration == .debug ? "debug" : "release"
    #expect(BuildInfo.configuration == expected)
    for table in f.tables {
      let row = try #require(table.rows.first { $0.first == .text("build") }, "\(table.title ?? "")")
      guard case .text(let value) = row[1] else {
        Issue.record("build row is not text")
        continue
      }
      #expect(value.hasPrefix(expected), "\(value)")
      if NNBuild.configuration == .debug { #expect(value.contains("NN engine optimised") == NNBuild.isOptimized) }
    }
    #expect(f.session.environmentFacts().contains { $0.0 == "build" && $0.1 == BuildInfo.description })
  }

  /// `exit` skips the rest of its cell and asks the host to end; the next cell starts afresh.
  @Test func exitStopsTheCell() throws {
    let f = try SessionFixture(train: 40, test: 20)
    #expect(f.run("print \"a\"\nexit\nprint \"b\"") == .ok)
    #expect(f.stdout == "a\n")
    #expect(f.session.exitRequested)
    #expect(f.run("print \"c\"") == .ok)
    #expect(!f.session.exitRequested)
    #expect(f.stdout == "a\nc\n")
  }
}
