import Foundation

/// Routes requests to handlers, publishes busy/idle around each, keeps the execution count and
/// history, and runs shell requests one at a time off the socket thread (cf. xeus's kernel core).
final class KernelCore: @unchecked Sendable {
  typealias Handler = @Sendable (KernelCore, Message, Channel) -> Void

  let interpreter: any KernelInterpreter
  let transport: any KernelTransport
  let factory: MessageFactory
  let history: any HistoryStore
  /// Called once a shutdown_request was answered; the argument is its `restart` flag.
  var onShutdown: (@Sendable (Bool) -> Void)?
  /// Where dropped or unhandled messages are reported (stderr by default).
  var log: @Sendable (String) -> Void = { line in KernelLog.write(line) }

  /// The number of the last cell stored in history (execute_input/execute_result/reply carry it).
  private(set) var executionCount = 0

  private let queueCondition = NSCondition()
  private var shellQueue: [Message] = []
  private var stopped = false
  private let flagLock = NSLock()
  private var interruptRequested = false
  /// The execute_request whose cell is running (for captured fd 1/2 output), and its silence.
  private var runningCell: (request: Message, silent: Bool)?
  /// Execute requests taken off the queue by a failed cell, answered `aborted` after its idle.
  private var toAbort: [Message] = []
  /// Client sessions that asked is_complete: consoles (FrontendKind); guarded by `flagLock`.
  private var consoleSessions: Set<String> = []
  /// Called before idle so captured fd 1/2 output is published first.
  var flushCapturedOutput: (@Sendable () -> Void)?

  private static let handlers: [String: Handler] = [
    "kernel_info_request": { $0.kernelInfo($1, $2) },
    "execute_request": { $0.execute($1, $2) },
    "complete_request": { $0.complete($1, $2) },
    "inspect_request": { $0.inspect($1, $2) },
    "is_complete_request": { $0.isComplete($1, $2) },
    "history_request": { $0.history($1, $2) },
    "comm_info_request": { $0.commInfo($1, $2) },
    "comm_open": { $0.commOpen($1, $2) },
    "shutdown_request": { $0.shutdown($1, $2) },
    "interrupt_request": { $0.interruptRequest($1, $2) },
  ]

  /// Requests answered at once on the receiving thread, whichever channel they came on.
  private static let immediate: Set<String> = ["interrupt_request", "shutdown_request"]
  /// The requests the control channel serves; any other request there is answered `aborted`
  /// without running (as ipykernel answers requests it will not run), so nothing on the control
  /// thread touches the interpreter while a shell cell runs.
  private static let controlTypes = immediate.union(["kernel_info_request"])

  init(
    interpreter: any KernelInterpreter, transport: any KernelTransport,
    factory: MessageFactory = MessageFactory(), history: any HistoryStore = InMemoryHistory()
  ) {
    self.interpreter = interpreter
    self.transport = transport
    self.factory = factory
    self.history = history
  }

  // MARK: - Entry points

  /// Accepts a decoded request from the transport thread. Control requests (and interrupt or
  /// shutdown on any channel) are handled now; shell requests queue for the execution thread.
  func receive(_ message: Message, on channel: Channel) {
    switch channel {
    case .shell where !KernelCore.immediate.contains(message.msgType):
      queueCondition.lock()
      shellQueue.append(message)
      queueCondition.signal()
      queueCondition.unlock()
    case .control where !KernelCore.controlTypes.contains(message.msgType):
      refuseOnControl(message)
    case .shell, .control:
      dispatch(message, channel)
    case .stdin, .iopub, .heartbeat:
      break  // input_reply without an input_request: nothing to do.
    }
  }

  /// The execution thread's loop: handles queued shell requests until `stop()`.
  func runShellLoop() {
    while let message = nextShellMessage(wait: true) {
      dispatch(message, .shell)
    }
  }

  /// Handles every queued shell request on the calling thread (tests, no thread needed).
  func processPendingShell() {
    while let message = nextShellMessage(wait: false) {
      dispatch(message, .shell)
    }
  }

  /// Ends `runShellLoop` after the current request.
  func stop() {
    queueCondition.lock()
    stopped = true
    queueCondition.broadcast()
    queueCondition.unlock()
  }

  /// Interrupts the running cell (SIGINT or interrupt_request).
  func interrupt() {
    flagLock.lock()
    interruptRequested = true
    flagLock.unlock()
    interpreter.interrupt()
  }

  /// Publishes text captured from fd 1/2 as a stream of the running cell; false if none runs.
  func publishCaptured(_ stream: KernelOutput.Stream, _ text: String) -> Bool {
    flagLock.lock()
    let cell = runningCell
    flagLock.unlock()
    guard let cell else { return false }
    if !cell.silent {
      publish("stream", ["name": .string(stream.rawValue), "text": .string(text)], parent: cell.request)
    }
    return true
  }

  var isInterrupted: Bool {
    flagLock.lock()
    defer { flagLock.unlock() }
    return interruptRequested
  }

  private func nextShellMessage(wait: Bool) -> Message? {
    queueCondition.lock()
    defer { queueCondition.unlock() }
    while shellQueue.isEmpty && !stopped {
      if !wait { return nil }
      queueCondition.wait()
    }
    if stopped || shellQueue.isEmpty { return nil }
    return shellQueue.removeFirst()
  }

  // MARK: - Dispatch

  private func dispatch(_ message: Message, _ channel: Channel) {
    publishStatus("busy", parent: message)
    if let handler = KernelCore.handlers[message.msgType] {
      handler(self, message, channel)
    } else {
      log("ignoring unknown message type '\(message.msgType)' on \(channel.rawValue)")
    }
    publishStatus("idle", parent: message)
    if channel == .shell && !toAbort.isEmpty {
      let aborted = toAbort
      toAbort.removeAll()
      for request in aborted {
        publishStatus("busy", parent: request)
        reply(request, .shell, ["status": "aborted", "execution_count": .int(executionCount)])
        publishStatus("idle", parent: request)
      }
    }
  }

  /// Answers a request that does not belong on the control channel with status `aborted`.
  private func refuseOnControl(_ message: Message) {
    let allowed = KernelCore.controlTypes.sorted().joined(separator: ", ")
    guard message.msgType.hasSuffix("_request") else {
      log("ignoring '\(message.msgType)' on control (it serves \(allowed))")
      return
    }
    log("not running '\(message.msgType)' sent on control (it serves \(allowed)); answered aborted")
    publishStatus("busy", parent: message)
    reply(message, .control, ["status": "aborted"])
    publishStatus("idle", parent: message)
  }

  private func publishStatus(_ state: String, parent: Message) {
    publish("status", ["execution_state": .string(state)], parent: parent)
  }

  private func publish(_ type: String, _ content: JSON, parent: Message?, metadata: JSON = [:]) {
    transport.send(factory.broadcast(type, content: content, parent: parent, metadata: metadata), on: .iopub)
  }

  private func reply(_ request: Message, _ channel: Channel, _ content: JSON, metadata: JSON = [:]) {
    var body = content.objectValue ?? [:]
    if body["status"] == nil { body["status"] = "ok" }
    let type = MessageFactory.replyType(for: request.msgType)
    transport.send(factory.reply(to: request, type: type, content: .object(body), metadata: metadata), on: channel)
  }

  /// execute_reply's metadata as ipykernel writes it: when the cell started (JupyterLab's
  /// recordTiming and execute-time extensions read it), which engine ran it, and how it ended.
  private func executeMetadata(started: String, status: String) -> JSON {
    [
      "started": .string(started), "dependencies_met": true, "engine": .string(factory.session),
      "status": .string(status),
    ]
  }

  // MARK: - Handlers

  private func kernelInfo(_ request: Message, _ channel: Channel) {
    reply(request, channel, kernelInfoContent)
  }

  /// The content of kernel_info_reply.
  var kernelInfoContent: JSON {
    [
      "status": "ok",
      "protocol_version": .string(MessageFactory.protocolVersion),
      "implementation": "nndsl-kernel",
      "implementation_version": .string(interpreter.implementationVersion),
      "language_info": interpreter.languageInfo.json,
      "banner": .string(interpreter.banner),
      "help_links": .array(interpreter.helpLinks.map { ["text": .string($0.text), "url": .string($0.url)] }),
      "supported_features": [],
      "debugger": false,
    ]
  }

  private func execute(_ request: Message, _ channel: Channel) {
    let started = ISODate.now()
    let content = request.content
    let code = content["code"]?.stringValue ?? ""
    let silent = content["silent"]?.boolValue ?? false
    let storeHistory = silent ? false : (content["store_history"]?.boolValue ?? true)
    let stopOnError = content["stop_on_error"]?.boolValue ?? true
    if storeHistory { executionCount += 1 }
    let count = executionCount

    flagLock.lock()
    interruptRequested = false
    runningCell = (request, silent)
    flagLock.unlock()

    if !silent {
      publish("execute_input", ["code": .string(code), "execution_count": .int(count)], parent: request)
    }
    var resultText: String?
    flagLock.lock()
    let frontend: FrontendKind =
      consoleSessions.contains(request.header["session"]?.stringValue ?? "") ? .console : .notebook
    flagLock.unlock()
    let result = interpreter.execute(
      code: code, executionCount: count, silent: silent, frontend: frontend,
      publish: { [self] output in
        if case .executeResult(let bundle) = output { resultText = bundle.data["text/plain"]?.stringValue }
        if !silent { publishOutput(output, count: count, parent: request) }
      },
      shouldStop: { [self] in isInterrupted })
    flushCapturedOutput?()
    flagLock.lock()
    runningCell = nil
    flagLock.unlock()

    if storeHistory {
      history.record(
        HistoryEntry(session: history.session, line: count, input: code, output: resultText))
    }

    switch result {
    case .ok(let payload):
      var expressions: [String: JSON] = [:]
      for (name, expression) in content["user_expressions"]?.objectValue ?? [:] {
        guard let text = expression.stringValue else {
          expressions[name] =
            ExecuteExpressionResult.error(
              KernelError(ename: "TypeError", evalue: "user expression is not a string", traceback: [])
            ).json
          continue
        }
        expressions[name] = interpreter.evaluate(expression: text).json
      }
      reply(
        request, channel,
        [
          "status": "ok", "execution_count": .int(count),
          "payload": .array(payload.map(\.json)), "user_expressions": .object(expressions),
        ], metadata: executeMetadata(started: started, status: "ok"))
    case .error(let error):
      let fields: [String: JSON] = [
        "ename": .string(error.ename), "evalue": .string(error.evalue),
        "traceback": .array(error.traceback.map { .string($0) }),
      ]
      if !silent { publish("error", .object(fields), parent: request) }
      // Decide what to abort before the reply goes out: a request the client sends after seeing
      // the reply must run normally.
      if stopOnError { toAbort = takeQueuedExecutions() }
      var body = fields
      body["status"] = "error"
      body["execution_count"] = .int(count)
      body["user_expressions"] = [:]
      body["payload"] = []
      reply(request, channel, .object(body), metadata: executeMetadata(started: started, status: "error"))
    }
  }

  private func publishOutput(_ output: KernelOutput, count: Int, parent: Message) {
    switch output {
    case .stream(let name, let text):
      publish("stream", ["name": .string(name.rawValue), "text": .string(text)], parent: parent)
    case .displayData(let bundle, let id):
      var content: [String: JSON] = ["data": .object(bundle.data), "metadata": .object(bundle.metadata)]
      content["transient"] = id.map { ["display_id": .string($0)] } ?? [:]
      publish("display_data", .object(content), parent: parent)
    case .updateDisplayData(let bundle, let id):
      publish(
        "update_display_data",
        [
          "data": .object(bundle.data), "metadata": .object(bundle.metadata),
          "transient": ["display_id": .string(id)],
        ], parent: parent)
    case .executeResult(let bundle):
      publish(
        "execute_result",
        [
          "data": .object(bundle.data), "metadata": .object(bundle.metadata), "execution_count": .int(count),
        ], parent: parent)
    case .clearOutput(let wait):
      publish("clear_output", ["wait": .bool(wait)], parent: parent)
    }
  }

  /// Removes every queued execute_request (after a failed cell with stop_on_error).
  private func takeQueuedExecutions() -> [Message] {
    queueCondition.lock()
    defer { queueCondition.unlock() }
    let taken = shellQueue.filter { $0.msgType == "execute_request" }
    shellQueue.removeAll { $0.msgType == "execute_request" }
    return taken
  }

  private func complete(_ request: Message, _ channel: Channel) {
    let code = request.content["code"]?.stringValue ?? ""
    let length = code.unicodeScalars.count
    let cursor = min(max(0, request.content["cursor_pos"]?.intValue ?? length), length)
    let completion = interpreter.complete(code: code, cursor: cursor)
    reply(
      request, channel,
      [
        "matches": .array(completion.matches.map { .string($0) }),
        "cursor_start": .int(completion.start), "cursor_end": .int(completion.end), "metadata": [:],
      ])
  }

  private func inspect(_ request: Message, _ channel: Channel) {
    let code = request.content["code"]?.stringValue ?? ""
    let length = code.unicodeScalars.count
    let cursor = min(max(0, request.content["cursor_pos"]?.intValue ?? length), length)
    let detail = request.content["detail_level"]?.intValue ?? 0
    let bundle = interpreter.inspect(code: code, cursor: cursor, detail: detail)
    reply(
      request, channel,
      [
        "found": .bool(bundle != nil), "data": .object(bundle?.data ?? [:]),
        "metadata": .object(bundle?.metadata ?? [:]),
      ])
  }

  private func isComplete(_ request: Message, _ channel: Channel) {
    if let session = request.header["session"]?.stringValue {
      flagLock.lock()
      consoleSessions.insert(session)
      flagLock.unlock()
    }
    let result = interpreter.isComplete(code: request.content["code"]?.stringValue ?? "")
    var body: [String: JSON] = ["status": .string(result.status.rawValue)]
    if result.status == .incomplete { body["indent"] = .string(result.indent) }
    reply(request, channel, .object(body))
  }

  private func history(_ request: Message, _ channel: Channel) {
    let c = request.content
    let withOutput = c["output"]?.boolValue ?? false
    let entries: [HistoryEntry]
    switch c["hist_access_type"]?.stringValue ?? "tail" {
    case "range":
      entries = history.range(
        session: c["session"]?.intValue ?? 0, start: c["start"]?.intValue ?? 0, stop: c["stop"]?.intValue)
    case "search":
      entries = history.search(
        pattern: c["pattern"]?.stringValue ?? "*", n: c["n"]?.intValue, unique: c["unique"]?.boolValue ?? false)
    default:
      entries = history.tail(c["n"]?.intValue ?? 10)
    }
    reply(request, channel, ["history": .array(entries.map { $0.json(output: withOutput) })])
  }

  private func commInfo(_ request: Message, _ channel: Channel) {
    reply(request, channel, ["comms": [:]])
  }

  /// No comm targets exist: close the comm at once, as the spec asks.
  private func commOpen(_ request: Message, _ channel: Channel) {
    let id = request.content["comm_id"] ?? .string("")
    publish("comm_close", ["comm_id": id, "data": [:]], parent: request)
  }

  private func shutdown(_ request: Message, _ channel: Channel) {
    let restart = request.content["restart"]?.boolValue ?? false
    // Before the interrupt, so the running cell stops as for a shutdown, not a user's interrupt.
    interpreter.prepareForShutdown()
    interrupt()
    reply(request, channel, ["restart": .bool(restart)])
    publish("shutdown_reply", ["status": "ok", "restart": .bool(restart)], parent: request)
    onShutdown?(restart)
  }

  private func interruptRequest(_ request: Message, _ channel: Channel) {
    interrupt()
    reply(request, channel, [:])
  }
}
