import Foundation

/// Redirects file descriptors 1 and 2 into pipes so that anything written there while a cell
/// runs (C libraries, `print`) reaches the notebook as a `stream`; outside a cell it goes to the
/// original stderr. `flush()` publishes everything written so far, so the core calls it before
/// sending idle.
final class OutputCapture: @unchecked Sendable {
  /// Receives captured text; returns false when no cell is running (then it is logged instead).
  typealias Sink = @Sendable (KernelOutput.Stream, String) -> Bool

  private struct Pipe {
    let stream: KernelOutput.Stream
    let readFD: Int32
  }

  private let lock = NSLock()
  private var pipes: [Pipe] = []
  private let sink: Sink
  private var running = true
  /// The original stderr, kept for the kernel's own log.
  let originalStderr: Int32

  /// Starts capturing; nil (nothing redirected) if the pipes cannot be made.
  init?(sink: @escaping Sink) {
    self.sink = sink
    let saved = dup(2)
    guard saved >= 0 else { return nil }
    originalStderr = saved
    fflush(nil)
    for (stream, target) in [(KernelOutput.Stream.stdout, Int32(1)), (.stderr, Int32(2))] {
      var fds: [Int32] = [-1, -1]
      guard pipe(&fds) == 0 else { continue }
      _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
      _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
      guard dup2(fds[1], target) >= 0 else {
        Glibc.close(fds[0])
        Glibc.close(fds[1])
        continue
      }
      Glibc.close(fds[1])
      pipes.append(Pipe(stream: stream, readFD: fds[0]))
    }
    KernelLog.fd = saved
    let reader = Thread { [self] in readLoop() }
    reader.name = "jupyter-capture"
    reader.start()
  }

  /// Publishes everything written to fd 1 and 2 up to now.
  func flush() {
    fflush(nil)
    lock.lock()
    defer { lock.unlock() }
    for p in pipes { drain(p) }
  }

  private func readLoop() {
    var items = pipes.map { pollfd(fd: $0.readFD, events: Int16(POLLIN), revents: 0) }
    while true {
      let rc = poll(&items, nfds_t(items.count), 200)
      if rc < 0 && errno != EINTR { return }
      guard rc > 0 else { continue }
      lock.lock()
      for (i, p) in pipes.enumerated() where items[i].revents != 0 { drain(p) }
      lock.unlock()
    }
  }

  /// Reads what is available (caller holds the lock) and hands it to the sink.
  private func drain(_ p: Pipe) {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = read(p.readFD, &buffer, buffer.count)
      if n <= 0 { break }
      bytes.append(contentsOf: buffer[0..<n])
    }
    guard !bytes.isEmpty else { return }
    let text = String(decoding: bytes, as: UTF8.self)
    if !sink(p.stream, text) {
      bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        _ = write(originalStderr, base, raw.count)
      }
    }
  }
}
