import Foundation
import Testing

@testable import Kernel

/// Records the frontend kind of every cell it runs.
private final class FrontendRecorder: KernelInterpreter {
  var languageInfo: LanguageInfo {
    LanguageInfo(
      name: "nndsl", version: "0.1", mimetype: "text/x-nndsl", fileExtension: ".nb",
      pygmentsLexer: "text", codemirrorMode: "text/plain")
  }
  var banner: String { "recorder" }
  var implementationVersion: String { "0.0-test" }
  var kinds: [FrontendKind] = []

  func execute(
    code: String, executionCount: Int, silent: Bool, frontend: FrontendKind,
    publish: (KernelOutput) -> Void, shouldStop: () -> Bool
  ) -> ExecuteResult {
    kinds.append(frontend)
    return code == "fail" ? .error(KernelError(ename: "E", evalue: "e", traceback: [])) : .ok()
  }

  func complete(code: String, cursor: Int) -> Completion { Completion(matches: [], start: cursor, end: cursor) }
  func inspect(code: String, cursor: Int, detail: Int) -> MimeBundle? { nil }
  func isComplete(code: String) -> Completeness { Completeness(status: .complete) }
}

/// A request from a given client session.
private func request(_ type: String, _ content: JSON, id: String, session: String) -> Message {
  let header: JSON = [
    "msg_id": .string(id), "session": .string(session), "username": "test",
    "date": "2026-01-01T00:00:00Z", "msg_type": .string(type), "version": "5.3",
  ]
  return Message(identities: [Array("c".utf8)], header: header, content: content, rawHeader: header.serialized())
}

@Suite struct ExecuteReplyTests {
  let transport = InMemoryTransport()
  fileprivate let interpreter = FrontendRecorder()
  let core: KernelCore

  init() {
    core = KernelCore(interpreter: interpreter, transport: transport)
    core.log = { _ in }
  }

  private func reply(to id: String) throws -> Message {
    try #require(transport.replies.first { (try? JSON.parse($0.parentHeaderFrame))?["msg_id"]?.stringValue == id })
  }

  /// ipykernel's execute_reply metadata: started (ISO 8601 UTC), dependencies_met, engine, status.
  @Test func executeReplyMetadataStartsBeforeTheReply() throws {
    core.receive(request("execute_request", ["code": "ok"], id: "a", session: "nb"), on: .shell)
    core.receive(request("execute_request", ["code": "fail"], id: "b", session: "nb"), on: .shell)
    core.processPendingShell()
    for (id, status) in [("a", "ok"), ("b", "error")] {
      let r = try reply(to: id)
      let started = try #require(r.metadata["started"]?.stringValue)
      #expect(started.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil, "\(started)")
      #expect(started <= (r.header["date"]?.stringValue ?? ""), "started after the reply's date")
      #expect(r.metadata["status"]?.stringValue == status)
      #expect(r.metadata["dependencies_met"] == true)
      #expect(r.metadata["engine"]?.stringValue == core.factory.session)
    }
  }

  /// A session that asked is_complete is a console; other sessions stay notebooks.
  @Test func sessionsThatAskIsCompleteAreConsoles() throws {
    core.receive(request("execute_request", ["code": "x"], id: "1", session: "console"), on: .shell)
    core.receive(request("is_complete_request", ["code": "x"], id: "2", session: "console"), on: .shell)
    core.receive(request("execute_request", ["code": "x"], id: "3", session: "console"), on: .shell)
    core.receive(request("execute_request", ["code": "x"], id: "4", session: "lab"), on: .shell)
    core.processPendingShell()
    #expect(interpreter.kinds == [.notebook, .console, .notebook])
  }

  @Test func askExitPayload() {
    #expect(ExecutePayload.askExit(keepKernel: false).json == ["source": "ask_exit", "keepkernel": false])
  }
}
