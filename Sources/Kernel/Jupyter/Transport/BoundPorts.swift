import DSL
import Foundation

/// The ports the kernel really bound, and writing them back to a connection file that asked for
/// port 0 ("any free port"), as ipykernel does, so that clients reading the file can connect.
struct BoundPorts: Equatable {
  /// Port by channel, for the channels that were bound over TCP.
  var ports: [Channel: Int]

  /// The connection-file field of each channel's port.
  static let fields: [(Channel, String)] = [
    (.shell, "shell_port"), (.iopub, "iopub_port"), (.stdin, "stdin_port"),
    (.control, "control_port"), (.heartbeat, "hb_port"),
  ]

  /// Ports parsed from bound endpoints such as `tcp://127.0.0.1:54321`.
  init(endpoints: [Channel: String]) {
    var ports: [Channel: Int] = [:]
    for (channel, endpoint) in endpoints where endpoint.hasPrefix("tcp://") {
      if let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) {
        ports[channel] = port
      }
    }
    self.ports = ports
  }

  /// One line for the log: `shell 5001, iopub 5002, …`.
  var summary: String {
    BoundPorts.fields.compactMap { channel, _ in ports[channel].map { "\(channel.rawValue) \($0)" } }
      .joined(separator: ", ")
  }

  /// `info` with its 0 ports replaced by the bound ones.
  func applied(to info: ConnectionInfo) -> ConnectionInfo {
    var out = info
    if out.shellPort == 0, let p = ports[.shell] { out.shellPort = p }
    if out.iopubPort == 0, let p = ports[.iopub] { out.iopubPort = p }
    if out.stdinPort == 0, let p = ports[.stdin] { out.stdinPort = p }
    if out.controlPort == 0, let p = ports[.control] { out.controlPort = p }
    if out.heartbeatPort == 0, let p = ports[.heartbeat] { out.heartbeatPort = p }
    return out
  }

  /// Rewrites the connection file with the bound ports in place of its zeros, keeping every other
  /// field; the file is replaced atomically and keeps its mode (it holds the signing key).
  func writeBack(to path: String) throws -> Bool {
    let json = try JSON.parse(try ConnectionInfo.readBytes(path: path))
    guard var object = json.objectValue else { return false }
    var changed = false
    for (channel, field) in BoundPorts.fields {
      if object[field]?.intValue == 0, let port = ports[channel] {
        object[field] = .int(port)
        changed = true
      }
    }
    guard changed else { return false }
    try FileDestination.write(Data(JSON.object(object).serialized()), to: path, force: true)
    return true
  }
}
