import Foundation
import NN

#if canImport(Glibc)
  import Glibc
#endif

/// The Slurm executor: `train`/`sweep` with executor=slurm submit one job array through sbatch,
/// follow it with live status, and import each result into the session and the run store like a
/// local run; `slurm`, `jobs`, `attach` and `resubmit`.
extension Session {
  /// The environment variable naming the kernel binary the tasks run (when the compute nodes see
  /// it under another path than this process).
  static let slurmKernelKey = "NNDSL_SLURM_KERNEL"

  // MARK: - Statements

  /// `set executor=…`.
  func setExecutor(_ executor: ExecutorName, _ ctx: RunContext) {
    cluster.executor = executor
    switch executor {
    case .local: ctx.emit(.text("executor: local (train and sweep run in this kernel)\n"))
    case .slurm:
      ctx.emit(.text("executor: slurm (train and sweep submit one Slurm job array each; `slurm` shows the options)\n"))
    }
  }

  /// `slurm …`: merges the options; alone, shows them and whether Slurm answers.
  func slurmOptions(_ options: SlurmOptions, _ ctx: RunContext) {
    cluster.options = options.merged(over: cluster.options)
    var t = Table(title: "Slurm options", columns: [("option", false), ("value", false), ("sbatch", false)])
    let o = cluster.options
    for (option, value) in o.entries {
      var shown = value ?? "(default)"
      if option == .spool, value == nil { shown = "(default) " + spoolRoot() }
      t.add([.text(option.rawValue), .text(shown), .text(option.sbatchText)])
    }
    t.footnotes.append(
      "executor: \(cluster.executor.rawValue)"
        + (cluster.executor == .local ? " (train executor=slurm, or set executor=slurm, submits)" : ""))
    if options.isEmpty {
      let cli = SlurmCLI(environment: environment)
      do {
        try cli.checkAvailable()
        let cluster = cli.clusterName()
        t.footnotes.append(
          "sbatch: \(cli.find("sbatch") ?? "sbatch"); the controller answers"
            + (cluster.isEmpty ? "" : " (cluster \(cluster))"))
      } catch {
        t.footnotes.append("\(error)")
      }
      t.footnotes.append("kernel binary the tasks run: \(kernelBinary())")
    }
    ctx.emit(.table(t))
  }

  /// `jobs`: the Slurm jobs of this store (or of this session, without a store).
  func jobsTable() -> Table {
    var t = Table(
      title: "Slurm jobs",
      columns: [
        ("job", false), ("cluster", false), ("submitted", false), ("runs", true), ("pending", true),
        ("running", true), ("done", true), ("failed", true), ("state", false), ("spool", false),
      ])
    let jobs = allJobs()
    let cli = SlurmCLI(environment: environment, timeout: 5)
    for job in jobs {
      let counts = runCounts(job, cli: cli)
      t.add([
        .text(job.jobID), .text(job.cluster), .text(Self.timeText(job.submittedAt)), .integer(job.runs.count),
        .integer(counts.pending), .integer(counts.running), .integer(counts.done), .integer(counts.failed),
        .text(job.inFlight && counts.pending + counts.running == 0 ? "ended (attach collects it)" : job.stateText),
        .text(job.spool),
      ])
    }
    if jobs.isEmpty { t.footnotes.append("no Slurm jobs yet: train or sweep with executor=slurm submits one") }
    t.footnotes.append(
      storeLink.store == nil
        ? "jobs are kept in this session only (no run store)" : "jobs of the store \(storeLink.store?.path ?? "")")
    return t
  }

  /// `attach [JOB]`: follows a job in flight, or collects the results of a finished one.
  func attach(_ id: String?, _ ctx: RunContext) throws {
    let job = try findJob(id)
    let spool = SlurmSpool(directory: job.spool)
    let manifest = try readManifest(spool)
    let missing = job.runs.filter { !job.imported.contains($0) }
    if let later = job.resubmittedAs {
      ctx.emit(
        .text(
          "slurm job \(job.jobID): \(job.imported.count) of \(job.runs.count) runs came back; "
            + "the others were resubmitted as job \(later) (attach \(later))\n"))
      return
    }
    if missing.isEmpty {
      ctx.emit(.text("slurm job \(job.jobID): all \(job.runs.count) runs are in the session already\n"))
      return
    }
    ctx.emit(
      .text(
        "attached to slurm job \(job.jobID) (\(job.runs.count) runs, \(missing.count) not collected yet; "
          + "spool \(job.spool))\n"))
    try follow(job, manifest: manifest, ctx)
  }

  /// `resubmit [JOB]`: the runs of a job that did not come back, as a new job array.
  func resubmit(_ id: String?, _ ctx: RunContext) throws {
    var job = try findJob(id)
    let spool = SlurmSpool(directory: job.spool)
    let manifest = try readManifest(spool)
    let cli = SlurmCLI(environment: environment)
    if job.inFlight, let states = cli.taskStates(job.jobID), states.values.contains(where: { !$0.state.isFinal }) {
      throw SessionError.runtime(
        "slurm job \(job.jobID) is still running",
        hint: "`attach \(job.jobID)` follows it; resubmit it when it has ended")
    }
    if job.inFlight {
      // Ended while nobody followed it: collect what came back first.
      try? follow(job, manifest: manifest, ctx, quiet: true)
      job = try findJob(job.jobID)
    }
    if let later = job.resubmittedAs {
      throw SessionError.runtime(
        "the runs of slurm job \(job.jobID) that did not come back were resubmitted as job \(later)",
        hint: "`attach \(later)` or `resubmit \(later)`")
    }
    // The runs that did not come back, and those that came back cut short (a time limit, scancel).
    let again = manifest.runs.filter { !job.imported.contains($0.name) || isPartial($0.name) }
    guard !again.isEmpty else {
      ctx.emit(.text("slurm job \(job.jobID): every run came back; nothing to resubmit\n"))
      return
    }
    var next = manifest
    next.runs = again
    next.options = cluster.options.merged(over: manifest.options)
    next.pack = next.options.runsPerTask
    next.created = Date()
    let names = again.map(\.name).joined(separator: ", ")
    ctx.emit(
      .text("resubmitting \(again.count) run\(again.count == 1 ? "" : "s") of slurm job \(job.jobID): \(names)\n"))
    try submit(next, ctx) { newID in
      job.state = .resubmitted(newID)
      self.saveJob(job, ctx)
    }
  }

  // MARK: - Submission

  /// Submits runs (name, parameters) of the current model and data as one job array and follows it.
  func submitToSlurm(_ runs: [(name: String, params: TrainParams)], _ ctx: RunContext) throws {
    guard let data = dataset else {
      throw SessionError.runtime("no data set is loaded", hint: "run `load fashion` first")
    }
    guard let spec = model else {
      throw SessionError.runtime("no model is defined", hint: "define one first, e.g. `model 784-128-relu-10`")
    }
    try checkFits(spec, data)
    guard data.source != "memory" else {
      throw SessionError.runtime(
        "the data set is in memory only; Slurm tasks need it in files",
        hint: "load it from a directory: load fashion dir=\"…\"")
    }
    var specs: [SlurmManifest.Run] = []
    for (name, params) in runs {
      let config = resolve(params)
      // Refused here with a local train's message, rather than in a task after the queue.
      do {
        try config.validate()
      } catch {
        throw SessionError.runtime("\(error)", hint: "in run '\(name)'; nothing was submitted")
      }
      specs.append(SlurmManifest.Run(name: name, statement: ctx.statement, config: config, model: spec))
    }
    let cwd = FileManager.default.currentDirectoryPath
    let directory = data.source.hasPrefix("/") ? data.source : (cwd as NSString).appendingPathComponent(data.source)
    let options = cluster.options
    let manifest = SlurmManifest(
      runs: specs, pack: options.runsPerTask,
      data: SlurmManifest.DataLocation(
        directory: (directory as NSString).standardizingPath, trainLimit: data.trainCount, testLimit: data.testCount,
        description: "\(data.name) from \(data.source) (\(data.trainCount) train, \(data.testCount) test)"),
      options: options, created: Date(), kernel: kernelBinary())
    try submit(manifest, ctx)
  }

  /// Writes a job's spool files, submits it, records it and follows it.
  func submit(_ manifest: SlurmManifest, _ ctx: RunContext, submitted: (String) -> Void = { _ in }) throws {
    let cli = SlurmCLI(environment: environment)
    do {
      try cli.checkAvailable()
    } catch {
      throw SessionError.runtime(
        "\(error); nothing was submitted",
        hint: "run on a machine with Slurm's client tools (sbatch, squeue, scontrol) and a reachable controller, "
          + "or train with executor=local")
    }
    let root = manifest.options.spool.map { resolveSpool($0) } ?? spoolRoot()
    let stamp = Self.spoolStamp(Date())
    let spool = SlurmSpool(directory: root + "/job-\(stamp)-\(String(UInt32.random(in: 0...0xFFFF), radix: 16))")
    do {
      try spool.create()
      try SlurmSpool.write(manifest, to: spool.manifestPath)
      let script = Self.batchScript(kernel: manifest.kernel, spool: spool.directory, manifest: manifest)
      try SlurmSpool.writeAtomically(Data(script.utf8), to: spool.scriptPath)
      chmod(spool.scriptPath, 0o755)
    } catch {
      throw SessionError.runtime(
        "cannot write the job's spool directory \(spool.directory): \(error); nothing was submitted",
        hint: "choose a shared directory every node can write: slurm spool=\"/shared/DIR\"")
    }
    let arguments = manifest.options.sbatchArguments(
      jobName: "nndsl-\(manifest.runs.first?.name ?? "runs")", tasks: manifest.tasks, spool: spool.directory,
      script: spool.scriptPath)
    let jobID: String
    do {
      jobID = try cli.submit(arguments)
    } catch {
      throw SessionError.runtime(
        "\(error)", hint: "check the slurm options (`slurm` shows them); the spool directory \(spool.directory) is kept"
      )
    }
    try? SlurmSpool.writeAtomically(Data((jobID + "\n").utf8), to: spool.directory + "/job_id")
    let job = SlurmJobEntry(
      jobID: jobID, cluster: cli.clusterName(), spool: spool.directory, submittedAt: Date(),
      runs: manifest.runs.map(\.name), imported: [], state: .submitted, statement: ctx.statement)
    saveJob(job, ctx)
    submitted(jobID)
    let n = manifest.runs.count
    let tasks = manifest.tasks
    ctx.emit(
      .text(
        "submitted slurm job \(jobID)\(job.cluster.isEmpty ? "" : " on \(job.cluster)"): "
          + "\(n) run\(n == 1 ? "" : "s") in "
          + "\(tasks) array task\(tasks == 1 ? "" : "s") (\(manifest.pack) per task"
          + (manifest.options.parallel.map { ", at most \($0) at once" } ?? "") + "); spool \(spool.directory)\n"))
    try follow(job, manifest: manifest, ctx)
  }

  /// The batch script every array task runs: this kernel binary's hidden `slurm-task` subcommand.
  static func batchScript(kernel: String, spool: String, manifest: SlurmManifest) -> String {
    func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    return """
      #!/bin/sh
      # NN DSL kernel: a Slurm job array of \(manifest.runs.count) runs, \(manifest.pack) per task.
      # Task i trains runs [i*\(manifest.pack), (i+1)*\(manifest.pack)) of manifest.json \
      with the kernel binary below.
      exec \(quoted(kernel)) slurm-task \(quoted(spool))

      """
  }

  /// `20261201-101502`: the spool directory's time stamp.
  static func spoolStamp(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "yyyyMMdd-HHmmss"
    return f.string(from: date)
  }

  /// The kernel binary the tasks run: $NNDSL_SLURM_KERNEL, else this process's executable.
  func kernelBinary() -> String {
    if let path = environment[Self.slurmKernelKey], !path.isEmpty { return path }
    if let resolved = realpath("/proc/self/exe", nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    let arg0 = CommandLine.arguments.first ?? "kernel"
    return arg0.hasPrefix("/")
      ? arg0 : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(arg0)
  }

  /// The default spool root: `slurm/` beside the run store (`.nndsl/slurm`), or in the
  /// notebook's `.nndsl/` when there is no store.
  func spoolRoot() -> String {
    if let path = storePath ?? storeLink.path {
      return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("slurm")
    }
    let base = storeDirectory ?? FileManager.default.currentDirectoryPath
    let store = (base as NSString).appendingPathComponent(StoreLocation.defaultRelativePath) as NSString
    return ((store.deletingLastPathComponent as NSString).appendingPathComponent("slurm") as NSString)
      .standardizingPath
  }

  /// A `spool=` directory made absolute (relative to the notebook's or script's directory).
  func resolveSpool(_ path: String) -> String {
    let expanded = (try? UserPaths.expandTilde(path)) ?? path
    if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
    let base = storeDirectory ?? FileManager.default.currentDirectoryPath
    return ((base as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
  }

  // MARK: - Following a job

  /// What the session knows of one run of a job it follows.
  private struct RunWatch {
    var run: SlurmManifest.Run
    var task: Int
    var phase: Phase
    var progress: SlurmProgress?

    /// Where the run stands for the session.
    enum Phase {
      /// No result yet.
      case waiting
      /// Its result landed in the spool and waits for the earlier runs of the job to come in.
      case landed(SlurmResult, weights: [Float])
      /// It is in the session; `complete`: it ran to its end (finished or diverged), else it was
      /// interrupted (its task got SIGTERM from scancel or its time limit).
      case imported(complete: Bool)
      /// It did not come back, and why.
      case failed(SlurmRunFailure)
    }

    var imported: Bool {
      if case .imported = phase { return true }
      return false
    }
    /// Whether it is in the session cut short.
    var partial: Bool {
      if case .imported(complete: false) = phase { return true }
      return false
    }
    var landed: (result: SlurmResult, weights: [Float])? {
      if case .landed(let result, let weights) = phase { return (result, weights) }
      return nil
    }
    var failure: SlurmRunFailure? {
      if case .failed(let why) = phase { return why }
      return nil
    }
    /// Whether it is waiting for its result.
    var isWaiting: Bool {
      if case .waiting = phase { return true }
      return false
    }
  }

  /// Seconds a run whose task has ended may take to show its result on a shared file system.
  static let resultSettleTime = 5.0

  /// Follows a job until every task has ended: live status, results imported as they land.
  /// An interrupt cancels the job (scancel) and keeps every run that finished; a stop while the
  /// host shuts down (`prepareForShutdown()`) leaves the job running and in flight, naming
  /// `attach JOB`. Throws when a run did not come back, naming `resubmit JOB`.
  func follow(_ start: SlurmJobEntry, manifest: SlurmManifest, _ ctx: RunContext, quiet: Bool = false) throws {
    var job = start
    let spool = SlurmSpool(directory: job.spool)
    let cli = SlurmCLI(environment: environment, timeout: 10)
    var watches = manifest.runs.enumerated().map { i, run in
      RunWatch(
        run: run, task: SlurmPacking.task(ofRun: i, pack: manifest.pack),
        phase: job.imported.contains(run.name) ? .imported(complete: !isPartial(run.name)) : .waiting)
    }
    let tasks = manifest.tasks
    var states: [Int: SlurmTaskState] = [:]
    /// When a Slurm tool last answered about the job.
    var lastSeen = Date()
    /// Slurm no longer knows the job (it ended long ago, or was purged), or has not answered
    /// for `unknownGrace` seconds.
    var gone = false
    var lastSignature = ""
    var throttle = ProgressThrottle()
    let followed = Date()
    var cancelled = false
    var endedAt: Date?
    // Notes of the imports (a replaced run, a store warning) wait until the live status ends, so
    // the status stays one display.
    let held = HeldOutput()
    let importContext = RunContext(
      emit: { held.items.append($0) }, progress: ctx.progress, shouldStop: ctx.shouldStop, statement: ctx.statement)

    /// When each task was first seen ended.
    var taskEndedAt: [Int: Date] = [:]

    /// Whether a run without a result will write none: its task ended a while ago (or Slurm no
    /// longer knows the job).
    func settledWithoutResult(_ w: RunWatch) -> Bool {
      if gone { return true }
      guard let ended = taskEndedAt[w.task] else { return false }
      return Date().timeIntervalSince(ended) > Self.resultSettleTime
    }

    /// Reads the results that landed and imports them in the job's run order: a run comes in once
    /// every earlier run has come in or will not (so `runs` and the store keep the sweep's order,
    /// as a local sweep does). `final`: following ends, so everything that landed comes in.
    func collect(final: Bool = false) throws {
      for i in watches.indices where watches[i].isWaiting {
        guard let (result, weights) = spool.result(watches[i].run.name) else { continue }
        if let error = result.error {
          watches[i].phase = .failed(.failedInTask(error))
        } else if result.record != nil {
          watches[i].phase = .landed(result, weights: weights)
        } else {
          watches[i].phase = .failed(.emptyResult)
        }
      }
      for i in watches.indices {
        let result: SlurmResult
        let weights: [Float]
        let record: RunRecord
        switch watches[i].phase {
        case .imported, .failed: continue
        case .waiting:
          // An earlier run may still come back: the later ones wait for it.
          if final || settledWithoutResult(watches[i]) { continue }
          return
        case .landed(let r, let w):
          guard let trained = r.record else { continue }
          (result, weights, record) = (r, w, trained)
        }
        do {
          try importSlurmRun(
            record, weights: weights, result: result, run: watches[i].run, dataset: manifest.data.description,
            importContext)
        } catch let error as SessionError {
          // Another session trains a run of that name right now: this one stays in the spool.
          watches[i].phase = .failed(
            .notImportable(
              reason: error.message, result: spool.resultPath(watches[i].run.name), job: job.jobID))
          continue
        }
        watches[i].phase = .imported(complete: record.status.isComplete)
        job.imported.append(watches[i].run.name)
        saveJob(job, importContext)
      }
    }

    func board() -> SlurmBoard {
      var rows: [SlurmBoard.Row] = []
      var counts = [0, 0, 0, 0]  // pending, running, done, failed
      var taskFailed = Set<Int>()
      var fraction = 0.0
      for w in watches {
        let state: SlurmRunState
        let task = states[w.task]
        switch w.phase {
        case .imported(let complete):
          state = complete ? .done : .interrupted
          fraction += 1
        case .landed:
          state = .finishing
          fraction += 1
        case .failed(let failure):
          state = failure.boardState
          taskFailed.insert(w.task)
          fraction += 1
        case .waiting:
          if let task, task.state.isFinal {
            state = task.state == .completed ? .finishing : .ended(task)
            if task.state != .completed { taskFailed.insert(w.task) }
            fraction += 1
          } else if let task, !task.state.isPending {
            state = w.progress == nil ? .starting : .running
          } else {
            state = .pending(reason: task?.reason)
          }
        }
        if let p = w.progress, state == .running {
          let total = Double(max(1, p.epochs * max(1, p.stepsPerEpoch)))
          fraction += min(1, Double((p.epoch - 1) * p.stepsPerEpoch + p.step) / total)
        }
        var row = SlurmBoard.Row(
          run: w.run.name, task: w.task, state: state, epoch: w.progress?.epoch ?? 0,
          epochs: w.progress?.epochs ?? w.run.config.epochs, loss: w.progress?.loss, accuracy: w.progress?.accuracy,
          testAccuracy: w.progress?.testAccuracy)
        // A run that came back shows its final epoch.
        if w.imported, let record = self.runs.first(where: { $0.name == w.run.name }), let last = record.epochs.last {
          row.epoch = last.epoch
          row.epochs = record.config.epochs
          row.loss = last.trainLoss
          row.accuracy = last.trainAccuracy
          row.testAccuracy = last.testAccuracy
        }
        rows.append(row)
      }
      for t in 0..<tasks {
        if let s = states[t] {
          if taskFailed.contains(t) || (s.state.isFinal && s.state != .completed) {
            counts[3] += 1
          } else if s.state == .completed {
            counts[2] += 1
          } else if s.state.isPending {
            counts[0] += 1
          } else {
            counts[1] += 1
          }
        } else {
          let its = watches.filter { $0.task == t }
          if its.allSatisfy({ $0.imported || $0.landed != nil }) {
            counts[2] += 1
          } else if taskFailed.contains(t) || gone {
            counts[3] += 1
          } else {
            counts[0] += 1
          }
        }
      }
      let elapsed = Date().timeIntervalSince(job.submittedAt)
      let f = fraction / Double(max(1, watches.count))
      let running = Date().timeIntervalSince(max(job.submittedAt, followed))
      let eta: Double? = f > 0.02 && f < 1 ? running * (1 - f) / f : (f >= 1 ? 0 : nil)
      return SlurmBoard(
        job: job.jobID, rows: rows, pending: counts[0], running: counts[1], done: counts[2], failed: counts[3],
        elapsed: elapsed, eta: eta)
    }

    func show() {
      guard !quiet else { return }
      let b = board()
      let signature =
        b.rows.map { "\($0.state)\($0.epoch)" }.joined(separator: ",")
        + "|\(b.pending),\(b.running),\(b.done),\(b.failed)"
      let changed = signature != lastSignature
      lastSignature = signature
      let admitted = throttle.admit(endOfEpoch: changed)
      guard admitted.pass else { return }
      ctx.progress(
        ProgressUpdate(
          run: "slurm job \(job.jobID)", epoch: b.rows.filter { $0.state == .done }.count, epochs: b.rows.count,
          step: 0, stepsPerEpoch: 0, loss: .nan, accuracy: .nan, elapsed: b.elapsed, eta: b.eta ?? 0,
          endOfEpoch: changed, refreshesDisplay: admitted.due, board: b))
    }

    while true {
      if ctx.shouldStop() && shutdown.isRaised {
        // The process is about to end: the job keeps running on the cluster and stays in flight
        // in the store; what landed comes in (in the sweep's order), `attach` collects the rest.
        try collect()
        saveJob(job, importContext)
        for item in held.items { ctx.emit(item) }
        throw SessionError.interrupted(
          "the kernel is shutting down: slurm job \(job.jobID) keeps running on the cluster (\(job.imported.count) of "
            + "\(watches.count) runs in the session); `attach \(job.jobID)` in the next session follows it or "
            + "collects its results")
      }
      if ctx.shouldStop() {
        cancelled = true
        cli.cancel(job.jobID)
        // The tasks end within Slurm's KillWait; results written until then are kept.
        let deadline = Date(timeIntervalSinceNow: 15)
        while Date() < deadline {
          if let s = cli.taskStates(job.jobID) { states = s }
          if (0..<tasks).allSatisfy({ states[$0]?.state.isFinal ?? true }) { break }
          usleep(200_000)
        }
        try collect(final: true)
        break
      }
      try collect()
      let settled = Set(states.filter { $0.value.state.isFinal }.keys)
      if let s = cli.taskStates(job.jobID, tasks: tasks, settled: settled) {
        // Final states stay known once seen (a task that left the queue is not asked again).
        states = states.filter { $0.value.state.isFinal }.merging(s) { old, new in new.state.isFinal ? new : old }
        lastSeen = Date()
        for (t, s) in states where s.state.isFinal && taskEndedAt[t] == nil { taskEndedAt[t] = Date() }
      } else if Date().timeIntervalSince(lastSeen) >= cluster.unknownGrace {
        gone = true
      }
      for i in watches.indices where watches[i].isWaiting {
        watches[i].progress = spool.progress(watches[i].run.name) ?? watches[i].progress
      }
      let everyRunSettled = watches.allSatisfy { $0.imported || $0.failure != nil }
      let everyTaskEnded = gone || (0..<tasks).allSatisfy { t in states[t]?.state.isFinal ?? false }
      if everyRunSettled || everyTaskEnded {
        // A task that completed wrote its results before it ended; a shared file system may show
        // them a moment later.
        if endedAt == nil { endedAt = Date() }
        let waiting = watches.contains { w in
          w.isWaiting && states[w.task]?.state == .completed
        }
        if everyRunSettled || !waiting || Date().timeIntervalSince(endedAt!) > Self.resultSettleTime {
          try collect(final: true)
          break
        }
      }
      show()
      let until = Date(timeIntervalSinceNow: cluster.pollInterval)
      while Date() < until, !ctx.shouldStop() { usleep(20_000) }
    }

    // A task whose run came back cut short, or not at all, may still be ending (COMPLETING): its
    // final state is what the report names, so wait for it a moment.
    let unfinished = Set(watches.filter { $0.partial || $0.failure != nil }.map(\.task))
    let settleBy = Date(timeIntervalSinceNow: Self.resultSettleTime)
    while unfinished.contains(where: { states[$0].map { !$0.state.isFinal } ?? false }), Date() < settleBy {
      usleep(200_000)
      if let s = cli.taskStates(job.jobID) {
        states = states.filter { $0.value.state.isFinal }.merging(s) { old, new in new.state.isFinal ? new : old }
      }
    }

    // Runs that did not come back: why, from the task's state and its log.
    var failedRuns: [String] = []
    var details: [String] = []
    func logTail(_ task: Int) -> String {
      let tail = spool.logTail(job: job.jobID, task: task)
      guard !tail.isEmpty else { return "" }
      return "  last lines of \(spool.logPath(job: job.jobID, task: task)):\n"
        + tail.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        + "\n"
    }
    for w in watches where w.partial {
      // Cut short by its task's end (SIGTERM): in the session as an interrupted run, as a local
      // run stopped by an interrupt is.
      failedRuns.append(w.run.name)
      let status = runs.first { $0.name == w.run.name }?.status.description ?? "interrupted"
      var text = "run '\(w.run.name)' (task \(w.task)): \(status); it is in the session as an interrupted run"
      if let task = states[w.task], task.state != .completed { text += "; task state \(task.text)" }
      details.append(text + "\n" + logTail(w.task))
    }
    for i in watches.indices where !watches[i].imported {
      let w = watches[i]
      let task = states[w.task]
      let failure = w.failure ?? (cancelled ? .cancelled : task.map { .taskEnded($0) } ?? .unknownToSlurm)
      var why = failure.text
      if failure.addsTaskState, let task, task.state != .completed { why += "; task state \(task.text)" }
      watches[i].phase = .failed(failure)
      failedRuns.append(w.run.name)
      details.append("run '\(w.run.name)' (task \(w.task)): \(why)\n" + logTail(w.task))
    }
    job.state = cancelled ? .cancelled : (failedRuns.isEmpty ? .finished : .failed)
    saveJob(job, importContext)
    show()
    for item in held.items { ctx.emit(item) }
    for w in watches where w.imported && !start.imported.contains(w.run.name) {
      if let r = runs.first(where: { $0.name == w.run.name }) { ctx.emit(.text(summary(r) + "\n")) }
    }
    for d in details { ctx.emit(.stderr(d)) }
    let kept = watches.filter { $0.imported && !$0.partial }.count
    let partial = watches.filter(\.partial).count
    if cancelled {
      let lost = failedRuns.count - partial
      var parts = ["\(kept) finished run\(kept == 1 ? "" : "s") kept"]
      if partial > 0 { parts.append("\(partial) kept as interrupted") }
      if lost > 0 || partial == 0 { parts.append("\(lost) cancelled") }
      throw SessionError.interrupted(
        "slurm job \(job.jobID) cancelled (scancel): \(parts.joined(separator: ", ")); `resubmit \(job.jobID)` submits "
          + (partial == 0 ? "them" : "the unfinished ones") + " again")
    }
    if !failedRuns.isEmpty {
      throw SessionError.runtime(
        "\(failedRuns.count) of \(watches.count) runs of slurm job \(job.jobID) failed: "
          + failedRuns.joined(separator: ", "),
        hint: "`resubmit \(job.jobID)` submits them again"
          + (kept == 0 ? "" : "; the \(kept) finished run\(kept == 1 ? " is" : "s are") kept"))
    }
    if !quiet {
      let which = watches.count == 1 ? "its run" : "all \(watches.count) runs"
      ctx.emit(
        .text(
          "slurm job \(job.jobID): \(which) came back and \(watches.count == 1 ? "is" : "are") in the session, "
            + "\(NumberFormatting.fixed(Date().timeIntervalSince(job.submittedAt), 1)) s since submission\n"))
    }
  }

  // MARK: - Jobs

  /// The jobs of the store (and those of this session kept in memory), oldest first.
  func allJobs() -> [SlurmJobEntry] {
    openStoreIfNeeded()
    var jobs = cluster.memoryJobs
    if let store = storeLink.store, let stored = try? store.jobs() {
      let keys = Set(stored.map { "\($0.cluster)/\($0.jobID)" })
      jobs = stored + jobs.filter { !keys.contains("\($0.cluster)/\($0.jobID)") }
    }
    return jobs.sorted { $0.submittedAt < $1.submittedAt }
  }

  /// Keeps a job's record in the store, else in memory.
  func saveJob(_ job: SlurmJobEntry, _ ctx: RunContext) {
    openStoreIfNeeded(create: true)
    if let store = storeLink.store {
      do {
        try store.save(job)
        cluster.memoryJobs.removeAll { $0.jobID == job.jobID && $0.cluster == job.cluster }
        return
      } catch {
        if !cluster.memoryJobs.contains(where: { $0.jobID == job.jobID }) {
          ctx.emit(.stderr(storeWarning(error, consequence: "slurm job \(job.jobID) is kept in this session only")))
        }
      }
    }
    if let i = cluster.memoryJobs.firstIndex(where: { $0.jobID == job.jobID && $0.cluster == job.cluster }) {
      cluster.memoryJobs[i] = job
    } else {
      cluster.memoryJobs.append(job)
    }
  }

  /// The job with this id (of the current cluster when ids repeat), or the latest job.
  func findJob(_ id: String?) throws -> SlurmJobEntry {
    let jobs = allJobs()
    guard let id else {
      guard let last = jobs.last else {
        throw SessionError.runtime(
          "there are no Slurm jobs yet", hint: "train or sweep with executor=slurm submits one")
      }
      return last
    }
    let matches = jobs.filter { $0.jobID == id }
    guard let first = matches.last else {
      let known = jobs.suffix(8).map(\.jobID).joined(separator: ", ")
      throw SessionError.runtime(
        "no Slurm job \(id) in this store",
        hint: jobs.isEmpty ? "train or sweep with executor=slurm submits one" : "jobs: \(known); `jobs` lists them")
    }
    if matches.count > 1 {
      let name = SlurmCLI(environment: environment, timeout: 5).clusterName()
      if let here = matches.last(where: { $0.cluster == name }) { return here }
    }
    return first
  }

  /// A job's manifest, or a clear error when its spool directory is gone.
  func readManifest(_ spool: SlurmSpool) throws -> SlurmManifest {
    do {
      return try spool.manifest()
    } catch {
      throw SessionError.runtime("\(error)", hint: "the job's spool directory \(spool.directory) must still exist")
    }
  }

  /// How many runs of a job are pending, running, done and failed.
  func runCounts(_ job: SlurmJobEntry, cli: SlurmCLI) -> (pending: Int, running: Int, done: Int, failed: Int) {
    let spool = SlurmSpool(directory: job.spool)
    let pack = (try? spool.manifest())?.pack ?? 1
    let states = job.inFlight ? cli.taskStates(job.jobID) : nil
    var c = (pending: 0, running: 0, done: 0, failed: 0)
    for (i, name) in job.runs.enumerated() {
      if job.imported.contains(name) {
        if isPartial(name) { c.failed += 1 } else { c.done += 1 }
      } else if let (result, _) = spool.result(name) {
        if result.trained, result.record?.status.isComplete == true { c.done += 1 } else { c.failed += 1 }
      } else if let s = states?[SlurmPacking.task(ofRun: i, pack: pack)] {
        if s.state.isPending {
          c.pending += 1
        } else if s.state.isFinal {
          c.failed += 1
        } else {
          c.running += 1
        }
      } else if job.inFlight && states != nil {
        c.pending += 1
      } else {
        c.failed += 1
      }
    }
    return c
  }
}

/// Outputs kept back while a job's live status is shown.
private final class HeldOutput {
  var items: [OutputItem] = []
}

extension Session {
  /// Whether the session's run of this name was cut short (an interrupted run).
  func isPartial(_ name: String) -> Bool {
    runs.first { $0.name == name }.map { !$0.status.isComplete } ?? false
  }
}

extension RunStatus {
  /// Whether a run ran to its end: finished or diverged (an interrupted one was cut short, by
  /// its task's end when it ran in Slurm).
  var isComplete: Bool {
    switch self {
    case .finished, .diverged: return true
    case .interrupted: return false
    }
  }
}
