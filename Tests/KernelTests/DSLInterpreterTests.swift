import Testing

@testable import Kernel

/// The adapter over the real DSL session (no training here: that is covered by Tests/jupyter).
@Suite struct DSLInterpreterTests {
  let interpreter = DSLInterpreter()

  private func run(_ code: String) -> (ExecuteResult, [KernelOutput]) {
    var outputs: [KernelOutput] = []
    let result = interpreter.execute(
      code: code, executionCount: 1, silent: false, publish: { outputs.append($0) }, shouldStop: { false })
    return (result, outputs)
  }

  @Test func prepareForShutdownReachesTheSession() {
    #expect(!interpreter.session.isShuttingDown)
    interpreter.prepareForShutdown()
    #expect(interpreter.session.isShuttingDown)
  }

  @Test func printGoesToStdoutAndStderr() {
    let (r1, o1) = run(#"print "hello, world""#)
    #expect(r1 == .ok())
    #expect(o1 == [.stream(.stdout, "hello, world\n")])
    let (_, o2) = run(#"print "oops" to=stderr"#)
    #expect(o2 == [.stream(.stderr, "oops\n")])
  }

  @Test func getIsTheCellValueWithPlainText() throws {
    let (result, outputs) = run("get epochs")
    #expect(result == .ok())
    guard case .executeResult(let bundle) = try #require(outputs.first) else {
      Issue.record("expected execute_result, got \(outputs)")
      return
    }
    #expect(bundle.data["text/plain"] == "10")
    // A bare number is not a JSON object, which JupyterLab would reject: no JSON form at all.
    #expect(bundle.data["application/json"] == nil)
    #expect(bundle.data[DSLInterpreter.machineMime] == nil)
  }

  @Test func tablesShowAsHTMLWithTheirDataUnderAVendorType() throws {
    // JupyterLab ranks application/json above text/html: a table must not carry it, or the
    // notebook shows a JSON tree instead of the table (scripts/lab-check.sh shows it in a browser).
    let (result, outputs) = run("runs")
    #expect(result == .ok())
    guard case .displayData(let bundle, _) = try #require(outputs.first) else {
      Issue.record("expected display_data, got \(outputs)")
      return
    }
    #expect(bundle.data["text/html"]?.stringValue?.contains("<table") == true)
    #expect(bundle.data["application/json"] == nil)
    guard case .object = try #require(bundle.data[DSLInterpreter.machineMime]) else {
      Issue.record("the machine-readable form must be a JSON object")
      return
    }
  }

  @Test func helpIsOnePagerPayload() throws {
    let (result, outputs) = run("help train")
    #expect(outputs.isEmpty)
    guard case .ok(let payload) = result, case .page(let bundle, _) = try #require(payload.first) else {
      Issue.record("expected a page payload, got \(result)")
      return
    }
    #expect(payload.count == 1)
    #expect(bundle.data["text/plain"]?.stringValue?.contains("train") == true)
  }

  @Test func typoIsASyntaxErrorWithCaret() throws {
    let (result, _) = run("trian")
    guard case .error(let error) = result else {
      Issue.record("expected an error, got \(result)")
      return
    }
    #expect(error.ename == "SyntaxError")
    #expect(error.traceback.joined().contains("^"))
    #expect(error.traceback.joined().contains("train"), "did-you-mean hint")
  }

  @Test func clearIsClearOutput() {
    #expect(run("clear").1 == [.clearOutput(wait: false)])
  }

  @Test func completionInspectionCompleteness() {
    #expect(interpreter.complete(code: "trai", cursor: 4).matches.contains("train"))
    let c = interpreter.complete(code: "train ba", cursor: 8)
    #expect(c.matches == ["batch="])
    #expect(c.start == 6 && c.end == 8)
    #expect(interpreter.inspect(code: "train", cursor: 2, detail: 0) != nil)
    #expect(interpreter.isComplete(code: #"print "x""#).status == .complete)
    #expect(interpreter.isComplete(code: #"print "abc"#).status == .invalid)
    #expect(interpreter.isComplete(code: "train batch=16 \\").status == .incomplete)
    #expect(interpreter.isComplete(code: "trian").status == .invalid)
  }

  @Test func userExpressionsAreSideEffectFreeGets() {
    #expect(interpreter.evaluate(expression: "epochs") == .value(MimeBundle(plain: "10")))
    #expect(interpreter.evaluate(expression: "get epochs") == .value(MimeBundle(plain: "10")))
    guard case .error = interpreter.evaluate(expression: "epochs; train") else {
      Issue.record("a second statement must be refused")
      return
    }
    guard case .error = interpreter.evaluate(expression: "no_such_thing") else {
      Issue.record("an unknown reference is an error")
      return
    }
  }

  @Test func kernelInfoLanguage() {
    #expect(interpreter.languageInfo.name == "nndsl")
    #expect(interpreter.languageInfo.fileExtension.hasPrefix("."))
  }
}
