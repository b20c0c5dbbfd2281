import Synchronization

/// Raised once the host is about to end the process (a Jupyter shutdown_request, restart
/// included), before it interrupts the running cell: work that outlives the process — a Slurm
/// job in flight — is then left running instead of being cancelled. Safe from any thread.
final class ShutdownFlag: Sendable {
  private let raised = Atomic<Bool>(false)

  /// Whether the host said the process is about to end.
  var isRaised: Bool { raised.load(ordering: .acquiring) }

  /// Raises the flag; it stays raised for the rest of the process.
  func raise() { raised.store(true, ordering: .releasing) }
}

extension Session {
  /// Tells the session that the process is about to end (the host calls it from its control
  /// thread, while a cell may run on another, before it interrupts that cell). The interrupt that
  /// follows still stops local training (the run is kept as interrupted), but a Slurm job being
  /// followed keeps running on the cluster, stays in flight in the run store, and `attach` in a
  /// later session follows it or collects its results.
  public func prepareForShutdown() {
    shutdown.raise()
  }

  /// Whether `prepareForShutdown()` was called.
  public var isShuttingDown: Bool { shutdown.isRaised }
}
