import Foundation

/// A non-blocking pipe used to wake a `zmq_poll` loop: write a byte to wake, drain to reset.
/// `notify` is async-signal-safe, so a signal handler may call it.
struct WakePipe: Sendable {
  let readFD: Int32
  let writeFD: Int32

  init?() {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
    readFD = fds[0]
    writeFD = fds[1]
  }

  func notify() {
    var one: UInt8 = 1
    _ = write(writeFD, &one, 1)
  }

  func drain() {
    var buffer = [UInt8](repeating: 0, count: 64)
    while read(readFD, &buffer, buffer.count) > 0 {}
  }

  func close() {
    Glibc.close(readFD)
    Glibc.close(writeFD)
  }
}
