import Foundation

/// A Slurm job array submitted from a session: where its files are and which of its runs came back.
struct SlurmJobEntry: Equatable, Sendable {
  /// The job id sbatch printed.
  var jobID: String
  /// The cluster's name (job ids restart per cluster).
  var cluster: String
  /// The job's spool directory.
  var spool: String
  var submittedAt: Date
  /// Its runs, in run order.
  var runs: [String]
  /// The runs imported into the session and store so far.
  var imported: [String]
  /// Where it stands.
  var state: SlurmJobStatus
  /// The statement that submitted it.
  var statement: String

  /// Whether the session still follows it (its tasks may still run).
  var inFlight: Bool { state == .submitted }

  /// The job its failed runs were resubmitted as, if they were.
  var resubmittedAs: String? {
    if case .resubmitted(let later) = state { return later }
    return nil
  }

  /// The state in words, for `jobs`.
  var stateText: String {
    switch state {
    case .submitted: return "in flight"
    case .resubmitted(let later): return "failed, resubmitted as \(later)"
    case .finished, .failed, .cancelled: return state.storedText
    }
  }
}

/// Where a Slurm job stands, as the store keeps it.
enum SlurmJobStatus: Equatable, Sendable {
  /// Submitted; its tasks may still run.
  case submitted
  /// Every run came back.
  case finished
  /// Some runs did not come back.
  case failed
  /// Interrupted (scancel).
  case cancelled
  /// The runs that did not come back went to this job.
  case resubmitted(String)

  /// The text of the store's `state` column: `submitted`, …, `resubmitted:JOB`.
  var storedText: String {
    switch self {
    case .submitted: return "submitted"
    case .finished: return "finished"
    case .failed: return "failed"
    case .cancelled: return "cancelled"
    case .resubmitted(let job): return "resubmitted:\(job)"
    }
  }

  /// The status of a `state` column (an unknown text counts as submitted, so attach looks at the job).
  init(storedText text: String) {
    switch text {
    case "finished": self = .finished
    case "failed": self = .failed
    case "cancelled": self = .cancelled
    default:
      let prefix = "resubmitted:"
      self = text.hasPrefix(prefix) ? .resubmitted(String(text.dropFirst(prefix.count))) : .submitted
    }
  }
}

/// The store's table of Slurm jobs (`slurm_jobs`).
extension RunStore {
  /// Every job of the store, oldest first.
  func jobs() throws(StoreProblem) -> [SlurmJobEntry] {
    try guarded {
      try db.query(
        "SELECT job_id, cluster, spool, submitted_at, runs_json, imported_json, state, statement "
          + "FROM slurm_jobs ORDER BY id"
      ).map { row in
        SlurmJobEntry(
          jobID: row[0].string ?? "", cluster: row[1].string ?? "", spool: row[2].string ?? "",
          submittedAt: Date(timeIntervalSince1970: row[3].double),
          runs: try Self.decode([String].self, row[4]), imported: try Self.decode([String].self, row[5]),
          state: SlurmJobStatus(storedText: row[6].string ?? "submitted"), statement: row[7].string ?? "")
      }
    }
  }

  /// Inserts or updates a job (keyed by cluster and job id).
  func save(_ job: SlurmJobEntry) throws(StoreProblem) {
    _ = try guarded {
      try db.writeTransaction {
        try db.query(
          """
          INSERT INTO slurm_jobs (job_id, cluster, spool, submitted_at, runs_json, imported_json, state, statement)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
          ON CONFLICT (cluster, job_id) DO UPDATE SET
            spool = excluded.spool, runs_json = excluded.runs_json, imported_json = excluded.imported_json,
            state = excluded.state
          """,
          [
            .text(job.jobID), .text(job.cluster), .text(job.spool), .real(job.submittedAt.timeIntervalSince1970),
            .text(try Self.json(job.runs)), .text(try Self.json(job.imported)), .text(job.state.storedText),
            .text(job.statement),
          ])
      }
    }
  }
}
