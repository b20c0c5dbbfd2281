/// How a run ended.
public enum RunStatus: Sendable, Codable, Equatable, CustomStringConvertible {
  /// All epochs ran.
  case finished
  /// The loss became NaN or infinite at this (1-based) epoch and step; the run stopped there.
  case diverged(epoch: Int, step: Int)
  /// `shouldStop()` returned true before this (1-based) epoch and step; the run stopped there.
  case interrupted(epoch: Int, step: Int)

  /// "finished", "diverged at epoch 2 step 17", ...
  public var description: String {
    switch self {
    case .finished: return "finished"
    case .diverged(let epoch, let step): return "diverged at epoch \(epoch) step \(step)"
    case .interrupted(let epoch, let step): return "interrupted at epoch \(epoch) step \(step)"
    }
  }
}
