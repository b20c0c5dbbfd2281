import Foundation
import Testing

@testable import DSL
@testable import NN

/// The session's side of a Slurm job without a cluster: a job recorded in the store whose tasks
/// have written their results (as `kernel slurm-task` does) is collected by `attach` into the
/// session and the store like local runs; runs that did not come back are reported.
@Suite struct SlurmSessionTests {
  /// A session on the fixture's store, with no Slurm tools on its PATH.
  static func session(_ f: SessionFixture) throws -> Session {
    let empty = f.directory + "/emptybin"
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    let s = Session(environment: ["HOME": f.directory, "PATH": empty])
    s.storeDirectory = f.directory
    s.cluster.unknownGrace = 0
    s.cluster.pollInterval = 0.01
    return s
  }

  /// Writes a job of `names` (`pack` runs per task), trains the given tasks as an array task would,
  /// and records the job in the store.
  static func job(
    _ f: SessionFixture, _ session: Session, names: [String], trainTasks: [Int], pack: Int = 2
  ) throws -> SlurmJobEntry {
    var config = TrainConfig()
    config.epochs = 2
    config.batch = 16
    config.device = .cpu
    var manifest = SlurmTests.manifest(
      f.directory,
      runs: names.enumerated().map { i, name in
        var c = config
        c.seed = UInt64(i)
        return (name, c)
      }, pack: pack)
    manifest.runs = manifest.runs.map {
      var r = $0
      r.statement = "sweep seed=0,1,2 executor=slurm as s"
      return r
    }
    let spool = SlurmSpool(directory: f.directory + "/.nndsl/slurm/job-test")
    try spool.create()
    try SlurmSpool.write(manifest, to: spool.manifestPath)
    for task in trainTasks {
      _ = SlurmTask.run(spool: spool.directory, task: task, environment: ["SLURM_ARRAY_JOB_ID": "4711"])
    }
    let job = SlurmJobEntry(
      jobID: "4711", cluster: "test", spool: spool.directory, submittedAt: Date(), runs: names, imported: [],
      state: .submitted, statement: "sweep seed=0,1,2 executor=slurm as s")
    session.openStoreIfNeeded(create: true)
    try #require(session.storeLink.store).save(job)
    return job
  }

  static func run(_ session: Session, _ text: String, _ items: inout [OutputItem]) -> ExecutionOutcome {
    var collected: [OutputItem] = []
    let outcome = session.execute(text, emit: { collected.append($0) }, progress: { _ in }, shouldStop: { false })
    items += collected
    return outcome
  }

  @Test func attachCollectsAFinishedJobLikeLocalRuns() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    _ = try Self.job(f, session, names: ["s_seed0", "s_seed1", "s_seed2"], trainTasks: [0, 1])
    var items: [OutputItem] = []
    #expect(Self.run(session, "attach", &items) == .ok)
    #expect(session.runNames == ["s_seed0", "s_seed1", "s_seed2"])
    let text = items.compactMap { if case .text(let s) = $0 { return s } else { return nil } }.joined()
    #expect(text.contains("s_seed1: finished, 2/2 epochs"))
    #expect(text.contains("slurm job 4711: all 3 runs came back"))
    // The runs are local runs for every statement: compare, eval (stored weights), the source.
    #expect(Self.run(session, "\(f.load)\ncompare\neval s_seed2\nshow s_seed0", &items) == .ok)
    #expect(session.runSources["s_seed0"] == "sweep seed=0,1,2 executor=slurm as s")
    // Attaching again has nothing to do.
    items = []
    #expect(Self.run(session, "attach 4711", &items) == .ok)
    #expect(items.contains(.text("slurm job 4711: all 3 runs are in the session already\n")))

    // After a restart: the runs and the job are in the store.
    let again = try Self.session(f)
    items = []
    #expect(again.runNames == ["s_seed0", "s_seed1", "s_seed2"])
    #expect(Self.run(again, "\(f.load)\neval s_seed1\njobs", &items) == .ok)
    let jobs = try #require(
      items.compactMap { if case .table(let t) = $0, t.title == "Slurm jobs" { return t } else { return nil } }.first)
    #expect(jobs.rows.count == 1)
    #expect(jobs.rows[0][0] == .text("4711") && jobs.rows[0][6] == .integer(3) && jobs.rows[0][8] == .text("finished"))
    // The same numbers as a local run of the same configuration.
    let stored = try #require(again.runs.first { $0.name == "s_seed1" })
    let data = try DataSource.loadFashionMNIST(directory: f.directory, environment: [:]).subset(train: 120, test: 40)
    let local = try Trainer(model: stored.model, config: stored.config, data: data).run(name: "s_seed1")
    #expect(stored.epochs.map(\.testAccuracy) == local.epochs.map(\.testAccuracy))
    #expect(stored.epochs.map(\.trainLoss) == local.epochs.map(\.trainLoss))
    #expect(try again.parameters(of: stored) == local.finalParameters)
  }

  @Test func runsThatDidNotComeBackAreReportedAndTheOthersKept() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    // Task 1 (run s_c) never ran; run s_b of task 0 wrote a failure.
    _ = try Self.job(f, session, names: ["s_a", "s_b", "s_c"], trainTasks: [0])
    let spool = SlurmSpool(directory: f.directory + "/.nndsl/slurm/job-test")
    try SlurmSpool.write(
      SlurmResult(
        run: "s_b", record: nil, error: "out of luck", origin: "test", startedAt: Date(), endedAt: Date(),
        weightCount: 0),
      to: spool.resultPath("s_b"))
    _ = FileManager.default.createFile(
      atPath: spool.logPath(job: "4711", task: 1),
      contents: Data("line 1\nslurmstepd: error: *** JOB 4712 CANCELLED ***\n".utf8))
    var items: [OutputItem] = []
    let outcome = Self.run(session, "attach", &items)
    let error = try #require(outcome.error)
    #expect(error.evalue == "2 of 3 runs of slurm job 4711 failed: s_b, s_c")
    #expect(error.traceback.joined().contains("`resubmit 4711` submits them again; the 1 finished run is kept"))
    let stderr = items.compactMap { if case .stderr(let s) = $0 { return s } else { return nil } }.joined()
    #expect(stderr.contains("run 's_b' (task 0): failed in its task: out of luck"))
    #expect(stderr.contains("run 's_c' (task 1): no result: its task is no longer known to Slurm and wrote none"))
    #expect(stderr.contains("*** JOB 4712 CANCELLED ***"))
    #expect(session.runNames == ["s_a"])
    let job = try #require(session.allJobs().first)
    #expect(job.state == .failed && job.imported == ["s_a"])
    // Resubmitting needs Slurm: the clear error, and nothing changes.
    #expect(
      Self.run(session, "resubmit", &items).error?.evalue
        == "Slurm is not available: sbatch not found on PATH; nothing was submitted")
    #expect(try #require(session.allJobs().first).state == .failed)
  }

  @Test func withoutAStoreJobsAreKeptInTheSession() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    var items: [OutputItem] = []
    #expect(Self.run(session, "set store=off", &items) == .ok)
    let job = SlurmJobEntry(
      jobID: "9", cluster: "", spool: f.directory + "/none", submittedAt: Date(), runs: ["x"], imported: [],
      state: .submitted, statement: "train executor=slurm as x")
    session.saveJob(
      job, RunContext(emit: { items.append($0) }, progress: { _ in }, shouldStop: { false }, statement: ""))
    #expect(session.allJobs() == [job])
    #expect(session.cluster.memoryJobs == [job])
    #expect(
      Self.run(session, "attach 9", &items).error?.evalue.hasPrefix("cannot read \(f.directory)/none/manifest.json")
        == true)
  }

  /// Fake Slurm tools in the session's PATH: `squeue` prints the file `squeue.txt` of the bin
  /// directory, `scancel` appends its arguments to `scancel.calls` there and marks every task
  /// cancelled.
  static func fakeSlurm(_ f: SessionFixture, running tasks: Int) throws -> String {
    let bin = f.directory + "/emptybin"
    let queue = bin + "/squeue.txt"
    let calls = scancelCalls(f)
    let scancel = "#!/bin/sh\necho \"$@\" >> '\(calls)'\n/bin/sed -i 's/RUNNING/CANCELLED/' '\(queue)'\n"
    let scripts = ["squeue": "#!/bin/sh\n/bin/cat '\(queue)'\n", "scancel": scancel]
    for (tool, text) in scripts {
      try text.write(toFile: bin + "/" + tool, atomically: true, encoding: .utf8)
      chmod(bin + "/" + tool, 0o755)
    }
    try (0..<tasks).map { "4711_\($0)|RUNNING|None\n" }.joined().write(toFile: queue, atomically: true, encoding: .utf8)
    return queue
  }

  /// The file the fake `scancel` appends its arguments to, one call a line.
  static func scancelCalls(_ f: SessionFixture) -> String {
    f.directory + "/emptybin/scancel.calls"
  }

  /// Moves a run's result files out of the spool (to put them back later, one run at a time).
  final class Stash {
    let spool: SlurmSpool
    let directory: String
    init(_ f: SessionFixture) throws {
      spool = SlurmSpool(directory: f.directory + "/.nndsl/slurm/job-test")
      directory = f.directory + "/stash"
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      for name in try FileManager.default.contentsOfDirectory(atPath: spool.resultsDirectory) {
        try FileManager.default.moveItem(atPath: spool.resultsDirectory + "/" + name, toPath: directory + "/" + name)
      }
    }
    /// Puts a run's result back, weights first, as a task writes them.
    func land(_ run: String) {
      for file in ["\(run).weights", "\(run).json"] where FileManager.default.fileExists(atPath: directory + "/" + file)
      {
        try? FileManager.default.moveItem(atPath: directory + "/" + file, toPath: spool.resultsDirectory + "/" + file)
      }
    }
  }

  @Test func resultsComeInInTheSweepsOrderWhateverOrderTheyLand() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    let names = ["s_0", "s_1", "s_2", "s_3"]
    _ = try Self.job(f, session, names: names, trainTasks: [0, 1, 2, 3], pack: 1)
    let queue = try Self.fakeSlurm(f, running: 4)
    let stash = try Stash(f)
    // Each live status update lands one more result, out of order; `seen` is what was in the
    // session (and the board's states) at each update.
    let landing = ["s_2", "s_0", "s_3", "s_1"]
    var step = 0
    var seen: [[String]] = []
    var boards: [[String]] = []
    let outcome = session.execute(
      "attach", emit: { _ in },
      progress: { update in
        guard let board = update.board else { return }
        seen.append(session.runs.map(\.name))
        boards.append(board.rows.map(\.state.description))
        if step < landing.count {
          stash.land(landing[step])
        } else {
          try? "".write(toFile: queue, atomically: true, encoding: .utf8)
        }
        step += 1
      },
      shouldStop: { false })
    #expect(outcome == .ok)
    // s_2 landed first but waits for s_0 and s_1 (shown as finishing meanwhile); s_3 waits for s_1.
    #expect(Array(seen.prefix(5)) == [[], [], ["s_0"], ["s_0"], ["s_0", "s_1", "s_2", "s_3"]])
    #expect(boards[1] == ["running", "running", "finishing", "running"])
    #expect(boards[3] == ["done", "running", "finishing", "finishing"])
    #expect(session.runs.map(\.name) == names)
    // The store keeps that order too.
    let again = try Self.session(f)
    #expect(again.runNames == names)
  }

  @Test func anInterruptImportsWhatLandedInTheSweepsOrder() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    let names = ["s_0", "s_1", "s_2", "s_3"]
    _ = try Self.job(f, session, names: names, trainTasks: [0, 1, 2, 3], pack: 1)
    _ = try Self.fakeSlurm(f, running: 4)
    let stash = try Stash(f)
    var step = 0
    var seen: [[String]] = []
    var stop = false
    var items: [OutputItem] = []
    let outcome = session.execute(
      "attach", emit: { items.append($0) },
      progress: { update in
        guard update.board != nil else { return }
        seen.append(session.runs.map(\.name))
        // s_3 and s_1 land; s_0 (the first run) never does, then the user interrupts.
        if step == 0 { stash.land("s_3") }
        if step == 1 { stash.land("s_1") }
        if step == 2 { stop = true }
        step += 1
      },
      shouldStop: { stop })
    let ename = outcome.error?.ename
    #expect(ename == "Interrupted")
    #expect(Array(seen.prefix(3)) == [[], [], []])
    #expect(session.runs.map(\.name) == ["s_1", "s_3"])
    let again = try Self.session(f)
    #expect(again.runNames == ["s_1", "s_3"])
    let stderr = items.compactMap { if case .stderr(let s) = $0 { return s } else { return nil } }.joined()
    #expect(stderr.contains("run 's_0' (task 0): cancelled (interrupt)"))
    #expect(stderr.contains("run 's_2' (task 2): cancelled (interrupt)"))
    // The interrupt cancelled the array, once.
    #expect(try String(contentsOfFile: Self.scancelCalls(f), encoding: .utf8) == "4711\n")
    #expect(try #require(again.allJobs().first).state == .cancelled)
  }

  @Test func aShutdownLeavesTheJobRunningAndALaterAttachCollectsIt() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    let names = ["s_0", "s_1", "s_2", "s_3"]
    _ = try Self.job(f, session, names: names, trainTasks: [0, 1, 2, 3], pack: 1)
    let queue = try Self.fakeSlurm(f, running: 4)
    let stash = try Stash(f)
    var step = 0
    var stop = false
    // s_2 lands, then s_0; then the host shuts down (its flag first, then the interrupt).
    let outcome = session.execute(
      "attach", emit: { _ in },
      progress: { update in
        guard update.board != nil else { return }
        if step == 0 { stash.land("s_2") }
        if step == 1 { stash.land("s_0") }
        if step == 2 {
          session.prepareForShutdown()
          stop = true
        }
        step += 1
      },
      shouldStop: { stop })
    let error = try #require(outcome.error)
    #expect(error.ename == "Interrupted")
    #expect(error.evalue.contains("slurm job 4711 keeps running on the cluster (1 of 4 runs in the session)"))
    #expect(error.evalue.contains("`attach 4711`"))
    // No scancel; what landed came in in the sweep's order (s_2 waits for s_1); still in flight.
    #expect(!FileManager.default.fileExists(atPath: Self.scancelCalls(f)))
    #expect(session.runs.map(\.name) == ["s_0"])
    let stored = try #require(session.allJobs().first)
    #expect(stored.state == .submitted && stored.imported == ["s_0"])

    // The next kernel on the same store: `jobs` shows it in flight, `attach` collects the rest.
    let again = try Self.session(f)
    #expect(again.runNames == ["s_0"])
    var items: [OutputItem] = []
    #expect(Self.run(again, "jobs", &items) == .ok)
    let jobs = try #require(items.compactMap { if case .table(let t) = $0 { return t } else { return nil } }.first)
    #expect(jobs.rows.first?[8] == .text("in flight"))
    stash.land("s_1")
    stash.land("s_3")
    try "".write(toFile: queue, atomically: true, encoding: .utf8)
    items = []
    #expect(Self.run(again, "attach", &items) == .ok)
    #expect(again.runs.map(\.name) == names)
    #expect(try #require(again.allJobs().first).state == .finished)
    #expect(!FileManager.default.fileExists(atPath: Self.scancelCalls(f)))
  }

  @Test func aShutdownStopsLocalTrainingAsAnInterruptDoes() throws {
    let f = try SessionFixture()
    f.session.prepareForShutdown()
    let outcome = f.run("\(f.load)\nmodel 784-16-relu-10\ntrain epochs=5 batch=8 as partial", stopAfter: 12)
    #expect(outcome.error?.ename == "Interrupted")
    let run = try #require(f.session.runs.first)
    #expect(run.name == "partial" && !run.status.isComplete)
  }

  @Test func sigtermRaisesTheTasksStopFlag() throws {
    let flag = TerminationFlag()
    flag.catchTerminate()
    defer { flag.release() }
    #expect(!flag.isRaised)
    kill(getpid(), SIGTERM)
    let deadline = Date(timeIntervalSinceNow: 5)
    while !flag.isRaised, Date() < deadline { usleep(10_000) }
    #expect(flag.isRaised)
  }

  @Test func aStoppedTaskWritesItsPartialRunWhichComesBackInterrupted() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    // One task of three runs (5 batches an epoch, 2 epochs); SIGTERM comes in the second run.
    _ = try Self.job(f, session, names: ["s_a", "s_b", "s_c"], trainTasks: [], pack: 3)
    let spool = SlurmSpool(directory: f.directory + "/.nndsl/slurm/job-test")
    let flag = TerminationFlag()
    var polls = 0
    var log: [String] = []
    let code = SlurmTask.run(
      spool: spool.directory, task: 0, environment: ["SLURM_ARRAY_JOB_ID": "4711"],
      shouldStop: {
        polls += 1
        if polls == 14 { flag.raise() }
        return flag.isRaised
      },
      log: { log.append($0) })
    #expect(code == 1)
    let a = try #require(spool.result("s_a")?.result.record)
    let b = try #require(spool.result("s_b")?.result)
    #expect(a.status == .finished)
    let status = try #require(b.record?.status)
    #expect(!status.isComplete && b.error == nil)
    #expect(spool.result("s_c") == nil)
    #expect(log.contains("task 0: stopped (SIGTERM); not started: s_c"))

    var items: [OutputItem] = []
    let outcome = Self.run(session, "attach", &items)
    #expect(outcome.error?.evalue == "2 of 3 runs of slurm job 4711 failed: s_b, s_c")
    // The partial run is in the session and the store as an interrupted run, as a local one is.
    #expect(session.runNames == ["s_a", "s_b"])
    #expect(session.runs.last?.status == status)
    let again = try Self.session(f)
    #expect(again.runNames == ["s_a", "s_b"])
    #expect(again.runs.map(\.status) == [.finished, status])
    let stderr = items.compactMap { if case .stderr(let s) = $0 { return s } else { return nil } }.joined()
    #expect(stderr.contains("run 's_b' (task 0): \(status); it is in the session as an interrupted run"))
    #expect(stderr.contains("run 's_c' (task 0): no result"))
    // `resubmit` takes the interrupted run and the one that never started.
    items = []
    _ = Self.run(session, "resubmit", &items)
    #expect(items.contains(.text("resubmitting 2 runs of slurm job 4711: s_b, s_c\n")))
  }
}
