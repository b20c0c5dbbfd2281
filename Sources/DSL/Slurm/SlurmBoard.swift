/// The live status of a Slurm job in a cell: its tasks by state and one row per run.
public struct SlurmBoard: Sendable, Equatable {
  /// One run of the job.
  struct Row: Sendable, Equatable {
    var run: String
    /// The array task that trains it.
    var task: Int
    /// Where it stands.
    var state: SlurmRunState
    /// Epochs reached and planned (0 before it starts).
    var epoch: Int, epochs: Int
    /// The running training loss and accuracy, and the last epoch's test accuracy.
    var loss: Double?, accuracy: Double?, testAccuracy: Double?
  }

  /// The job id.
  var job: String
  var rows: [Row]
  /// Array tasks pending, running, done and failed.
  var pending: Int, running: Int, done: Int, failed: Int
  /// Seconds since submission and the estimated seconds left (nil: no estimate yet).
  var elapsed: Double
  var eta: Double?

  /// One line: `slurm job 42: 3 tasks pending, 2 running, 1 done, 0 failed; runs 4/6 done; 12.3 s, ETA 20 s`.
  public var summary: String {
    let finished = rows.filter { $0.state == .done }.count
    var s = "slurm job \(job): tasks \(pending) pending, \(running) running, \(done) done, \(failed) failed"
    s += "; runs \(finished)/\(rows.count) done; \(NumberFormatting.fixed(elapsed, 1)) s"
    if let eta { s += ", ETA \(Int(eta.rounded())) s" }
    return s
  }

  /// The summary and one line per run.
  var text: String {
    var lines = [summary]
    let width = max(3, rows.map(\.run.count).max() ?? 3)
    for r in rows {
      var line = "  " + r.run.padding(toLength: width, withPad: " ", startingAt: 0)
      line += "  task \(r.task)  " + r.state.description
      if r.epoch > 0 { line += "  epoch \(r.epoch)/\(r.epochs)" }
      if let loss = r.loss { line += "  loss \(NumberFormatting.fixed(loss, 4))" }
      if let acc = r.accuracy { line += "  acc \(NumberFormatting.fixed(acc * 100, 1))%" }
      if let test = r.testAccuracy { line += "  test acc \(NumberFormatting.fixed(test * 100, 2))%" }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}

/// Where one run of a Slurm job stands on the live status.
enum SlurmRunState: Sendable, Equatable, CustomStringConvertible {
  /// Its task waits to start (Slurm's reason, when it gives one).
  case pending(reason: String?)
  /// Its task runs but the run has written no progress yet.
  case starting
  /// It trains.
  case running
  /// Its result landed; it comes into the session after the earlier runs of the job.
  case finishing
  /// It is in the session.
  case done
  /// It is in the session, cut short by its task's end (scancel, time limit).
  case interrupted
  /// It failed (in its task, or its result could not come in).
  case failed
  /// It was stopped before it finished.
  case cancelled
  /// Its task ended in this state before the run came back.
  case ended(SlurmTaskState)

  /// `pending (Resources)`, `running`, `timeout`, …
  var description: String {
    switch self {
    case .pending(let reason): return "pending" + (reason.map { " (\($0))" } ?? "")
    case .starting: return "starting"
    case .running: return "running"
    case .finishing: return "finishing"
    case .done: return "done"
    case .interrupted: return "interrupted"
    case .failed: return "failed"
    case .cancelled: return "cancelled"
    case .ended(let task): return task.text.lowercased()
    }
  }
}
