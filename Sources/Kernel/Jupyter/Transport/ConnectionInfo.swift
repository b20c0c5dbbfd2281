import Foundation

/// Why a connection file cannot be used.
enum ConnectionFileError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// The path is a directory, FIFO, device or socket (never opened for reading, so never waited on).
  case notRegularFile(path: String, kind: String)
  /// The file is far larger than any connection file.
  case tooLarge(path: String, bytes: Int)
  /// The file is not a JSON object.
  case notJSON(path: String, reason: String)
  /// A required field is absent or has the wrong type.
  case missingField(path: String, field: String)
  /// A field has a value the kernel cannot use.
  case invalidField(path: String, field: String, reason: String)

  var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read connection file \(path): \(reason)"
    case .notRegularFile(let path, let kind):
      return "connection file \(path) is a \(kind), not a file; expected a kernel-*.json file as Jupyter writes it"
    case .tooLarge(let path, let bytes):
      return "connection file \(path) has \(bytes) bytes; a connection file is a small JSON object"
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
    try parse(try readBytes(path: path), path: path)
  }

  /// The most bytes a connection file may have.
  static let maxBytes = 1 << 20

  /// The bytes of a connection file; only a regular file is read (O_NONBLOCK: a FIFO cannot block).
  static func readBytes(path: String) throws(ConnectionFileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT { throw .unreadable(path: path, reason: "no such file") }
      throw .unreadable(path: path, reason: String(cString: strerror(code)))
    }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    switch st.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw .notRegularFile(path: path, kind: "directory")
    case S_IFIFO: throw .notRegularFile(path: path, kind: "FIFO (named pipe)")
    case S_IFCHR, S_IFBLK: throw .notRegularFile(path: path, kind: "device")
    case S_IFSOCK: throw .notRegularFile(path: path, kind: "socket")
    default: throw .notRegularFile(path: path, kind: "special file")
    }
    guard Int(st.st_size) <= maxBytes else { throw .tooLarge(path: path, bytes: Int(st.st_size)) }
    var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      done += n
      if done > maxBytes { throw .tooLarge(path: path, bytes: done) }
    }
    return Array(bytes.prefix(done))
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
