import Foundation
import NN
import Testing

@testable import DSL

/// The value of the only string token of `text`, and the lexer's diagnostics.
private func lexString(_ text: String) -> (value: String?, messages: [String]) {
  let (tokens, diagnostics) = Lexer.tokenize(SourceMap(bytes: Array(text.utf8)))
  return (tokens.first { $0.kind == .string }?.text, diagnostics.map(\.message))
}

/// Multi-line strings: `"""…"""`, the student's text in the report.
@Suite("Multi-line strings")
struct MultiLineStringTests {
  struct Case: Sendable, CustomStringConvertible {
    var source: String
    var value: String
    var description: String { String(source.prefix(60)) }
  }

  static let cases: [Case] = [
    Case(source: "text \"\"\"one line\"\"\"", value: "one line"),
    Case(source: "text \"\"\"\n  first\n  second\n  \"\"\"", value: "first\nsecond"),
    Case(
      source: "text \"\"\"\n    indented\n  less\n\n  after a blank\n\"\"\"", value: "  indented\nless\n\nafter a blank"
    ),
    Case(source: "text \"\"\"\r\nwindows\r\nlines\r\n\"\"\"", value: "windows\nlines"),
    Case(source: "text \"\"\"joined \\\nline\"\"\"", value: "joined line"),
    Case(source: "text \"\"\"a \\\"quote\\\" and \\t tab \\u{1F600}\"\"\"", value: "a \"quote\" and \t tab 😀"),
    Case(source: "text \"\"\"한국어 과목\n데이터 과학\"\"\"", value: "한국어 과목\n데이터 과학"),
    Case(source: "text \"\"\"ends with \\\"\"\"\"", value: "ends with \""),
    Case(source: "text \"\"", value: ""),
  ]

  @Test(arguments: cases) func decodes(_ c: Case) {
    let (value, messages) = lexString(c.source)
    #expect(messages == [])
    #expect(value == c.value)
  }

  @Test func unterminatedIsAnErrorAndIncomplete() {
    let (_, messages) = lexString("text \"\"\"\nno end")
    #expect(messages == ["unterminated multi-line string"])
    #expect(CompletenessChecker.status("text p2 \"\"\"\nstill typing") == .incomplete)
    #expect(CompletenessChecker.status("text p2 \"\"\"\ndone\n\"\"\"") == .complete)
  }

  @Test func statementsAfterAMultiLineStringStillParse() {
    let r = Frontend.check("text \"\"\"\na; b # not a comment\n\"\"\"\ntitle \"T\"", context: CheckContext())
    #expect(r.diagnostics == [])
    #expect(r.commands.map(\.command) == [.text(.intro, "a; b # not a comment"), .titleLine(.title, "T")])
  }

  @Test func aMultiLineStringAloneSuggestsText() {
    let r = Frontend.check("\"\"\"\nmy words\n\"\"\"", context: CheckContext())
    #expect(r.diagnostics.map(\.message) == ["expected a statement, found a string"])
    #expect(r.diagnostics.first?.hint?.hasPrefix("to put it in the report, write: text") == true)
  }

  @Test func editorSeesInsideAMultiLineString() {
    // Inside the string nothing is completed; after it, statements are.
    #expect(Completer.complete("text \"\"\"\ntr", cursor: 11, runs: []).matches == [])
    let after = "text \"\"\"\nx\n\"\"\"\ntr"
    #expect(Completer.complete(after, cursor: after.unicodeScalars.count, runs: []).matches == ["train"])
  }
}

/// The checker's view of the report statements: what is accepted and every mistake.
@Suite("Report statements")
struct ReportStatementTests {
  struct Case: Sendable, CustomStringConvertible {
    var source: String
    var command: Command?
    var error: String?
    var description: String { String(source.prefix(60)) }
  }

  static let cases: [Case] = [
    Case(source: "title \"Batch size and δ²\"", command: .titleLine(.title, "Batch size and δ²")),
    Case(source: "author \"김민준 (2023-12345)\"", command: .titleLine(.author, "김민준 (2023-12345)")),
    Case(source: "course \"데이터 과학 2\"", command: .titleLine(.course, "데이터 과학 2")),
    Case(source: "title \"\"", command: .titleLine(.title, "")),
    Case(source: "text \"intro words\"", command: .text(.intro, "intro words")),
    Case(source: "text P2 \"about δ²\"", command: .text(.p2, "about δ²")),
    Case(source: "text conclusion \"\"\"\nDone.\n\"\"\"", command: .text(.conclusion, "Done.")),
    Case(source: "plots", command: .plots),
    Case(source: "report plots=all", command: .report(file: nil, format: nil, plots: [.all])),
    Case(
      source: "plot test_acc as acc; report plots=acc,1",
      command: .report(file: nil, format: nil, plots: [.name("acc"), .number(1)])),
    Case(source: "title My study", error: "'title' takes one quoted text"),
    Case(source: "title", error: "'title' needs its text in quotes"),
    Case(source: "title \"\"\"two\nlines\"\"\"", error: "the title is one line; it contains a line break"),
    Case(source: "author \"a\\u{7}b\"", error: "the author contains the control character U+0007"),
    Case(
      source: "title \"" + String(repeating: "t", count: 301) + "\"",
      error: "the title is 301 characters long; the most is 300"),
    Case(source: "text", error: "'text' needs the text in quotes"),
    Case(source: "text p2", error: "'text p2' needs the text after the section"),
    Case(source: "text words", error: "the text of 'text' must be quoted, found 'words'"),
    Case(source: "text p4 \"x\"", error: "unknown report section 'p4'"),
    Case(
      source: "text p1 p2 \"x\"",
      error: "too many arguments for 'text': it takes an optional section and the text in quotes"),
    Case(
      source: "text \"" + String(repeating: "x", count: 50_001) + "\"",
      error: "the text is 50001 characters long; the most is 50000"),
    Case(source: "report plots=acc", error: "unknown plot 'acc'"),
    Case(source: "plot test_acc as acc; report plots=ac", error: "unknown plot 'ac'"),
    Case(source: "report plots=2", error: "there is no plot 2: the session has no plots yet"),
    Case(source: "plot test_acc as all", error: "plot name 'all' is not a valid name"),
    Case(source: "plot test_acc agg=sum", error: "'agg=' applies only to grad_sq, not test_acc"),
    Case(
      source: "plot grad_sq per=step agg=sum", error: "agg=sum sums an epoch's steps; it does not apply to per=step"),
    Case(source: "plot test_acc seeds=band", error: "invalid value 'band' for 'seeds': expected one of: mean, each"),
  ]

  @Test(arguments: cases) func checks(_ c: Case) {
    let r = Frontend.check(c.source, context: CheckContext())
    if let error = c.error {
      #expect(r.diagnostics.map(\.message).contains(error), "\(r.diagnostics.map(\.message))")
      #expect(r.hasErrors)
    } else {
      #expect(r.diagnostics == [])
      #expect(r.commands.last?.command == c.command)
    }
  }

  @Test func plotArgumentsAndKnownPlots() {
    let r = Frontend.check(
      "plot grad_sq agg=sum seeds=each as dsq\nplot test_acc\nplot grad_sq as dsq",
      context: CheckContext(knownPlots: [nil]))
    #expect(r.diagnostics == [])
    #expect(
      r.commands.first?.command == .plot(PlotArgs(metric: .gradSq, layer: 1, agg: .sum, seeds: .each, name: "dsq")))
    // A plot named like an earlier one replaces it: three statements, three plots in all.
    #expect(r.knownPlots == [nil, "dsq", nil])
    #expect(Frontend.check("report plots=3", context: CheckContext(knownPlots: r.knownPlots)).diagnostics == [])
    let hint = Frontend.check("report plots=dsg", context: CheckContext(knownPlots: r.knownPlots)).diagnostics.first?
      .hint
    #expect(hint == "did you mean 'dsq'?")
  }

  @Test func completion() {
    #expect(Completer.complete("text p", cursor: 6, runs: []).matches == ["p1", "p2", "p3"])
    #expect(
      Completer.complete("report plots=", cursor: 13, runs: [], plots: ["acc", "dsq"]).matches == ["all", "acc", "dsq"])
    #expect(Completer.complete("plot grad_sq ag", cursor: 15, runs: []).matches == ["agg="])
    #expect(Completer.complete("plot grad_sq agg=", cursor: 17, runs: []).matches == ["mean", "sum"])
    #expect(Completer.complete("ti", cursor: 2, runs: []).matches == ["title"])
  }

  @Test func help() {
    #expect(HelpCatalog.text(for: "text")?.contains("text [SECTION] \"TEXT\"") == true)
    #expect(HelpCatalog.text(for: "plots")?.contains("list the plots") == true)
    #expect(HelpCatalog.text(for: "syntax")?.contains("multi-line strings") == true)
  }
}

/// The report's content on a fixed small run: the student's words, chosen plots, findings.
@Suite("Report content", .serialized)
struct ReportContentTests {
  /// The fixture session after a small study: a baseline, two batch sizes, no zero_grad, with
  /// the measured times replaced by fixed ones so that the findings are exact.
  static func study() throws -> SessionFixture {
    let f = try SessionFixture()
    let outcome = f.run(
      """
      \(f.load)
      model 784-32-relu-10
      set epochs=3 seed=0 device=cpu threads=1
      train as baseline
      train batch=16 as batch16
      train batch=64 as batch64
      train zero_grad=off lr=0.01 as no_zero_grad
      """)
    #expect(outcome == .ok, "\(outcome)")
    let times: [(Double, Double)] = [(2.0, 2.5), (3.0, 3.6), (1.0, 1.4), (2.2, 2.8)]
    for (k, (train, total)) in times.enumerated() {
      f.session.runs[k].trainSeconds = train
      f.session.runs[k].totalSeconds = total
      let steps = f.session.runs[k].epochs.reduce(0) { $0 + $1.steps }
      f.session.runs[k].stepsPerSecond = Double(steps) / train
    }
    return f
  }

  @Test func findingsGolden() throws {
    let f = try Self.study()
    let s = f.session
    let base = s.runs[0]
    let p1 = s.runs.filter { $0.config.zeroGrad }
    var text = "P1\n" + s.p1Findings(p1, base: base).map { "- " + $0 }.joined(separator: "\n")
    text += "\nP2\n" + s.p2Findings(p1, base: base).map { "- " + $0 }.joined(separator: "\n")
    text +=
      "\nP3\n"
      + s.p3Findings(s.runs.filter { !$0.config.zeroGrad }, base: base).map { "- " + $0 }.joined(separator: "\n")
    text += "\nP3 step\n" + s.stepPseudoCode(base.model) + "\n"
    try OutputTestTools.checkGolden(text, "report-findings.txt")
  }

  @Test func findingsAreMeasured() throws {
    let f = try Self.study()
    let s = f.session
    let base = s.runs[0]
    let p2 = s.p2Findings(Array(s.runs.prefix(3)), base: base)
    // The trend line quotes the recorded per-epoch means.
    let first = base.epochs[0].gradSqMean[0]
    let last = base.epochs[2].gradSqMean[0]
    #expect(
      p2[0].contains(NumberFormatting.scientific(first, 2)) && p2[0].contains(NumberFormatting.scientific(last, 2)))
    // 1/B: δ²·B is roughly equal across batch sizes, δ² itself is not.
    let scaled = s.runs.prefix(3).map { $0.epochs[0].gradSqMean[0] * Double($0.config.batch) }
    #expect(scaled.max()! / scaled.min()! < 2.5)
    let ratio = s.runs[1].epochs[0].gradSqMean[0] / s.runs[2].epochs[0].gradSqMean[0]
    #expect(ratio > 2, "δ² at batch 16 is several times δ² at batch 64: \(ratio)")
    // The P3 growth factor is the recorded last/first ‖∇W1‖ of the run without zeroing.
    let z = s.runs[3]
    let index = z.parameterNames.firstIndex(of: "fc1.weight")!
    let growth = z.epochs[2].gradNorms[index] / z.epochs[0].gradNorms[index]
    #expect(s.p3Findings([z], base: base)[0].contains("(\(NumberFormatting.fixed(growth, 2))×)"))
    #expect(growth > 1.5, "accumulated gradients grow: \(growth)")
  }

  @Test func studentWordsAndChosenPlotsInTheReport() throws {
    let f = try Self.study()
    let long = (0..<200).map { "Sentence \($0) of a long discussion, in words of my own. " }.joined()
    #expect(long.count > 10_000)
    let outcome = f.run(
      """
      title "δ² and gradient zeroing — 과제 3"
      author "김민준 (2023-12345)"
      course "데이터 과학 2"
      text \"\"\"
        We study four runs.

        The second paragraph.
        \"\"\"
      text p2 "\(long)"
      text conclusion "Zeroing matters."
      plot test_acc baseline batch16 as acc
      plot grad_sq baseline agg=sum
      plot grad_norm baseline no_zero_grad as gn
      plots
      report file="chosen.html" plots=acc,2,gn
      report file="chosen.md" plots=acc,2,gn
      report file="standard.html"
      """)
    #expect(outcome == .ok, "\(outcome)")
    let plots = try #require(f.tables.first { $0.title == "Plots" })
    #expect(plots.rows.map { $0[4] } == [.text("p1"), .text("p2"), .text("p3")])
    let out = f.directory + "/out/"
    let html = try String(contentsOfFile: out + "chosen.html", encoding: .utf8)
    for needle in [
      "δ² and gradient zeroing — 과제 3", "김민준 (2023-12345)", "데이터 과학 2",
      "<p class=\"own-words\">We study four runs.</p>", "<p class=\"own-words\">The second paragraph.</p>",
      long.trimmingCharacters(in: .whitespaces), "Conclusions", "Zeroing matters.",
      "Measured in this session", "optimizer.zero_grad()",
      "δ² at the output of Linear layer 1 (sum over the epoch&#39;s steps)",
    ] {
      #expect(
        html.contains(TextEscaping.xml(needle)) || html.contains(needle), "chosen.html lacks \(needle.prefix(40))")
    }
    // The chosen plots replace the standard charts, each in its section, in the order given.
    #expect(html.components(separatedBy: "<figure>").count - 1 == 3)
    let p1 = try #require(html.range(of: "P1 — "))
    let p2 = try #require(html.range(of: "P2 — "))
    let p3 = try #require(html.range(of: "P3 — "))
    let acc = try #require(html.range(of: "Test accuracy"))
    let sum = try #require(html.range(of: "(sum over the epoch"))
    let gn = try #require(html.range(of: "Parameter-gradient L2 norm"))
    #expect(p1.lowerBound < acc.lowerBound && acc.lowerBound < p2.lowerBound)
    #expect(p2.lowerBound < sum.lowerBound && sum.lowerBound < p3.lowerBound)
    #expect(p3.lowerBound < gn.lowerBound)
    // The text of P2 comes after P2's content and before P3.
    let words = try #require(html.range(of: "Sentence 0 of a long"))
    #expect(sum.lowerBound < words.lowerBound && words.lowerBound < p3.lowerBound)
    let md = try String(contentsOfFile: out + "chosen.md", encoding: .utf8)
    let titleBlock = "# δ² and gradient zeroing — 과제 3\n\n김민준 (2023-12345)  \n데이터 과학 2  \n"
    #expect(md.hasPrefix(titleBlock))
    #expect(md.contains("We study four runs.\n\nThe second paragraph."))
    // Without plots= the standard charts come back.
    let standard = try String(contentsOfFile: out + "standard.html", encoding: .utf8)
    #expect(standard.components(separatedBy: "<figure>").count - 1 == 6)
    #expect(standard.contains("<p class=\"own-words\">We study four runs.</p>"))
  }

  @Test func stepPseudoCodeFollowsTheModel() throws {
    let s = Session(environment: [:])
    let deep = ModelSpec(
      inputWidth: 784,
      layers: [.init(width: 256, activation: .tanh), .init(width: 64, activation: .relu), .init(width: 10)])
    let code = s.stepPseudoCode(deep)
    #expect(
      code.contains("s1 = x·W1 + b1;  h1 = tanh(s1)") && code.contains("s2 = h1·W2 + b2;  h2 = relu(s2)")
        && code.contains("s3 = h2·W3 + b3") && code.contains("E = mean cross-entropy(s3, y)")
        && code.contains("δ3 = ∂E/∂s3 … δ1 = ∂E/∂s1"))
    let single = s.stepPseudoCode(ModelSpec(inputWidth: 784, layers: [.init(width: 10)]))
    #expect(single.contains("3 backward  δ1 = ∂E/∂s1;"))
    // The order of the parts is the order of the PyTorch loop.
    let order = [
      "optimizer.zero_grad()", "out = model(x)", "loss = criterion(out, y)", "loss.backward()", "optimizer.step()",
    ]
    let positions = order.map { code.range(of: $0)!.lowerBound }
    #expect(positions == positions.sorted())
  }

  @Test func reRunningTextReplacesIt() throws {
    let f = try SessionFixture()
    #expect(f.run("text p1 \"first\"\ntext p1 \"second\"") == .ok)
    #expect(f.session.reportTexts == [.p1: "second"])
    #expect(f.stdout.contains("replaced the text of report section p1"))
    #expect(f.run("text p1 \"\"") == .ok)
    #expect(f.session.reportTexts.isEmpty)
    #expect(f.run("title \"A\"\ntitle \"\"") == .ok)
    #expect(f.session.titleLines.isEmpty)
  }

  @Test func seedSweepDrawsABandAndTablesMeanAndSD() throws {
    let f = try SessionFixture()
    let outcome = f.run(
      """
      \(f.load)
      model 784-16-relu-10
      set epochs=2 device=cpu threads=1
      sweep seed=0,1,2 as base
      train seed=5 batch=16 as other
      plot test_acc
      plot test_acc seeds=each
      compare
      """)
    #expect(outcome == .ok, "\(outcome)")
    let band = f.charts[0]
    #expect(band.series.map(\.name) == ["base seeds 0,1,2 (mean ± sd)", "other"])
    let runs = f.session.runs.prefix(3)
    let accs = runs.map { $0.epochs[1].testAccuracy * 100 }
    let mean = accs.reduce(0, +) / 3
    let sd = (accs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
    #expect(abs(band.series[0].y[1] - mean) < 1e-9)
    #expect(abs(band.series[0].band!.upper[1] - (mean + sd)) < 1e-9)
    #expect(abs(band.series[0].band!.lower[1] - (mean - sd)) < 1e-9)
    #expect(band.series[1].band == nil)
    #expect(Renderer.svg(band).contains("class=\"band\""))
    #expect(f.charts[1].series.count == 4 && f.charts[1].series.allSatisfy { $0.band == nil })
    #expect(f.tables.contains { $0.title?.hasPrefix("Seed groups") == true })
  }

  @Test func gradSqSumInPlotAndTable() throws {
    let f = try SessionFixture()
    #expect(
      f.run(
        "\(f.load)\nmodel 784-16-relu-10\nset epochs=2 device=cpu\ntrain as a\nplot grad_sq agg=sum\nshow a agg=sum")
        == .ok)
    let r = f.session.runs[0]
    #expect(f.charts[0].series[0].y == r.epochs.map { $0.gradSqSum[0] })
    #expect(f.charts[0].title.contains("sum over the epoch's steps"))
    let history = try #require(f.tables.first { $0.title == "a: per epoch" })
    #expect(history.columns.map(\.header).contains("δ² L1 sum"))
    // The sum is the recorded per-step values added up.
    let steps = r.epochs[0].steps
    let added = r.stepGradSq[0].prefix(steps).reduce(0.0) { $0 + Double($1) }
    #expect(abs(added - r.epochs[0].gradSqSum[0]) <= 1e-9 * max(1, added))
  }

  @Test func unknownPlotAtRunTimeIsAClearError() throws {
    let f = try SessionFixture()
    #expect(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1 device=cpu\ntrain as a") == .ok)
    guard case .failed(let e) = f.run("report plots=nope") else {
      Issue.record("an unknown plot must fail")
      return
    }
    #expect(e.evalue == "unknown plot 'nope'")
  }
}
