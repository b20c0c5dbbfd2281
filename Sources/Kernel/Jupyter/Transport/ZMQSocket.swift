import CZmq
import Foundation

/// Why the transport could not start.
enum TransportError: Error, Equatable, CustomStringConvertible {
  /// zmq_ctx_new or zmq_socket failed.
  case socketCreation(channel: String, reason: String)
  /// Setting a socket option (e.g. CURVE keys) failed.
  case socketOption(channel: String, option: String, reason: String)
  /// The endpoint could not be bound (port in use, bad address, ...).
  case bindFailed(channel: String, endpoint: String, reason: String)
  /// The pipe for waking the I/O thread could not be made.
  case eventFD(reason: String)
  /// libzmq could not be loaded; each entry is one candidate and why it failed.
  case libraryMissing(tried: [String])

  var description: String {
    switch self {
    case .socketCreation(let c, let r): return "cannot create the \(c) socket: \(r)"
    case .socketOption(let c, let o, let r): return "cannot set \(o) on the \(c) socket: \(r)"
    case .bindFailed(let c, let e, let r): return "cannot bind the \(c) channel to \(e): \(r)"
    case .eventFD(let r): return "cannot create a wake-up pipe: \(r)"
    case .libraryMissing(let tried):
      return "cannot load libzmq, which the Jupyter kernel needs (script mode does not): tried "
        + tried.joined(separator: "; ")
        + ". Install it (Debian/Ubuntu: apt-get install libzmq5) or set NNDSL_ZMQ_PATH to the library file"
    }
  }
}

/// A ZMQ context (owned; terminated explicitly).
final class ZMQContext: @unchecked Sendable {
  let raw: UnsafeMutableRawPointer
  /// The loaded libzmq, shared by this context's sockets.
  let zmq: ZMQLibrary

  init() throws(TransportError) {
    zmq = try ZMQLibrary.load()
    guard let raw = zmq.ctxNew() else { throw .socketCreation(channel: "context", reason: zmq.errorText()) }
    self.raw = raw
  }

  /// Unblocks every blocking call on this context's sockets.
  func shutdown() { _ = zmq.ctxShutdown(raw) }

  /// Waits for all sockets to close (after their linger), then frees the context.
  func terminate() {
    while zmq.ctxTerm(raw) != 0 && zmq.errnoValue() == EINTR {}
  }
}

/// One ZMQ socket. Not thread-safe: one thread uses it at a time (libzmq's rule).
final class ZMQSocket: @unchecked Sendable {
  let raw: UnsafeMutableRawPointer
  let name: String
  let zmq: ZMQLibrary
  private var closed = false

  init(context: ZMQContext, type: Int32, name: String) throws(TransportError) {
    zmq = context.zmq
    guard let raw = zmq.socket(context.raw, type) else {
      throw .socketCreation(channel: name, reason: zmq.errorText())
    }
    self.raw = raw
    self.name = name
  }

  func setInt(_ option: Int32, _ value: Int32, label: String) throws(TransportError) {
    var v = value
    if zmq.setsockopt(raw, option, &v, MemoryLayout<Int32>.size) != 0 {
      throw .socketOption(channel: name, option: label, reason: zmq.errorText())
    }
  }

  func setString(_ option: Int32, _ value: String, label: String) throws(TransportError) {
    let bytes = Array(value.utf8)
    let rc = bytes.withUnsafeBytes { zmq.setsockopt(raw, option, $0.baseAddress, $0.count) }
    if rc != 0 { throw .socketOption(channel: name, option: label, reason: zmq.errorText()) }
  }

  /// Makes this socket a CurveZMQ server with the kernel's secret key (Z85).
  func makeCurveServer(secretKey: String, publicKey: String?) throws(TransportError) {
    try setInt(ZMQ_CURVE_SERVER, 1, label: "ZMQ_CURVE_SERVER")
    try setString(ZMQ_CURVE_SECRETKEY, secretKey, label: "ZMQ_CURVE_SECRETKEY")
    if let publicKey { try setString(ZMQ_CURVE_PUBLICKEY, publicKey, label: "ZMQ_CURVE_PUBLICKEY") }
  }

  /// Binds, returning the endpoint actually bound (differs for `tcp://ip:*`).
  @discardableResult
  func bind(_ endpoint: String) throws(TransportError) -> String {
    if zmq.bind(raw, endpoint) != 0 {
      throw .bindFailed(channel: name, endpoint: endpoint, reason: zmq.errorText())
    }
    var buffer = [CChar](repeating: 0, count: 512)
    var size = buffer.count
    if zmq.getsockopt(raw, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 {
      let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      return String(decoding: bytes, as: UTF8.self)
    }
    return endpoint
  }

  /// Receives one multipart message; nil when nothing is waiting (with `dontWait`) or on error.
  func receiveMultipart(dontWait: Bool) -> [[UInt8]]? {
    var frames: [[UInt8]] = []
    while true {
      var msg = zmq_msg_t()
      _ = zmq.msgInit(&msg)
      defer { _ = zmq.msgClose(&msg) }
      let flags = (dontWait && frames.isEmpty) ? ZMQ_DONTWAIT : 0
      if zmq.msgRecv(&msg, raw, flags) < 0 { return frames.isEmpty ? nil : frames }
      let size = zmq.msgSize(&msg)
      if size > 0, let data = zmq.msgData(&msg) {
        frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
      } else {
        frames.append([])
      }
      if zmq.msgMore(&msg) == 0 { return frames }
    }
  }

  /// Sends a multipart message; false when libzmq refused it.
  @discardableResult
  func sendMultipart(_ frames: [[UInt8]]) -> Bool {
    for (i, frame) in frames.enumerated() {
      let flags = i < frames.count - 1 ? ZMQ_SNDMORE : 0
      let rc = frame.withUnsafeBytes { zmq.send(raw, $0.baseAddress, $0.count, flags) }
      if rc < 0 { return false }
    }
    return true
  }

  /// Closes the socket after at most `lingerMs` to flush pending output.
  func close(lingerMs: Int32 = 500) {
    guard !closed else { return }
    closed = true
    try? setInt(ZMQ_LINGER, lingerMs, label: "ZMQ_LINGER")
    _ = zmq.close(raw)
  }
}
