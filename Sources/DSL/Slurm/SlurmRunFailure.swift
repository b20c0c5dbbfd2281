/// Why a run of a Slurm job did not come into the session.
enum SlurmRunFailure: Equatable {
  /// The engine threw in the task (the message it wrote in the run's result).
  case failedInTask(String)
  /// Its result holds neither a record nor an error.
  case emptyResult
  /// Its result cannot come into the session now (why), and stays in the spool at `result`.
  case notImportable(reason: String, result: String, job: String)
  /// The user interrupted the job before it came back.
  case cancelled
  /// Its task ended, in this state, without writing a result.
  case taskEnded(SlurmTaskState)
  /// Slurm no longer knows its task, and it wrote no result.
  case unknownToSlurm

  /// The reason in words, as the report after a job shows it.
  var text: String {
    switch self {
    case .failedInTask(let message): return "failed in its task: \(message)"
    case .emptyResult: return "its result holds neither a record nor an error"
    case .notImportable(let reason, let result, let job):
      return
        "failed to come into the session: \(reason) (its result stays in \(result); `attach \(job)` imports it later)"
    case .cancelled: return "cancelled (interrupt)"
    case .taskEnded(let state): return "its task ended \(state.text)"
    case .unknownToSlurm: return "no result: its task is no longer known to Slurm and wrote none"
    }
  }

  /// Whether its task's state says more than the reason itself (a reason the run wrote, while
  /// the task went on to end badly).
  var addsTaskState: Bool {
    switch self {
    case .failedInTask, .emptyResult, .notImportable: return true
    case .cancelled, .taskEnded, .unknownToSlurm: return false
    }
  }

  /// The run's state on the job's live status.
  var boardState: SlurmRunState {
    switch self {
    case .failedInTask, .emptyResult, .notImportable, .unknownToSlurm: return .failed
    case .cancelled: return .cancelled
    case .taskEnded(let state): return .ended(state)
    }
  }
}
