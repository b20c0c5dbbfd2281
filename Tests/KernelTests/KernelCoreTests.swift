import Foundation
import Testing

@testable import Kernel

@Suite struct KernelCoreTests {
  let transport = InMemoryTransport()
  let interpreter = ScriptedInterpreter()
  let core: KernelCore

  init() {
    core = KernelCore(interpreter: interpreter, transport: transport)
    core.log = { _ in }
  }

  private func runShell(_ messages: Message...) {
    for m in messages { core.receive(m, on: .shell) }
    core.processPendingShell()
  }

  private func reply(to id: String) -> Message? {
    transport.replies.first { (try? JSON.parse($0.parentHeaderFrame))?["msg_id"]?.stringValue == id }
  }

  @Test func kernelInfoIsWrappedInBusyIdleOnShellAndControl() throws {
    runShell(request("kernel_info_request", id: "k1"))
    core.receive(request("kernel_info_request", id: "k2"), on: .control)
    #expect(transport.iopubTrace == ["status:busy", "status:idle", "status:busy", "status:idle"])
    let shellReply = try #require(reply(to: "k1"))
    #expect(shellReply.msgType == "kernel_info_reply")
    #expect(transport.messages.contains { $0.1 == .control && $0.0.msgType == "kernel_info_reply" })
    let content = shellReply.content
    #expect(content["status"] == "ok")
    #expect(content["protocol_version"] == .string(MessageFactory.protocolVersion))
    #expect(content["language_info"]?["file_extension"] == ".nndsl")
    for key in ["name", "version", "mimetype", "pygments_lexer", "codemirror_mode"] {
      #expect(content["language_info"]?[key]?.stringValue != nil)
    }
    // Every IOPub message of the request has it as parent.
    for (m, channel) in transport.messages where channel == .iopub {
      #expect(m.header["session"]?.stringValue == core.factory.session)
    }
  }

  @Test func executeOrderAndCount() throws {
    runShell(request("execute_request", ["code": "hello"], id: "e1"))
    #expect(transport.iopubTrace == ["status:busy", "execute_input", "stream", "status:idle"])
    let iopub = transport.messages.filter { $0.1 == .iopub }.map(\.0)
    #expect(iopub[1].content["execution_count"] == 1)
    #expect(iopub[1].content["code"] == "hello")
    #expect(iopub[2].content == ["name": "stdout", "text": "hello"])
    let r = try #require(reply(to: "e1"))
    #expect(r.content["status"] == "ok")
    #expect(r.content["execution_count"] == 1)
    #expect(r.content["payload"] == [])
    #expect(r.content["user_expressions"] == [:])
    // Reply goes out before idle.
    let order = transport.messages.map { $0.0.msgType == "status" ? "status" : $0.0.msgType }
    #expect(order == ["status", "execute_input", "stream", "execute_reply", "status"])
  }

  @Test func executionCountRules() throws {
    runShell(
      request("execute_request", ["code": "a"], id: "1"),
      request("execute_request", ["code": "b", "silent": true], id: "2"),
      request("execute_request", ["code": "c", "store_history": false], id: "3"),
      request("execute_request", ["code": "value"], id: "4"))
    #expect(reply(to: "1")?.content["execution_count"] == 1)
    #expect(reply(to: "2")?.content["execution_count"] == 1)
    #expect(reply(to: "3")?.content["execution_count"] == 1)
    #expect(reply(to: "4")?.content["execution_count"] == 2)
    #expect(core.executionCount == 2)
    let silentOutputs = transport.messages.filter {
      $0.1 == .iopub && $0.0.msgType != "status"
        && (try? JSON.parse($0.0.parentHeaderFrame))?["msg_id"] == "2"
    }
    #expect(silentOutputs.isEmpty, "silent execution must publish nothing but status")
    let result = try #require(transport.messages.first { $0.0.msgType == "execute_result" }?.0)
    #expect(result.content["execution_count"] == 2)
    #expect(result.content["data"]?["text/plain"] == "42")
    #expect(result.content["metadata"] == [:])
    #expect(interpreter.executed.map(\.silent) == [false, true, false, false])
  }

  @Test func errorsPublishAndReplyThenAbortQueuedExecutes() throws {
    runShell(
      request("execute_request", ["code": "fail"], id: "bad"),
      request("execute_request", ["code": "next"], id: "queued1"),
      request("complete_request", ["code": "tr", "cursor_pos": 2], id: "comp"),
      request("execute_request", ["code": "later"], id: "queued2"))
    let err = try #require(transport.messages.first { $0.0.msgType == "error" }?.0)
    #expect(err.content == ["ename": "DSLError", "evalue": "boom", "traceback": ["line 1", "^"]])
    let bad = try #require(reply(to: "bad"))
    #expect(bad.content["status"] == "error")
    #expect(bad.content["ename"] == "DSLError")
    #expect(bad.content["execution_count"] == 1)
    #expect(reply(to: "queued1")?.content["status"] == "aborted")
    #expect(reply(to: "queued2")?.content["status"] == "aborted")
    #expect(reply(to: "comp")?.content["status"] == "ok", "only execute requests are aborted")
    #expect(interpreter.executed.map(\.code) == ["fail"])
    // busy/idle around each aborted request too.
    #expect(transport.iopubTrace.filter { $0.hasPrefix("status") }.count == 8)
  }

  @Test func withoutStopOnErrorQueuedCellsRun() {
    runShell(
      request("execute_request", ["code": "fail", "stop_on_error": false], id: "bad"),
      request("execute_request", ["code": "next"], id: "after"))
    #expect(reply(to: "after")?.content["status"] == "ok")
    #expect(reply(to: "after")?.content["execution_count"] == 2)
  }

  @Test func interruptMakesShouldStopTrue() throws {
    core.receive(request("interrupt_request", id: "int"), on: .control)
    #expect(interpreter.interrupts == 1)
    #expect(reply(to: "int")?.content == ["status": "ok"])
    // The flag is reset when a new cell starts, so an old interrupt does not kill it.
    runShell(request("execute_request", ["code": "stoppable"], id: "s1"))
    #expect(reply(to: "s1")?.content["status"] == "ok")
    #expect(transport.iopubTrace.contains("update_display_data"))
    let display = try #require(transport.messages.first { $0.0.msgType == "display_data" }?.0)
    #expect(display.content["transient"] == ["display_id": "progress"])
  }

  @Test func interruptDuringCellStopsIt() {
    final class Interrupting: KernelInterpreter {
      weak var core: KernelCore?
      var languageInfo: LanguageInfo { ScriptedInterpreter().languageInfo }
      var banner: String { "" }
      var implementationVersion: String { "" }
      func execute(
        code: String, executionCount: Int, silent: Bool, frontend: FrontendKind, publish: (KernelOutput) -> Void,
        shouldStop: () -> Bool
      ) -> ExecuteResult {
        let before = shouldStop()
        core?.interrupt()  // as if the control thread delivered an interrupt now
        return shouldStop() && !before
          ? .error(KernelError(ename: "KeyboardInterrupt", evalue: "", traceback: [])) : .ok()
      }
      func complete(code: String, cursor: Int) -> Completion { Completion(matches: [], start: 0, end: 0) }
      func inspect(code: String, cursor: Int, detail: Int) -> MimeBundle? { nil }
      func isComplete(code: String) -> Completeness { Completeness(status: .unknown) }
    }
    let interp = Interrupting()
    let t = InMemoryTransport()
    let c = KernelCore(interpreter: interp, transport: t)
    interp.core = c
    c.receive(request("execute_request", ["code": "x"], id: "x"), on: .shell)
    c.receive(request("execute_request", ["code": "y"], id: "y"), on: .shell)
    c.processPendingShell()
    let statuses = t.replies.map { $0.content["status"]?.stringValue ?? "" }
    #expect(statuses == ["error", "aborted"])
  }

  @Test func completeInspectIsComplete() throws {
    runShell(
      request("complete_request", ["code": "print é tr", "cursor_pos": 10], id: "c"),
      request("inspect_request", ["code": "train", "cursor_pos": 5, "detail_level": 0], id: "i"),
      request("inspect_request", ["code": "zzz", "cursor_pos": 1], id: "i2"),
      request("is_complete_request", ["code": "print \\"], id: "ic"),
      request("is_complete_request", ["code": "print"], id: "ic2"),
      request("comm_info_request", id: "ci"))
    #expect(
      reply(to: "c")?.content == [
        "status": "ok", "matches": ["train"], "cursor_start": 8, "cursor_end": 10, "metadata": [:],
      ])
    #expect(reply(to: "i")?.content["found"] == true)
    #expect(reply(to: "i")?.content["data"]?["text/plain"] == "train: runs training")
    #expect(reply(to: "i2")?.content == ["status": "ok", "found": false, "data": [:], "metadata": [:]])
    #expect(reply(to: "ic")?.content == ["status": "incomplete", "indent": "  "])
    #expect(reply(to: "ic2")?.content == ["status": "complete"])
    #expect(reply(to: "ci")?.content == ["status": "ok", "comms": [:]])
  }

  @Test func completeDefaultsCursorToEndInCodePoints() {
    runShell(request("complete_request", ["code": "é😀tr"], id: "c"))
    #expect(reply(to: "c")?.content["cursor_end"] == 4)
  }

  @Test func historyTailRangeSearch() throws {
    runShell(
      request("execute_request", ["code": "get a"], id: "1"),
      request("execute_request", ["code": "value"], id: "2"),
      request("execute_request", ["code": "get a"], id: "3"),
      request("execute_request", ["code": "not stored", "store_history": false], id: "4"),
      request("history_request", ["hist_access_type": "tail", "n": 2, "output": false], id: "t"),
      request("history_request", ["hist_access_type": "tail", "n": 3, "output": true], id: "to"),
      request(
        "history_request", ["hist_access_type": "range", "session": 0, "start": 2, "stop": 3], id: "r"),
      request("history_request", ["hist_access_type": "search", "pattern": "get *"], id: "s"),
      request(
        "history_request", ["hist_access_type": "search", "pattern": "get *", "unique": true], id: "su"),
      request("history_request", ["hist_access_type": "search", "pattern": "get *", "n": 1], id: "sn"))
    #expect(reply(to: "t")?.content["history"] == [[1, 2, "value"], [1, 3, "get a"]])
    #expect(
      reply(to: "to")?.content["history"] == [
        [1, 1, ["get a", .null]], [1, 2, ["value", "42"]], [1, 3, ["get a", .null]],
      ])
    #expect(reply(to: "r")?.content["history"] == [[1, 2, "value"]])
    #expect(reply(to: "s")?.content["history"]?.arrayValue?.count == 2)
    #expect(reply(to: "su")?.content["history"] == [[1, 3, "get a"]])
    #expect(reply(to: "sn")?.content["history"] == [[1, 3, "get a"]])
  }

  @Test func userExpressionsAreAnswered() throws {
    runShell(
      request(
        "execute_request", ["code": "x", "user_expressions": ["v": "value", "e": "fail", "n": 3]], id: "u"))
    let exprs = try #require(reply(to: "u")?.content["user_expressions"])
    #expect(exprs["v"] == ["status": "ok", "data": ["text/plain": "42"], "metadata": [:]])
    #expect(exprs["e"]?["status"] == "error")
    #expect(exprs["e"]?["ename"] == "DSLError")
    #expect(exprs["n"]?["status"] == "error")
  }

  @Test func pagerPayload() {
    runShell(request("execute_request", ["code": "page"], id: "p"))
    #expect(
      reply(to: "p")?.content["payload"] == [
        ["source": "page", "data": ["text/plain": "help text"], "start": 0]
      ])
  }

  @Test func shutdownRepliesBroadcastsAndCallsBack() {
    final class Box: @unchecked Sendable { var restart: Bool? }
    let box = Box()
    core.onShutdown = { box.restart = $0 }
    core.receive(request("shutdown_request", ["restart": true], id: "sd"), on: .control)
    #expect(box.restart == true)
    #expect(reply(to: "sd")?.content == ["status": "ok", "restart": true])
    #expect(transport.iopubTrace.contains("shutdown_reply"))
  }

  @Test func shutdownPreparesTheInterpreterBeforeInterruptingIt() {
    core.receive(request("interrupt_request", id: "int"), on: .control)
    #expect(interpreter.stopCalls == ["interrupt"])
    core.receive(request("shutdown_request", ["restart": true], id: "sd"), on: .control)
    #expect(interpreter.stopCalls == ["interrupt", "prepareForShutdown", "interrupt"])
    #expect(core.isInterrupted)
  }

  @Test func unknownTypesGetNoReplyButStatus() {
    runShell(request("frobnicate_request", id: "f"))
    #expect(transport.replies.isEmpty)
    #expect(transport.iopubTrace == ["status:busy", "status:idle"])
  }

  @Test func commOpenIsClosedAtOnce() {
    runShell(request("comm_open", ["comm_id": "c1", "target_name": "nope", "data": [:]], id: "co"))
    #expect(transport.iopubTrace == ["status:busy", "comm_close", "status:idle"])
  }

  @Test func interruptOnShellIsNotQueued() {
    core.receive(request("interrupt_request", id: "si"), on: .shell)
    #expect(reply(to: "si") != nil)
    #expect(interpreter.interrupts == 1)
  }
}
