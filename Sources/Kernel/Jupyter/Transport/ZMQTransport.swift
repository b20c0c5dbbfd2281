import CZmq
import Foundation

/// The ZeroMQ side of the kernel: binds the five sockets, runs the I/O thread that owns the
/// shell/control/stdin/IOPub sockets, and the heartbeat thread.
///
/// Any thread may call `send`: messages go to an outbox that the I/O thread drains, so every
/// socket is used by one thread only and every message is signed in one place.
final class ZMQTransport: KernelTransport, @unchecked Sendable {
  let info: ConnectionInfo
  let codec: WireCodec
  let factory: MessageFactory
  /// Endpoints actually bound, by channel.
  private(set) var endpoints: [Channel: String] = [:]

  private let context: ZMQContext
  private let shell, control, stdin, iopub, heartbeat: ZMQSocket
  private let wake: WakePipe
  private let lock = NSLock()
  private var outbox: [(Message, Channel)] = []
  private var stopping = false
  private let ioDone = DispatchSemaphore(value: 0)
  private let heartbeatDone = DispatchSemaphore(value: 0)
  /// Receives decoded requests (set before `start`).
  private var receiver: (@Sendable (Message, Channel) -> Void)?
  /// Called on the I/O thread when the process named by JPY_PARENT_PID is gone.
  var onParentGone: (@Sendable () -> Void)?
  /// Signatures of recent messages (I/O thread only): repeats are dropped.
  private var replayGuard = ReplayGuard()
  /// Reported for messages that are dropped.
  var log: @Sendable (String) -> Void = { KernelLog.write($0) }

  init(info: ConnectionInfo, codec: WireCodec, factory: MessageFactory) throws(TransportError) {
    self.info = info
    self.codec = codec
    self.factory = factory
    context = try ZMQContext()
    shell = try ZMQSocket(context: context, type: ZMQ_ROUTER, name: "shell")
    control = try ZMQSocket(context: context, type: ZMQ_ROUTER, name: "control")
    stdin = try ZMQSocket(context: context, type: ZMQ_ROUTER, name: "stdin")
    iopub = try ZMQSocket(context: context, type: ZMQ_XPUB, name: "iopub")
    heartbeat = try ZMQSocket(context: context, type: ZMQ_ROUTER, name: "heartbeat")
    guard let pipe = WakePipe() else { throw .eventFD(reason: String(cString: strerror(errno))) }
    wake = pipe
    do {
      try iopub.setInt(ZMQ_XPUB_VERBOSE, 1, label: "ZMQ_XPUB_VERBOSE")
      for (channel, socket) in sockets {
        try socket.setInt(ZMQ_LINGER, 1000, label: "ZMQ_LINGER")
        if let secret = info.curveSecretKey {
          try socket.makeCurveServer(secretKey: secret, publicKey: info.curvePublicKey)
        }
        endpoints[channel] = try socket.bind(info.endpoint(channel))
      }
    } catch {
      for (_, socket) in sockets { socket.close(lingerMs: 0) }
      context.terminate()
      pipe.close()
      throw error
    }
  }

  private var sockets: [(Channel, ZMQSocket)] {
    [(.shell, shell), (.control, control), (.stdin, stdin), (.iopub, iopub), (.heartbeat, heartbeat)]
  }

  // MARK: - Lifecycle

  /// Starts the heartbeat and I/O threads; requests go to `receiver`.
  func start(receiver: @escaping @Sendable (Message, Channel) -> Void) {
    self.receiver = receiver
    let hb = Thread { [self] in runHeartbeat() }
    hb.name = "jupyter-heartbeat"
    hb.start()
    let io = Thread { [self] in runIO() }
    io.name = "jupyter-io"
    io.start()
  }

  /// Asks the threads to stop; pending outgoing messages are still sent.
  func requestStop() {
    lock.lock()
    stopping = true
    lock.unlock()
    wake.notify()
  }

  /// Waits for the threads to close their sockets, then terminates the context.
  func waitUntilStopped() {
    ioDone.wait()
    heartbeatDone.wait()
    context.terminate()
    wake.close()
  }

  private var isStopping: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopping
  }

  // MARK: - Sending

  func send(_ message: Message, on channel: Channel) {
    lock.lock()
    outbox.append((message, channel))
    lock.unlock()
    wake.notify()
  }

  private func drainOutbox() {
    wake.drain()
    while true {
      lock.lock()
      let batch = outbox
      outbox.removeAll()
      lock.unlock()
      if batch.isEmpty { return }
      for (message, channel) in batch {
        let socket: ZMQSocket
        switch channel {
        case .shell: socket = shell
        case .control: socket = control
        case .stdin: socket = stdin
        case .iopub, .heartbeat: socket = iopub
        }
        if !socket.sendMultipart(codec.encode(message)) {
          log("could not send \(message.msgType) on \(channel.rawValue): \(context.zmq.errorText())")
        }
      }
    }
  }

  // MARK: - I/O thread

  private func runIO() {
    let parentPID = ProcessInfo.processInfo.environment["JPY_PARENT_PID"].flatMap { pid_t($0) }
    let polled: [(Channel, ZMQSocket)] = [(.shell, shell), (.control, control), (.stdin, stdin), (.iopub, iopub)]
    var items = polled.map { zmq_pollitem_t(socket: $0.1.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
    items.append(zmq_pollitem_t(socket: nil, fd: wake.readFD, events: Int16(ZMQ_POLLIN), revents: 0))
    if let fd = SignalWatcher.shared.fd {
      items.append(zmq_pollitem_t(socket: nil, fd: fd, events: Int16(ZMQ_POLLIN), revents: 0))
    }
    while !isStopping {
      let rc = context.zmq.poll(&items, Int32(items.count), 1000)
      if rc < 0 {
        if context.zmq.errnoValue() == EINTR { continue }
        log("zmq_poll failed: \(context.zmq.errorText())")
        break
      }
      if rc == 0 {
        if let parentPID, parentPID > 1, kill(parentPID, 0) != 0, errno == ESRCH {
          log("parent process \(parentPID) is gone; shutting down")
          onParentGone?()
        }
        continue
      }
      // Control first: an interrupt must not wait behind shell traffic.
      for index in [1, 0, 2] where items[index].revents & Int16(ZMQ_POLLIN) != 0 {
        let (channel, socket) = polled[index]
        while let frames = socket.receiveMultipart(dontWait: true) {
          handleIncoming(frames, on: channel)
        }
      }
      if items[3].revents & Int16(ZMQ_POLLIN) != 0 {
        while let frames = iopub.receiveMultipart(dontWait: true) { handleSubscription(frames) }
      }
      if items.count > 5, items[5].revents & Int16(ZMQ_POLLIN) != 0 {
        SignalWatcher.shared.drain()
        SignalWatcher.shared.handler?()
      }
      drainOutbox()
    }
    drainOutbox()
    for (_, socket) in polled { socket.close(lingerMs: 1000) }
    ioDone.signal()
  }

  private func handleIncoming(_ frames: [[UInt8]], on channel: Channel) {
    do {
      let message = try codec.decode(frames)
      // Only authenticated messages enter the history, so forged ones cannot push real ones out.
      if codec.signer.isEnabled, let signature = WireCodec.signature(in: frames), !replayGuard.admit(signature) {
        log("dropped a replayed \(message.msgType) on \(channel.rawValue) (its signature was seen before)")
        return
      }
      receiver?(message, channel)
    } catch {
      log("dropped a message on \(channel.rawValue): \(error.description)")
    }
  }

  /// XPUB subscription frames: `\u{1}topic` subscribes; answer with iopub_welcome (protocol 5.5).
  private func handleSubscription(_ frames: [[UInt8]]) {
    guard let first = frames.first, first.first == 1 else { return }
    let topic = Array(first.dropFirst())
    let subscription = String(decoding: topic, as: UTF8.self)
    var welcome = factory.broadcast("iopub_welcome", content: ["subscription": .string(subscription)], parent: nil)
    if !topic.isEmpty { welcome.identities = [topic] }
    if !iopub.sendMultipart(codec.encode(welcome)) {
      log("could not send iopub_welcome: \(context.zmq.errorText())")
    }
  }

  // MARK: - Heartbeat thread

  /// Echoes every heartbeat, on its own thread, whatever the others are doing.
  private func runHeartbeat() {
    var item = zmq_pollitem_t(socket: heartbeat.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
    while !isStopping {
      let rc = context.zmq.poll(&item, 1, 200)
      if rc < 0 {
        if context.zmq.errnoValue() == EINTR { continue }
        break
      }
      if rc == 0 { continue }
      while let frames = heartbeat.receiveMultipart(dontWait: true) {
        heartbeat.sendMultipart(frames)
      }
    }
    heartbeat.close(lingerMs: 0)
    heartbeatDone.signal()
  }
}
