import Foundation

@testable import Kernel

/// A transport that records what the core sends (cf. xeus's mock server).
final class InMemoryTransport: KernelTransport, @unchecked Sendable {
  private let lock = NSLock()
  private var sent: [(Message, Channel)] = []

  func send(_ message: Message, on channel: Channel) {
    lock.lock()
    sent.append((message, channel))
    lock.unlock()
  }

  var messages: [(Message, Channel)] {
    lock.lock()
    defer { lock.unlock() }
    return sent
  }

  func clear() {
    lock.lock()
    sent.removeAll()
    lock.unlock()
  }

  /// IOPub messages as `type` or `status:state`, in order.
  var iopubTrace: [String] {
    messages.filter { $0.1 == .iopub }.map { m in
      m.0.msgType == "status"
        ? "status:\(m.0.content["execution_state"]?.stringValue ?? "?")" : m.0.msgType
    }
  }

  /// Replies on shell or control.
  var replies: [Message] { messages.filter { $0.1 == .shell || $0.1 == .control }.map(\.0) }
}

/// A scripted interpreter for core tests: a few commands with fixed behaviour.
final class ScriptedInterpreter: KernelInterpreter {
  var languageInfo: LanguageInfo {
    LanguageInfo(
      name: "nndsl", version: "0.1", mimetype: "text/x-nndsl", fileExtension: ".nndsl",
      pygmentsLexer: "text", codemirrorMode: "text/plain")
  }
  var banner: String { "scripted" }
  var implementationVersion: String { "0.0-test" }
  private(set) var executed: [(code: String, count: Int, silent: Bool)] = []
  private(set) var interrupts = 0
  /// `interrupt` and `prepareForShutdown`, in the order the core called them.
  private(set) var stopCalls: [String] = []

  func execute(
    code: String, executionCount: Int, silent: Bool, frontend: FrontendKind, publish: (KernelOutput) -> Void,
    shouldStop: () -> Bool
  ) -> ExecuteResult {
    executed.append((code, executionCount, silent))
    switch code {
    case "fail":
      return .error(KernelError(ename: "DSLError", evalue: "boom", traceback: ["line 1", "^"]))
    case "value":
      publish(.executeResult(MimeBundle(plain: "42")))
      return .ok()
    case "page":
      return .ok(payload: [.page(MimeBundle(plain: "help text"))])
    case "stoppable":
      publish(.displayData(MimeBundle(plain: "0%"), displayID: "progress"))
      if shouldStop() {
        return .error(KernelError(ename: "KeyboardInterrupt", evalue: "", traceback: []))
      }
      publish(.updateDisplayData(MimeBundle(plain: "100%"), displayID: "progress"))
      return .ok()
    default:
      publish(.stream(.stdout, code))
      return .ok()
    }
  }

  func complete(code: String, cursor: Int) -> Completion {
    Completion(matches: ["train"], start: max(0, cursor - 2), end: cursor)
  }

  func inspect(code: String, cursor: Int, detail: Int) -> MimeBundle? {
    code.hasPrefix("train") ? MimeBundle(plain: "train: runs training") : nil
  }

  func isComplete(code: String) -> Completeness {
    code.hasSuffix("\\") ? Completeness(status: .incomplete, indent: "  ") : Completeness(status: .complete)
  }

  func interrupt() {
    interrupts += 1
    stopCalls.append("interrupt")
  }

  func prepareForShutdown() { stopCalls.append("prepareForShutdown") }
}

/// Builds a request as a client would send it.
func request(_ type: String, _ content: JSON = [:], id: String = UUID().uuidString) -> Message {
  let header: JSON = [
    "msg_id": .string(id), "session": "client", "username": "test", "date": "2026-01-01T00:00:00Z",
    "msg_type": .string(type), "version": "5.3",
  ]
  return Message(
    identities: [Array("client-id".utf8)], header: header, content: content, rawHeader: header.serialized())
}
