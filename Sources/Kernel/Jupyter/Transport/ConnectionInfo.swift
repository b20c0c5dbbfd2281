import Foundation

/// Why a connection file cannot be used.
enum ConnectionFileError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// The file is not a JSON object.
  case notJSON(path: String, reason: String)
  /// A required field is absent or has the wrong type.
  case missingField(path: String, field: String)
  /// A field has a value the kernel cannot use.
  case invalidField(path: String, field: String, reason: String)

  var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read connection file \(path): \(reason)"
    case .notJSON(let path, let reason): return "connection file \(path) is not a JSON object: \(reason)"
    case .missingField(let path, let field):
      return "connection file \(path) has no usable '\(field)'"
    case .invalidField(let path, let field, let reason):
      return "connection file \(path): '\(field)' \(reason)"
    }
  }
}

/// The contents of a Jupyter connection file (`kernel-*.json`).
struct ConnectionInfo: Equatable, Sendable {
  enum Transport: String, Sendable { case tcp, ipc }

  var transport: Transport
  var ip: String
  var shellPort: Int
  var controlPort: Int
  var stdinPort: Int
  var iopubPort: Int
  var heartbeatPort: Int
  var key: String
  var signatureScheme: String
  /// CurveZMQ keys (Z85), when the client asked for an encrypted transport.
  var curvePublicKey: String?
  var curveSecretKey: String?

  var usesCurve: Bool { curveSecretKey != nil }

  /// The port for a channel.
  func port(_ channel: Channel) -> Int {
    switch channel {
    case .shell: return shellPort
    case .control: return controlPort
    case .stdin: return stdinPort
    case .iopub: return iopubPort
    case .heartbeat: return heartbeatPort
    }
  }

  /// The ZMQ endpoint to bind for a channel: `tcp://ip:port` or `ipc://ip-port`.
  func endpoint(_ channel: Channel) -> String {
    let p = port(channel)
    switch transport {
    case .tcp: return p == 0 ? "tcp://\(ip):*" : "tcp://\(ip):\(p)"
    case .ipc: return "ipc://\(ip)-\(p)"
    }
  }

  /// Reads and validates a connection file.
  static func load(path: String) throws(ConnectionFileError) -> ConnectionInfo {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .unreadable(path: path, reason: String(describing: error.localizedDescription))
    }
    return try parse(Array(data), path: path)
  }

  /// Parses connection-file JSON; `path` only labels errors.
  static func parse(_ bytes: [UInt8], path: String = "<connection file>") throws(ConnectionFileError)
    -> ConnectionInfo
  {
    let json: JSON
    do {
      json = try JSON.parse(bytes)
    } catch {
      throw .notJSON(path: path, reason: error.description)
    }
    guard case .object = json else { throw .notJSON(path: path, reason: "top level is not an object") }

    func port(_ field: String) throws(ConnectionFileError) -> Int {
      guard let value = json[field] else { throw .missingField(path: path, field: field) }
      guard let p = value.intValue else {
        throw .invalidField(path: path, field: field, reason: "is not an integer")
      }
      guard (0...65535).contains(p) else {
        throw .invalidField(path: path, field: field, reason: "\(p) is not a port number")
      }
      return p
    }

    let transportName = json["transport"]?.stringValue ?? "tcp"
    guard let transport = Transport(rawValue: transportName) else {
      throw .invalidField(path: path, field: "transport", reason: "is '\(transportName)', expected tcp or ipc")
    }
    let ip = json["ip"]?.stringValue ?? (transport == .tcp ? "127.0.0.1" : "kernel-ipc")
    guard !ip.isEmpty else { throw .invalidField(path: path, field: "ip", reason: "is empty") }
    let key: String
    switch json["key"] {
    case .none, .some(.null): key = ""
    case .some(.string(let k)): key = k
    case .some: throw .invalidField(path: path, field: "key", reason: "is not a string")
    }
    let scheme = json["signature_scheme"]?.stringValue ?? "hmac-sha256"
    do {
      _ = try Signer(key: [], scheme: scheme)
    } catch {
      throw .invalidField(path: path, field: "signature_scheme", reason: error.description)
    }
    let publicKey = json["curve_publickey"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    let secretKey = json["curve_secretkey"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    if let s = secretKey, s.utf8.count != 40 {
      throw .invalidField(path: path, field: "curve_secretkey", reason: "is not a 40-character Z85 key")
    }
    if let p = publicKey, p.utf8.count != 40 {
      throw .invalidField(path: path, field: "curve_publickey", reason: "is not a 40-character Z85 key")
    }
    return ConnectionInfo(
      transport: transport, ip: ip,
      shellPort: try port("shell_port"), controlPort: try port("control_port"),
      stdinPort: try port("stdin_port"), iopubPort: try port("iopub_port"),
      heartbeatPort: try port("hb_port"),
      key: key, signatureScheme: scheme, curvePublicKey: publicKey, curveSecretKey: secretKey)
  }
}
