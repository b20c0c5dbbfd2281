import Testing

@testable import Kernel

@Suite struct ConnectionInfoTests {
  let valid = #"""
    {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
     "hb_port": 5005, "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
     "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "nndsl"}
    """#

  @Test func parsesTCP() throws {
    let info = try ConnectionInfo.parse(Array(valid.utf8))
    #expect(info.transport == .tcp)
    #expect(info.endpoint(.shell) == "tcp://127.0.0.1:5001")
    #expect(info.endpoint(.heartbeat) == "tcp://127.0.0.1:5005")
    #expect(info.key == "a0436f6c-1916-498b-8eb9-e81ab9368e84")
    #expect(!info.usesCurve)
  }

  @Test func parsesIPCAndCurve() throws {
    let text = #"""
      {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
       "ip": "/tmp/kernel-x", "key": "", "transport": "ipc", "signature_scheme": "hmac-sha256",
       "curve_publickey": "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
       "curve_secretkey": "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"}
      """#
    let info = try ConnectionInfo.parse(Array(text.utf8))
    #expect(info.endpoint(.control) == "ipc:///tmp/kernel-x-4")
    #expect(info.usesCurve)
    #expect(info.key.isEmpty)
  }

  @Test(arguments: [
    ("not json", "notJSON"),
    ("[1]", "notJSON"),
    (#"{"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}"#, "missing shell_port"),
    (#"{"shell_port":"x","iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}"#, "invalid shell_port"),
    (#"{"shell_port":70000,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}"#, "invalid shell_port"),
    (
      #"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"transport":"udp"}"#,
      "invalid transport"
    ),
    (#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":7}"#, "invalid key"),
    (
      #"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"signature_scheme":"md5"}"#,
      "invalid signature_scheme"
    ),
    (
      #"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"curve_secretkey":"short"}"#,
      "invalid curve_secretkey"
    ),
  ])
  func rejects(text: String, expected: String) {
    do {
      _ = try ConnectionInfo.parse(Array(text.utf8), path: "conn.json")
      Issue.record("accepted \(text)")
    } catch {
      switch error {
      case .notJSON(let path, _): #expect(expected == "notJSON" && path == "conn.json")
      case .missingField(_, let field): #expect(expected == "missing \(field)")
      case .invalidField(_, let field, _): #expect(expected == "invalid \(field)")
      case .unreadable, .notRegularFile, .tooLarge: Issue.record("unexpected \(error)")
      }
      #expect(error.description.contains("conn.json"))
    }
  }

  @Test func unreadableFile() {
    #expect(throws: ConnectionFileError.self) { try ConnectionInfo.load(path: "/nonexistent/kernel.json") }
  }

  @Test func bindFailureIsReportedNotFatal() throws {
    // Two transports on the same ports: the second cannot bind and says which channel failed.
    let text = #"""
      {"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0,
       "ip": "127.0.0.1", "key": "k", "transport": "tcp"}
      """#
    let info = try ConnectionInfo.parse(Array(text.utf8))
    let codec = WireCodec(signer: try Signer(key: [1]))
    let first = try ZMQTransport(info: info, codec: codec, factory: MessageFactory())
    let bound = first.endpoints[.shell] ?? ""
    let port = Int(bound.split(separator: ":").last ?? "") ?? 0
    #expect(port > 0)
    var clash = info
    clash.shellPort = port
    #expect(throws: TransportError.self) {
      _ = try ZMQTransport(info: clash, codec: codec, factory: MessageFactory())
    }
    do {
      _ = try ZMQTransport(info: clash, codec: codec, factory: MessageFactory())
    } catch {
      #expect(error.description.contains("shell"))
    }
    first.requestStop()
  }
}
