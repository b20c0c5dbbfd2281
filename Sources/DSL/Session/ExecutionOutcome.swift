/// How a cell ended: every statement ran, or one failed and the rest of the cell did not run.
public enum ExecutionOutcome: Sendable, Equatable {
  /// Every statement of the cell ran.
  case ok
  /// The cell stopped: diagnostics before anything ran, a runtime error, or an interrupt.
  case failed(CellError)

  /// The error, when the cell failed.
  public var error: CellError? {
    if case .failed(let e) = self { return e }
    return nil
  }
}

/// A failed cell in the shape Jupyter wants: a name, a one-line value and a traceback of lines.
public struct CellError: Error, Sendable, Equatable {
  /// The kind of failure: `SyntaxError`, `RuntimeError`, `Interrupted`.
  public var ename: String
  /// A one-line summary.
  public var evalue: String
  /// Rendered diagnostics (`FILE:LINE:COL: error: …`, the source line, the caret), one entry per block.
  public var traceback: [String]

  /// Creates a cell error.
  public init(ename: String, evalue: String, traceback: [String]) {
    self.ename = ename
    self.evalue = evalue
    self.traceback = traceback
  }
}

/// Live progress of a training run, throttled by the session to a few updates per second.
public struct ProgressUpdate: Sendable, Equatable {
  /// The run being trained.
  public var run: String
  /// 1-based epoch and the number of epochs.
  public var epoch: Int, epochs: Int
  /// 1-based step within the epoch and the steps per epoch.
  public var step: Int, stepsPerEpoch: Int
  /// Running mean of the training loss and accuracy over this epoch so far.
  public var loss: Double, accuracy: Double
  /// Seconds since the run started and the estimated seconds left.
  public var elapsed: Double, eta: Double
  /// True for the last update of an epoch.
  public var endOfEpoch: Bool

  /// One line such as `baseline  epoch 3/10  step 1200/1875  loss 0.3121  acc 88.6%  12.1 s  ETA 28 s`.
  public var text: String {
    let pct = (accuracy * 100).formatted(digits: 1)
    return "\(run)  epoch \(epoch)/\(epochs)  step \(step)/\(stepsPerEpoch)  loss \(loss.formatted(digits: 4))"
      + "  acc \(pct)%  \(elapsed.formatted(digits: 1)) s  ETA \(Int(eta.rounded())) s"
  }
}

extension Double {
  /// Fixed-point text with `digits` decimals (locale-independent).
  func formatted(digits: Int) -> String {
    guard isFinite else { return isNaN ? "nan" : (self > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (self * scale).rounded() / scale
    var s = String(r)
    if s.contains("e") { return s }
    if digits == 0 {
      if let dot = s.firstIndex(of: ".") { s = String(s[..<dot]) }
      return s
    }
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    let frac = parts.count > 1 ? String(parts[1]) : ""
    return String(parts[0]) + "." + frac.padding(toLength: digits, withPad: "0", startingAt: 0)
  }
}
