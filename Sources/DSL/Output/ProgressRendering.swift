import Foundation

extension Renderer {
  /// A live progress display of a training run: the one-line text, an HTML line with a
  /// `<progress>` bar over all the run's steps, and the figures as a JSON object.
  public static func mimeBundle(_ p: ProgressUpdate) -> RenderedBundle {
    let total = max(1, p.epochs * p.stepsPerEpoch)
    let done = min(total, max(0, (p.epoch - 1) * p.stepsPerEpoch + p.step))
    let html = """
      <div class="nndsl-progress"><b>\(progressEscape(p.run))</b> epoch \(p.epoch)/\(p.epochs) \
      <progress max="\(total)" value="\(done)" style="width:12em;vertical-align:middle"></progress> \
      step \(p.step)/\(p.stepsPerEpoch) · loss \(progressFixed(p.loss, 4)) · acc \(progressFixed(p.accuracy * 100, 1))% \
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

  private static func progressEscape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
