/// The live status of a Slurm job in a cell: its tasks by state and one row per run.
public struct SlurmBoard: Sendable, Equatable {
  /// One run of the job.
  public struct Row: Sendable, Equatable {
    public var run: String
    /// The array task that trains it.
    public var task: Int
    /// `pending`, `running`, `done`, `failed` or `cancelled`, with Slurm's reason or state.
    public var state: String
    /// Epochs reached and planned (0 before it starts).
    public var epoch: Int, epochs: Int
    /// The running training loss and accuracy, and the last epoch's test accuracy.
    public var loss: Double?, accuracy: Double?, testAccuracy: Double?
  }

  /// The job id.
  public var job: String
  public var rows: [Row]
  /// Array tasks pending, running, done and failed.
  public var pending: Int, running: Int, done: Int, failed: Int
  /// Seconds since submission and the estimated seconds left (nil: no estimate yet).
  public var elapsed: Double
  public var eta: Double?

  /// One line: `slurm job 42: 3 tasks pending, 2 running, 1 done, 0 failed; runs 4/6 done; 12.3 s, ETA 20 s`.
  public var summary: String {
    let finished = rows.filter { $0.state == "done" }.count
    var s = "slurm job \(job): tasks \(pending) pending, \(running) running, \(done) done, \(failed) failed"
    s += "; runs \(finished)/\(rows.count) done; \(NumberFormatting.fixed(elapsed, 1)) s"
    if let eta { s += ", ETA \(Int(eta.rounded())) s" }
    return s
  }

  /// The summary and one line per run.
  public var text: String {
    var lines = [summary]
    let width = max(3, rows.map(\.run.count).max() ?? 3)
    for r in rows {
      var line = "  " + r.run.padding(toLength: width, withPad: " ", startingAt: 0)
      line += "  task \(r.task)  " + r.state
      if r.epoch > 0 { line += "  epoch \(r.epoch)/\(r.epochs)" }
      if let loss = r.loss { line += "  loss \(NumberFormatting.fixed(loss, 4))" }
      if let acc = r.accuracy { line += "  acc \(NumberFormatting.fixed(acc * 100, 1))%" }
      if let test = r.testAccuracy { line += "  test acc \(NumberFormatting.fixed(test * 100, 2))%" }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}
