import Foundation

/// Turns SIGINT into a readable pipe, so the I/O thread handles it like any other event.
///
/// The signal handler only writes one byte (async-signal-safe); the interrupt itself runs on
/// the I/O thread.
final class SignalWatcher: @unchecked Sendable {
  static let shared = SignalWatcher()

  private var pipe: WakePipe?
  /// The descriptor that becomes readable after SIGINT (nil until `install`).
  var fd: Int32? { pipe?.readFD }
  /// What to run on the I/O thread after SIGINT.
  private(set) var handler: (@Sendable () -> Void)?

  /// Installs the SIGINT handler.
  func install(handler: @escaping @Sendable () -> Void) {
    self.handler = handler
    guard let pipe = WakePipe() else { return }
    self.pipe = pipe
    signalWriteFD = pipe.writeFD
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      var one: UInt8 = 1
      _ = write(signalWriteFD, &one, 1)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, nil)
  }

  /// Clears the pipe after it fired.
  func drain() { pipe?.drain() }
}

/// Read by the signal handler, which cannot capture context.
nonisolated(unsafe) private var signalWriteFD: Int32 = -1
