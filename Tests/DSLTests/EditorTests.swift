import Testing

@testable import DSL

/// A completion request (`|` marks the cursor) and its expected matches and start.
struct CompletionCase: CustomTestStringConvertible, Sendable {
  var text: String
  var matches: [String]
  var start: Int
  init(_ text: String, _ matches: [String], start: Int) {
    self.text = text
    self.matches = matches
    self.start = start
  }
  var testDescription: String { text }
}

private let runs = ["baseline", "bs_batch16", "sgd"]

let completionCases: [CompletionCase] = [
  CompletionCase("tr|", ["train"], start: 0),
  CompletionCase("|", HelpCatalog.statements.map(\.name), start: 0),
  CompletionCase("s|", ["set", "sweep", "show", "slurm"], start: 0),
  CompletionCase("load fashion\npl|", ["plot", "plots"], start: 13),
  CompletionCase("train ba|", ["batch="], start: 6),
  CompletionCase("train batch=16 w|", ["weight_decay="], start: 15),
  CompletionCase("train opt=|", ["adam", "sgd"], start: 10),
  CompletionCase("train batch=16 b|", [], start: 15),
  CompletionCase(
    "plot grad_sq layer=1 |", ["baseline", "bs_batch16", "sgd", "per=", "log=", "agg=", "seeds=", "as"], start: 21),
  CompletionCase("train opt=s|", ["sgd"], start: 10),
  CompletionCase("set device=|", ["auto", "cpu", "gpu"], start: 11),
  CompletionCase("sweep zero_grad=on,|", ["off"], start: 19),
  CompletionCase("train a|", ["as"], start: 6),
  CompletionCase("train as b|", [], start: 9),
  CompletionCase(
    "plot |", Metric.allCases.map(\.rawValue) + ["layer=", "per=", "log=", "agg=", "seeds=", "as"], start: 5),
  CompletionCase("plot grad|", ["grad_sq", "grad_norm"], start: 5),
  CompletionCase("plot test_acc b|", ["baseline", "bs_batch16"], start: 14),
  CompletionCase("plot grad_sq per=|", ["epoch", "step"], start: 17),
  CompletionCase("plot loss log=o|", ["on", "off"], start: 14),
  CompletionCase("eval |", runs + ["on="], start: 5),
  CompletionCase("eval baseline on=t|", ["test", "train"], start: 17),
  CompletionCase("show s|", ["sgd"], start: 5),
  CompletionCase("compare sgd baseline=b|", ["baseline", "bs_batch16"], start: 21),
  CompletionCase("help gr|", ["grad_sq", "grad_norm"], start: 5),
  CompletionCase("help sy|", ["syntax"], start: 5),
  CompletionCase("load f|", ["fashion", "fashion-mnist"], start: 5),
  CompletionCase("report format=|", ["html", "md", "pdf"], start: 14),
  CompletionCase("report paper=|", ["a4", "letter"], start: 13),
  CompletionCase("export format=j|", ["json"], start: 14),
  CompletionCase("print to=|", ["stdout", "stderr"], start: 9),
  CompletionCase("get ep|", ["epochs"], start: 4),
  CompletionCase(
    "get baseline.t|",
    [
      "baseline.test_acc", "baseline.train_acc", "baseline.train_loss", "baseline.test_loss", "baseline.train_s",
      "baseline.total_s",
    ], start: 4),
  CompletionCase("print sg|", ["sgd."], start: 6),
  CompletionCase("train # ba|", [], start: 10),
  CompletionCase("print \"ba|", [], start: 9),
  CompletionCase("trian ba|", [], start: 6),
  CompletionCase("print \"日本\" ep|", ["epochs"], start: 11),
  CompletionCase("runs; cl|", ["clear"], start: 6),
]

@Test(arguments: completionCases)
func completion(_ c: CompletionCase) {
  let scalars = Array(c.text.unicodeScalars)
  let cursor = scalars.firstIndex(of: "|") ?? scalars.count
  var text = String.UnicodeScalarView()
  text.append(contentsOf: scalars.filter { $0 != "|" })
  let result = Completer.complete(String(text), cursor: cursor, runs: runs)
  #expect(result.matches == c.matches)
  #expect(result.start == c.start)
  #expect(result.end == cursor)
}

@Test func completionClampsTheCursor() {
  let result = Completer.complete("tr", cursor: 99, runs: [])
  #expect(result.matches == ["train"])
  #expect(result.start == 0 && result.end == 2)
  #expect(Completer.complete("tr", cursor: -5, runs: []).end == 0)
}

/// An inspection request and a fragment its help must contain (nil = no help).
struct InspectCase: CustomTestStringConvertible, Sendable {
  var text: String
  var contains: String?
  init(_ text: String, _ contains: String?) {
    self.text = text
    self.contains = contains
  }
  var testDescription: String { text }
}

let inspectCases: [InspectCase] = [
  InspectCase("tr|ain batch=32", "train: train one run"),
  InspectCase("train ba|tch=32", "parameter batch="),
  InspectCase("train batch=3|2", "mini-batch size"),
  InspectCase("plot grad|_sq", "metric grad_sq"),
  InspectCase("get baseline.test|_acc", "run field test_acc"),
  InspectCase("report fi|le=\"x.md\"", "report file="),
  InspectCase("eval o|n=train", "eval on="),
  InspectCase("help swe|ep", "sweep: train one run per combination"),
  InspectCase("# a com|ment", nil),
  InspectCase("xyz|", nil),
  InspectCase("   |", nil),
  InspectCase("load fashion; mo|del 784-10", "model: define the network"),
]

@Test(arguments: inspectCases)
func inspection(_ c: InspectCase) {
  let scalars = Array(c.text.unicodeScalars)
  let cursor = scalars.firstIndex(of: "|") ?? scalars.count
  var text = String.UnicodeScalarView()
  text.append(contentsOf: scalars.filter { $0 != "|" })
  let help = Inspector.inspect(String(text), cursor: cursor)
  if let fragment = c.contains {
    #expect(help?.contains(fragment) == true, "\(help ?? "nil")")
  } else {
    #expect(help == nil)
  }
}

/// A text and its completeness.
struct CompletenessCase: CustomTestStringConvertible, Sendable {
  var text: String
  var status: CompletenessStatus
  init(_ text: String, _ status: CompletenessStatus) {
    self.text = text
    self.status = status
  }
  var testDescription: String { text }
}

let completenessCases: [CompletenessCase] = [
  CompletenessCase("", .complete),
  CompletenessCase("train batch=32", .complete),
  CompletenessCase("load fashion\nmodel 784-10\n", .complete),
  CompletenessCase("# only a comment", .complete),
  CompletenessCase("train bach=32", .complete),  // checking needs the session; syntax is fine
  // Statements and strings end at the newline: only `\` continues a line; a console runs the
  // rest and shows the error instead of prompting for a line that would start a new statement.
  CompletenessCase("print \"abc", .invalid),
  CompletenessCase("train batch=", .invalid),
  CompletenessCase("sweep batch=16,", .invalid),
  CompletenessCase("train batch=16 \\\nepochs=", .invalid),
  CompletenessCase("train batch=16 \\\n  epochs=1", .complete),
  CompletenessCase("train batch=16 \\", .incomplete),
  CompletenessCase("train batch=16 \\  ", .incomplete),
  CompletenessCase("print \"abc\nshow", .invalid),
  CompletenessCase("trian", .invalid),
  CompletenessCase("= 3", .invalid),
  CompletenessCase("train as", .invalid),
  CompletenessCase("print \"a\\q\"", .invalid),
]

@Test(arguments: completenessCases)
func completeness(_ c: CompletenessCase) {
  #expect(CompletenessChecker.status(c.text) == c.status)
}
