import Foundation
import Synchronization

/// A fixed team of threads (the caller plus `size − 1` spinning workers) that runs one
/// job at a time, each participant taking a fixed part: results never depend on timing.
///
/// Jobs arrive every few hundred microseconds during training, so workers spin (yielding
/// to other processes after a while, sleeping when idle for long) instead of blocking.
final class WorkerPool: @unchecked Sendable {
  /// State shared with the worker threads (they never touch the pool object itself).
  private final class Shared: @unchecked Sendable {
    let generation = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let exited = DispatchSemaphore(value: 0)
    var job: ((Int) -> Void)?
  }

  /// Participants, the caller included.
  let size: Int
  private let shared = Shared()

  init(size: Int) {
    self.size = max(1, size)
    for index in 1..<self.size {
      let shared = self.shared
      let thread = Thread {
        DenormalMode.setFlushToZero()
        Self.work(shared, index)
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  deinit {
    shared.stopping.store(true, ordering: .releasing)
    shared.generation.add(1, ordering: .releasing)
    for _ in 1..<size { shared.exited.wait() }
  }

  /// Runs body(part) for part in 0..<size, part 0 on the caller; returns when all are done.
  func run(_ body: (Int) -> Void) {
    guard size > 1 else {
      body(0)
      return
    }
    withoutActuallyEscaping(body) { escapable in
      shared.job = escapable
      shared.finished.store(0, ordering: .relaxed)
      shared.generation.add(1, ordering: .releasing)
      escapable(0)
      var spins = 0
      while shared.finished.load(ordering: .acquiring) < size - 1 {
        spins += 1
        if spins > 4000 { sched_yield() }
      }
      shared.job = nil
    }
  }

  /// Splits 0..<n into `size` contiguous ranges (boundaries multiples of `align`) and runs
  /// body(range) on each in parallel; empty ranges are skipped.
  func parallelRanges(_ n: Int, align: Int = 16, _ body: (Range<Int>) -> Void) {
    guard size > 1, n >= 2 * align else {
      body(0..<n)
      return
    }
    let chunk = ((n + size - 1) / size + align - 1) / align * align
    run { part in
      let start = min(n, part * chunk)
      let end = min(n, start + chunk)
      if start < end { body(start..<end) }
    }
  }

  private static func work(_ shared: Shared, _ index: Int) {
    var seen = 0
    while true {
      var current = shared.generation.load(ordering: .acquiring)
      var spins = 0
      while current == seen {
        spins += 1
        if spins > 2_000_000 {
          usleep(200)  // idle (evaluation, between runs): stop burning the core
        } else if spins > 4000 {
          sched_yield()
        }
        current = shared.generation.load(ordering: .acquiring)
      }
      seen = current
      if shared.stopping.load(ordering: .acquiring) {
        shared.exited.signal()
        return
      }
      shared.job?(index)
      shared.finished.add(1, ordering: .releasing)
    }
  }
}
