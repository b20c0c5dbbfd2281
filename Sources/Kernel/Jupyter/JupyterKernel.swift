import DSL
import Foundation

/// Runs a Jupyter kernel for an interpreter: the entry point behind `kernel -f <connection file>`.
enum JupyterKernel {
  /// Serves `interpreter` on the sockets named in `connectionFile` until a shutdown_request
  /// (or the death of JPY_PARENT_PID). Returns the process exit code: 0 after a shutdown,
  /// 1 when the sockets cannot be bound, 2 when the connection file is unusable.
  static func run(connectionFile: String, interpreter: any KernelInterpreter) -> Int32 {
    let info: ConnectionInfo
    let path: String
    do {
      path = try UserPaths.resolve(connectionFile)
      info = try ConnectionInfo.load(path: path)
    } catch let error as ConnectionFileError {
      KernelLog.write("error: \(error.description)")
      return 2
    } catch {
      KernelLog.write("error: connection file: \(error)")
      return 2
    }
    return run(info: info, interpreter: interpreter, connectionFile: path)
  }

  /// Serves `interpreter` on the sockets described by `info` (see `run(connectionFile:...)`).
  /// Ports given as 0 are chosen by the system, logged, and written back to `connectionFile`.
  static func run(info: ConnectionInfo, interpreter: any KernelInterpreter, connectionFile: String? = nil) -> Int32 {
    let signer: Signer
    do {
      signer = try Signer(key: Array(info.key.utf8), scheme: info.signatureScheme)
    } catch {
      KernelLog.write("error: \(error.description)")
      return 2
    }
    if !signer.isEnabled {
      KernelLog.write("warning: the connection file has an empty key; messages are not authenticated")
    }
    let factory = MessageFactory()
    let transport: ZMQTransport
    do {
      transport = try ZMQTransport(info: info, codec: WireCodec(signer: signer), factory: factory)
    } catch {
      KernelLog.write("error: \(error.description)")
      return 1
    }
    let bound = BoundPorts(endpoints: transport.endpoints)
    let asked = BoundPorts.fields.map { info.port($0.0) }
    if asked.contains(0) {
      var line = "bound \(info.transport.rawValue) ports on \(info.ip): \(bound.summary)"
      if let connectionFile, info.transport == .tcp {
        do {
          if try bound.writeBack(to: connectionFile) { line += "; written to \(connectionFile)" }
        } catch {
          line += "; could not write them to \(connectionFile): \(error)"
        }
      }
      KernelLog.write(line)
    }
    let core = KernelCore(interpreter: interpreter, transport: transport, factory: factory)
    core.onShutdown = { _ in transport.requestStop() }
    transport.onParentGone = { transport.requestStop() }
    SignalWatcher.shared.install { core.interrupt() }
    if let capture = OutputCapture(sink: { stream, text in core.publishCaptured(stream, text) }) {
      core.flushCapturedOutput = { capture.flush() }
    }

    let executor = Thread { core.runShellLoop() }
    executor.name = "jupyter-execute"
    executor.stackSize = 16 << 20
    executor.start()
    transport.start { message, channel in core.receive(message, on: channel) }
    transport.waitUntilStopped()
    core.stop()
    return 0
  }
}
