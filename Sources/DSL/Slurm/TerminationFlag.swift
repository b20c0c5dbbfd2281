import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Set by the SIGTERM handler (an atomic store: safe in a signal handler).
private let terminateReceived = Atomic<Bool>(false)

/// SIGTERM as a flag: Slurm sends it to a task on `scancel` and at its time limit (SIGKILL follows
/// after KillWait), so the task stops its run at the next batch and writes the partial result.
public final class TerminationFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var raised = false
  private var catching = false

  public init() {}

  /// Whether SIGTERM came while it was caught (or `raise()` was called).
  public var isRaised: Bool {
    lock.lock()
    defer { lock.unlock() }
    return raised || (catching && terminateReceived.load(ordering: .relaxed))
  }

  /// Raises the flag.
  func raise() {
    lock.lock()
    raised = true
    lock.unlock()
  }

  /// From now on SIGTERM raises the flag instead of ending the process.
  public func catchTerminate() {
    lock.lock()
    defer { lock.unlock() }
    guard !catching else { return }
    terminateReceived.store(false, ordering: .relaxed)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in terminateReceived.store(true, ordering: .relaxed) }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGTERM, &action, nil)
    catching = true
  }

  /// SIGTERM ends the process again (a SIGTERM caught so far still counts).
  func release() {
    lock.lock()
    defer { lock.unlock() }
    guard catching else { return }
    signal(SIGTERM, SIG_DFL)
    raised = raised || terminateReceived.load(ordering: .relaxed)
    catching = false
  }

  /// Ends the process by SIGTERM, as it would have ended had the signal not been caught (so
  /// Slurm records the task as ended by signal 15).
  public func endBySignal() -> Never {
    fflush(nil)
    release()
    kill(getpid(), SIGTERM)
    exit(128 + SIGTERM)
  }
}
