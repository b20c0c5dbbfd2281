import Foundation

/// A Slurm job state, as `sacct`, `scontrol` and `squeue` name it.
enum SlurmJobState: Sendable, Equatable, CustomStringConvertible {
  case pending, configuring, running, completing, suspended, requeued
  case completed, failed, cancelled, timeout, outOfMemory, nodeFail, preempted, bootFail, deadline
  /// A state this kernel does not know by name (kept as Slurm wrote it).
  case other(String)

  /// The state of a Slurm state word (`CANCELLED by 0` → cancelled; short codes `PD`, `R`, …).
  init(_ text: String) {
    let word = text.split(separator: " ").first.map { String($0).uppercased() } ?? ""
    switch word.trimmingCharacters(in: CharacterSet(charactersIn: "+")) {
    case "PENDING", "PD": self = .pending
    case "CONFIGURING", "CF": self = .configuring
    case "RUNNING", "R": self = .running
    case "COMPLETING", "CG": self = .completing
    case "SUSPENDED", "S", "STOPPED", "ST": self = .suspended
    case "REQUEUED", "RQ", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "RS": self = .requeued
    case "COMPLETED", "CD": self = .completed
    case "FAILED", "F": self = .failed
    case "CANCELLED", "CA": self = .cancelled
    case "TIMEOUT", "TO": self = .timeout
    case "OUT_OF_MEMORY", "OOM": self = .outOfMemory
    case "NODE_FAIL", "NF": self = .nodeFail
    case "PREEMPTED", "PR": self = .preempted
    case "BOOT_FAIL", "BF": self = .bootFail
    case "DEADLINE", "DL": self = .deadline
    default: self = .other(word)
    }
  }

  /// Whether the task has ended (it will not run again by itself).
  var isFinal: Bool {
    switch self {
    case .pending, .configuring, .running, .completing, .suspended, .requeued: return false
    case .completed, .failed, .cancelled, .timeout, .outOfMemory, .nodeFail, .preempted, .bootFail, .deadline:
      return true
    case .other: return false
    }
  }

  /// Whether the task is waiting to start.
  var isPending: Bool { self == .pending || self == .requeued || self == .configuring }

  /// Slurm's name of the state.
  var description: String {
    switch self {
    case .pending: return "PENDING"
    case .configuring: return "CONFIGURING"
    case .running: return "RUNNING"
    case .completing: return "COMPLETING"
    case .suspended: return "SUSPENDED"
    case .requeued: return "REQUEUED"
    case .completed: return "COMPLETED"
    case .failed: return "FAILED"
    case .cancelled: return "CANCELLED"
    case .timeout: return "TIMEOUT"
    case .outOfMemory: return "OUT_OF_MEMORY"
    case .nodeFail: return "NODE_FAIL"
    case .preempted: return "PREEMPTED"
    case .bootFail: return "BOOT_FAIL"
    case .deadline: return "DEADLINE"
    case .other(let s): return s
    }
  }
}

/// One array task's state and exit code (`3:0`: status 3, no signal).
struct SlurmTaskState: Sendable, Equatable {
  var state: SlurmJobState
  var exitCode: String?
  /// Why a pending task waits (`Resources`, `JobArrayTaskLimit`), when known.
  var reason: String?

  init(state: SlurmJobState, exitCode: String? = nil, reason: String? = nil) {
    self.state = state
    self.exitCode = exitCode
    self.reason = reason
  }

  /// The state as a report shows it: `FAILED (exit 3)`.
  var text: String {
    guard let exitCode, exitCode != "0:0" else { return state.description }
    let parts = exitCode.split(separator: ":")
    if parts.count == 2, parts[1] != "0" { return "\(state) (signal \(parts[1]))" }
    return "\(state) (exit \(parts.first ?? ""))"
  }
}

/// Parses the task states of a job array from Slurm's tools.
enum SlurmStateParser {
  /// Array task ids of a Slurm task-id text: `4`, `2-3%2`, `[5-7%2]`, `1,3-5`, `0-9:2`.
  static func taskIDs(_ text: String) -> [Int] {
    var body = Substring(text.trimmingCharacters(in: .whitespaces))
    if body.hasPrefix("[") { body = body.dropFirst() }
    if body.hasSuffix("]") { body = body.dropLast() }
    if let percent = body.firstIndex(of: "%") { body = body[..<percent] }
    var out: [Int] = []
    for part in body.split(separator: ",") {
      var range = Substring(part)
      var step = 1
      if let colon = range.firstIndex(of: ":") {
        step = max(1, Int(range[range.index(after: colon)...]) ?? 1)
        range = range[..<colon]
      }
      let bounds = range.split(separator: "-")
      if bounds.count == 1, let v = Int(bounds[0]) {
        out.append(v)
      } else if bounds.count == 2, let lo = Int(bounds[0]), let hi = Int(bounds[1]), lo <= hi, hi - lo < 1_000_000 {
        out += stride(from: lo, through: hi, by: step)
      }
    }
    return out
  }

  /// Splits `JOB_TASKS` (`123_4`, `123_[5-7]`) into job and task ids; nil for other jobs.
  private static func arrayTasks(_ id: String, job: String) -> [Int]? {
    guard let underscore = id.firstIndex(of: "_"), id[..<underscore] == job else { return nil }
    let rest = id[id.index(after: underscore)...]
    // Job steps (`123_4.batch`) are not tasks.
    if rest.contains(".") { return nil }
    return taskIDs(String(rest))
  }

  /// `sacct -n -P -X -o JobID,State,ExitCode` lines: `123_0|COMPLETED|0:0`.
  static func sacct(_ output: String, job: String) -> [Int: SlurmTaskState] {
    var states: [Int: SlurmTaskState] = [:]
    for line in output.split(separator: "\n") {
      let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= 2, let tasks = arrayTasks(fields[0], job: job) else { continue }
      let state = SlurmTaskState(state: SlurmJobState(fields[1]), exitCode: fields.count > 2 ? fields[2] : nil)
      for t in tasks { states[t] = state }
    }
    return states
  }

  /// `scontrol show job -o JOB`: one line per task (pending tasks share a line with a range).
  static func scontrol(_ output: String, job: String) -> [Int: SlurmTaskState] {
    var states: [Int: SlurmTaskState] = [:]
    for line in output.split(separator: "\n") {
      var fields: [String: String] = [:]
      for token in line.split(separator: " ") {
        guard let eq = token.firstIndex(of: "=") else { continue }
        let key = String(token[..<eq])
        if fields[key] == nil { fields[key] = String(token[token.index(after: eq)...]) }
      }
      guard fields["ArrayJobId"] == job, let tasks = fields["ArrayTaskId"], let state = fields["JobState"] else {
        continue
      }
      let s = SlurmTaskState(
        state: SlurmJobState(state), exitCode: fields["ExitCode"],
        reason: fields["Reason"].flatMap { $0 == "None" ? nil : $0 })
      for t in taskIDs(tasks) { states[t] = s }
    }
    return states
  }

  /// `squeue -h -r -j JOB -o '%i|%T|%r'` lines: `123_4|RUNNING|None`.
  static func squeue(_ output: String, job: String) -> [Int: SlurmTaskState] {
    var states: [Int: SlurmTaskState] = [:]
    for line in output.split(separator: "\n") {
      let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= 2, let tasks = arrayTasks(fields[0].trimmingCharacters(in: .whitespaces), job: job) else {
        continue
      }
      let reason = fields.count > 2 && fields[2] != "None" ? fields[2] : nil
      let state = SlurmTaskState(state: SlurmJobState(fields[1].trimmingCharacters(in: .whitespaces)), reason: reason)
      for t in tasks { states[t] = state }
    }
    return states
  }
}
