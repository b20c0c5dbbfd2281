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

/// Why a cell failed; hosts switch on it (a Jupyter kernel names an interrupt its own way).
public enum CellErrorKind: Sendable, Equatable, CaseIterable {
  /// The checker found errors: nothing of the cell ran.
  case syntax
  /// A statement failed while it ran; the statements before it had run.
  case runtime
  /// Training was interrupted; the partial run is kept.
  case interrupted

  /// The error's name: `SyntaxError`, `RuntimeError`, `Interrupted`.
  public var ename: String {
    switch self {
    case .syntax: return "SyntaxError"
    case .runtime: return "RuntimeError"
    case .interrupted: return "Interrupted"
    }
  }
}

/// A failed cell in the shape Jupyter wants: a kind, a one-line value and a traceback of lines.
public struct CellError: Error, Sendable, Equatable {
  /// The kind of failure.
  public var kind: CellErrorKind
  /// A one-line summary.
  public var evalue: String
  /// Rendered diagnostics (`FILE:LINE:COL: error: …`, the source line, the caret), one entry per block.
  public var traceback: [String]

  /// The kind's name: `SyntaxError`, `RuntimeError`, `Interrupted`.
  public var ename: String { kind.ename }

  /// Creates a cell error.
  public init(kind: CellErrorKind, evalue: String, traceback: [String]) {
    self.kind = kind
    self.evalue = evalue
    self.traceback = traceback
  }
}

/// Live progress of a training run. The session is its one rate limit (`ProgressThrottle`): a
/// host gets at most one update per `ProgressThrottle.interval` plus the end of every epoch.
public struct ProgressUpdate: Sendable, Equatable {
  /// The run being trained.
  public var run: String
  /// 1-based epoch and the number of epochs.
  public var epoch: Int, epochs: Int
  /// 1-based step within the epoch and the steps per epoch.
  var step: Int, stepsPerEpoch: Int
  /// Running mean of the training loss and accuracy over this epoch so far.
  var loss: Double, accuracy: Double
  /// Seconds since the run started and the estimated seconds left.
  var elapsed: Double, eta: Double
  /// True for the last update of an epoch.
  public var endOfEpoch: Bool
  /// True when a live display shows this update now; false for an epoch's end that comes sooner
  /// than the interval after the last one shown (a display holds it back, then shows its last).
  public var refreshesDisplay: Bool
  /// The status of a Slurm job (then `endOfEpoch` marks a change worth a line in a log).
  public var board: SlurmBoard? = nil

  /// One line such as `baseline  epoch 3/10  step 1200/1875  loss 0.3121  acc 88.6%  12.1 s  ETA 28 s`.
  public var text: String {
    if let board { return board.summary }
    let pct = NumberFormatting.fixed(accuracy * 100, 1)
    return "\(run)  epoch \(epoch)/\(epochs)  step \(step)/\(stepsPerEpoch)  loss \(NumberFormatting.fixed(loss, 4))"
      + "  acc \(pct)%  \(NumberFormatting.fixed(elapsed, 1)) s  ETA \(Int(eta.rounded())) s"
  }
}
