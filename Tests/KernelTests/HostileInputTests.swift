import Foundation
import Testing

@testable import Kernel

/// The control channel, replays and connection files under attack.
@Suite struct HostileInputTests {
  @Test func executeOnControlIsAnsweredAbortedAndNotRun() throws {
    let transport = InMemoryTransport()
    let interpreter = ScriptedInterpreter()
    let core = KernelCore(interpreter: interpreter, transport: transport)
    let log = LogLines()
    core.log = { line in log.append(line) }
    for type in ["execute_request", "complete_request", "inspect_request", "history_request", "is_complete_request"] {
      core.receive(request(type, ["code": "hello"], id: type), on: .control)
    }
    core.receive(request("comm_msg", id: "not-a-request"), on: .control)
    #expect(interpreter.executed.isEmpty, "nothing may run from the control channel")
    let replies = transport.messages.filter { $0.1 == .control }.map(\.0)
    #expect(
      replies.map(\.msgType) == [
        "execute_reply", "complete_reply", "inspect_reply", "history_reply", "is_complete_reply",
      ])
    for reply in replies { #expect(reply.content["status"] == "aborted") }
    #expect(transport.iopubTrace == Array(repeating: ["status:busy", "status:idle"], count: 5).flatMap { $0 })
    #expect(log.lines.contains { $0.contains("not running 'execute_request' sent on control") })
    // Control requests still work there.
    core.receive(request("kernel_info_request", id: "info"), on: .control)
    #expect(transport.messages.last { $0.1 == .control }?.0.msgType == "kernel_info_reply")
  }

  @Test func replayGuardDropsRepeatsWithinItsMemory() {
    var guardian = ReplayGuard(capacity: 3)
    let a = Array("aa".utf8)
    let b = Array("bb".utf8)
    let c = Array("cc".utf8)
    let d = Array("dd".utf8)
    let first = [a, b, c].map { guardian.admit($0) }
    #expect(first == [true, true, true])
    let repeated = guardian.admit(a)
    #expect(!repeated, "a repeat is refused")
    let upper = guardian.admit(Array("AA".utf8))
    #expect(!upper, "hex case does not make a new signature")
    let fourth = guardian.admit(d)
    #expect(fourth, "a fourth signature pushes out the oldest")
    #expect(guardian.count == 3)
    let forgotten = guardian.admit(a)
    #expect(forgotten, "forgotten after capacity newer ones")
    let unsigned = [guardian.admit([]), guardian.admit([])]
    #expect(unsigned == [true, true], "unsigned messages are not tracked")
  }

  @Test func connectionFileThatIsADirectoryOrFIFO() throws {
    let dir = NSTemporaryDirectory() + "conn-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(throws: ConnectionFileError.notRegularFile(path: dir, kind: "directory")) {
      try ConnectionInfo.load(path: dir)
    }
    let message = ConnectionFileError.notRegularFile(path: dir, kind: "directory").description
    #expect(message.contains("is a directory") && !message.contains("NSCocoaErrorDomain"))
    let fifo = dir + "/kernel.json"
    #expect(mkfifo(fifo, 0o600) == 0)
    let started = Date()
    #expect(throws: ConnectionFileError.notRegularFile(path: fifo, kind: "FIFO (named pipe)")) {
      try ConnectionInfo.load(path: fifo)
    }
    #expect(Date().timeIntervalSince(started) < 5)
    let big = dir + "/big.json"
    try Data(count: ConnectionInfo.maxBytes + 10).write(to: URL(fileURLWithPath: big))
    #expect(throws: ConnectionFileError.tooLarge(path: big, bytes: ConnectionInfo.maxBytes + 10)) {
      try ConnectionInfo.load(path: big)
    }
  }

  @Test func zeroPortsAreWrittenBackKeepingOtherFields() throws {
    let dir = NSTemporaryDirectory() + "conn-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/kernel-1.json"
    let text = #"""
      {"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 5555,
       "ip": "127.0.0.1", "key": "secret", "transport": "tcp", "signature_scheme": "hmac-sha256",
       "kernel_name": "nndsl"}
      """#
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, 0o600)
    let info = try ConnectionInfo.load(path: path)
    let bound = BoundPorts(endpoints: [
      .shell: "tcp://127.0.0.1:40001", .iopub: "tcp://127.0.0.1:40002", .stdin: "tcp://127.0.0.1:40003",
      .control: "tcp://127.0.0.1:40004", .heartbeat: "tcp://127.0.0.1:5555",
    ])
    #expect(try bound.writeBack(to: path))
    let again = try ConnectionInfo.load(path: path)
    #expect(again == bound.applied(to: info))
    #expect(again.shellPort == 40001 && again.controlPort == 40004 && again.heartbeatPort == 5555)
    #expect(again.key == "secret")
    let json = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(json["kernel_name"] == "nndsl")
    var st = stat()
    _ = stat(path, &st)
    #expect(st.st_mode & 0o777 == 0o600, "the key stays private")
    #expect(!(try bound.writeBack(to: path)), "nothing to write once no port is 0")
    #expect(bound.summary == "shell 40001, iopub 40002, stdin 40003, control 40004, heartbeat 5555")
  }
}

/// Log lines collected from any thread.
final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String] = []
  func append(_ line: String) {
    lock.lock()
    stored.append(line)
    lock.unlock()
  }
  var lines: [String] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}
