import Foundation

/// Slurm through its command-line tools (`sbatch`, `squeue`, `scontrol`, `sacct`, `scancel`),
/// found on the session's PATH: the stable interface, no library linked.
struct SlurmCLI {
  /// The environment the tools run with (PATH, SLURM_CONF, …).
  let environment: [String: String]
  /// Seconds a query may take before it is given up.
  var timeout = 15.0

  /// The output of one tool run.
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut = false
    /// The error text to show: stderr, else stdout, else the exit status.
    var message: String {
      let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      if !text.isEmpty { return text }
      let out = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      if !out.isEmpty { return out }
      return timedOut ? "no answer within the time limit" : "exit status \(status)"
    }
  }

  /// The absolute path of `tool` on the environment's PATH, or nil.
  func find(_ tool: String) -> String? {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":", omittingEmptySubsequences: true) {
      let candidate = "\(dir)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Runs `tool` with `arguments`; nil when the tool is not on PATH.
  func run(_ tool: String, _ arguments: [String], timeout: Double? = nil) -> Output? {
    guard let executable = find(tool) else { return nil }
    return Self.runProcess(executable, arguments, environment: environment, timeout: timeout ?? self.timeout)
  }

  /// Runs a program and collects its output; one that runs past `timeout` is killed.
  static func runProcess(_ executable: String, _ arguments: [String], environment: [String: String], timeout: Double)
    -> Output
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return Output(status: -1, stdout: "", stderr: "cannot run \(executable): \(error.localizedDescription)")
    }
    // Both pipes are drained while the program runs, so a long answer cannot block it.
    let collected = CollectedOutput()
    let group = DispatchGroup()
    for (handle, isOut) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
      group.enter()
      DispatchQueue.global().async {
        let data = handle.readDataToEndOfFile()
        collected.set(data, stdout: isOut)
        group.leave()
      }
    }
    let deadline = Date(timeIntervalSinceNow: timeout)
    var timedOut = false
    while process.isRunning {
      if Date() > deadline {
        timedOut = true
        process.terminate()
        usleep(100_000)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        break
      }
      usleep(5_000)
    }
    process.waitUntilExit()
    group.wait()
    let (o, e) = collected.get()
    return Output(
      status: timedOut ? -1 : process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self), timedOut: timedOut)
  }

  /// Seconds the controller has to answer `scontrol ping` before submission.
  static let probeTimeout = 3.0

  /// Checks that jobs can be submitted: `sbatch` is on PATH and the controller answers.
  func checkAvailable() throws(SlurmError) {
    guard find("sbatch") != nil else {
      throw .unavailable("Slurm is not available: sbatch not found on PATH")
    }
    // A refused connection answers at once (`… is DOWN`); a controller host that drops packets
    // would keep scontrol in its retries for MessageTimeout (10 s by default), so the probe is bounded.
    guard let ping = run("scontrol", ["ping"], timeout: Self.probeTimeout) else {
      throw .unavailable("Slurm is not available: scontrol not found on PATH")
    }
    if ping.timedOut {
      throw .unavailable(
        "the Slurm controller does not answer: `scontrol ping` gave no answer within \(Int(Self.probeTimeout)) s")
    }
    // `Slurmctld(primary) at HOST is UP` (a backup controller may be DOWN meanwhile).
    if !ping.stdout.contains(" is UP") {
      throw .unavailable("the Slurm controller does not answer: \(ping.message)")
    }
  }

  /// Submits a job; returns its id (`sbatch --parsable` prints `ID` or `ID;CLUSTER`).
  func submit(_ arguments: [String]) throws(SlurmError) -> String {
    guard let result = run("sbatch", arguments, timeout: 60) else {
      throw .unavailable("Slurm is not available: sbatch not found on PATH")
    }
    guard result.status == 0 else { throw .submission("sbatch refused the job: \(result.message)") }
    let line = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
    let id = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw .submission("sbatch did not print a job id (it printed: \(result.message))")
    }
    return id
  }

  /// Cancels a job (every task of its array).
  @discardableResult
  func cancel(_ job: String) -> Output? { run("scancel", [job], timeout: 30) }

  /// The cluster's name (`ClusterName` of the configuration), "" when unknown.
  func clusterName() -> String {
    guard let out = run("scontrol", ["show", "config"], timeout: 10), out.status == 0 else { return "" }
    for line in out.stdout.split(separator: "\n") where line.hasPrefix("ClusterName") {
      if let eq = line.firstIndex(of: "=") {
        return line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return ""
  }

  /// The state of every task of a job array that Slurm still knows. `squeue` (cheap, served by
  /// the controller) gives the tasks that wait or run; only when a task has left the queue are
  /// its final states asked for: from `sacct` where accounting works, else from `scontrol show
  /// job` (finished tasks stay there for MinJobAge). `settled` are tasks whose final state the
  /// caller knows already. Nil when no tool knows the job any more.
  func taskStates(_ job: String, tasks: Int? = nil, settled: Set<Int> = []) -> [Int: SlurmTaskState]? {
    var states: [Int: SlurmTaskState] = [:]
    var queueAnswered = false
    if let queue = run("squeue", ["-h", "-r", "-j", job, "-o", "%i|%T|%r"], timeout: 10), queue.status == 0 {
      queueAnswered = true
      states = SlurmStateParser.squeue(queue.stdout, job: job)
    }
    if let tasks, queueAnswered, (0..<tasks).allSatisfy({ states[$0] != nil || settled.contains($0) }) {
      return states
    }
    if let acct = run("sacct", ["-j", job, "-n", "-P", "-X", "-o", "JobID,State,ExitCode"], timeout: 10),
      acct.status == 0, !acct.stdout.isEmpty
    {
      let ended = SlurmStateParser.sacct(acct.stdout, job: job)
      if !ended.isEmpty { return ended.merging(states) { _, queued in queued } }
    }
    if let show = run("scontrol", ["show", "job", "-o", job], timeout: 10), show.status == 0 {
      let known = SlurmStateParser.scontrol(show.stdout, job: job)
      if !known.isEmpty { return known.merging(states) { _, queued in queued } }
    }
    return states.isEmpty ? nil : states
  }
}

/// The two outputs of a process, filled from two reading threads.
private final class CollectedOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var out = Data()
  private var err = Data()

  func set(_ data: Data, stdout: Bool) {
    lock.lock()
    if stdout { out = data } else { err = data }
    lock.unlock()
  }

  func get() -> (Data, Data) {
    lock.lock()
    defer { lock.unlock() }
    return (out, err)
  }
}
