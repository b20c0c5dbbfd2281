import Foundation

extension Renderer {
  /// A live progress display of a training run: the one-line text, an HTML line with a
  /// `<progress>` bar over all the run's steps, and the figures as a JSON object (a Slurm job's
  /// status board when the update carries one).
  public static func mimeBundle(_ p: ProgressUpdate) -> RenderedBundle {
    if let board = p.board { return mimeBundle(board) }
    let total = max(1, p.epochs * p.stepsPerEpoch)
    let done = min(total, max(0, (p.epoch - 1) * p.stepsPerEpoch + p.step))
    let html = """
      <div class="nndsl-progress"><b>\(TextEscaping.xml(p.run))</b> epoch \(p.epoch)/\(p.epochs) \
      <progress max="\(total)" value="\(done)" style="width:12em;vertical-align:middle"></progress> \
      step \(p.step)/\(p.stepsPerEpoch) · loss \(progressFixed(p.loss, 4)) · \
      acc \(progressFixed(p.accuracy * 100, 1))% \
      · \(progressFixed(p.elapsed, 1)) s · ETA \(Int(p.eta.rounded())) s</div>
      """
    let json: JSONValue = .keyed([
      "run": .string(p.run), "epoch": .integer(p.epoch), "epochs": .integer(p.epochs),
      "step": .integer(p.step), "steps_per_epoch": .integer(p.stepsPerEpoch),
      "loss": progressNumber(p.loss), "accuracy": progressNumber(p.accuracy),
      "elapsed_s": progressNumber(p.elapsed), "eta_s": progressNumber(p.eta),
    ])
    return RenderedBundle(data: ["text/plain": p.text, "text/html": html], machine: json)
  }

  /// A Slurm job's live status: the task counts, then one table row per run.
  static func mimeBundle(_ b: SlurmBoard) -> RenderedBundle {
    var rows = ""
    for r in b.rows {
      let epoch = r.epoch > 0 ? "\(r.epoch)/\(r.epochs)" : "–"
      rows +=
        "<tr><td>\(TextEscaping.xml(r.run))</td><td>\(r.task)</td><td>\(TextEscaping.xml(r.state.description))</td>"
        + "<td>\(epoch)</td><td>\(r.loss.map { progressFixed($0, 4) } ?? "")</td>"
        + "<td>\(r.accuracy.map { progressFixed($0 * 100, 1) + "%" } ?? "")</td>"
        + "<td>\(r.testAccuracy.map { progressFixed($0 * 100, 2) + "%" } ?? "")</td></tr>"
    }
    let html =
      "<div class=\"nndsl-progress nndsl-slurm\"><b>\(TextEscaping.xml(b.summary))</b>"
      + "<table><thead><tr><th>run</th><th>task</th><th>state</th><th>epoch</th><th>loss</th><th>acc</th>"
      + "<th>test acc</th></tr></thead><tbody>\(rows)</tbody></table></div>"
    let runs: [JSONValue] = b.rows.map { r in
      .keyed([
        "run": .string(r.run), "task": .integer(r.task), "state": .string(r.state.description),
        "epoch": .integer(r.epoch),
        "epochs": .integer(r.epochs), "loss": r.loss.map(progressNumber) ?? .null,
        "accuracy": r.accuracy.map(progressNumber) ?? .null,
        "test_accuracy": r.testAccuracy.map(progressNumber) ?? .null,
      ])
    }
    let json: JSONValue = .keyed([
      "slurm_job": .string(b.job), "pending": .integer(b.pending), "running": .integer(b.running),
      "done": .integer(b.done), "failed": .integer(b.failed), "elapsed_s": progressNumber(b.elapsed),
      "eta_s": b.eta.map(progressNumber) ?? .null, "runs": .array(runs),
    ])
    return RenderedBundle(data: ["text/plain": b.text, "text/html": html], machine: json)
  }

  /// A figure of the progress line: fixed digits, `nan`/`inf` for non-finite values.
  private static func progressFixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : "inf" }
    return String(format: "%.\(digits)f", x)
  }

  /// A JSON number that reads back as the same Double, always with a '.' or an exponent so that
  /// a reader keeps it a floating-point value (`1.0`, `0.25`, `1e-05`); `null` for NaN and ±Inf.
  private static func progressNumber(_ x: Double) -> JSONValue {
    x.isFinite ? .number("\(x)") : .null
  }
}
