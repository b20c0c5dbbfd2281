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

  /// Writes a job of `names` (two runs per task), trains the given tasks as an array task would,
  /// and records the job in the store.
  static func job(_ f: SessionFixture, _ session: Session, names: [String], trainTasks: [Int]) throws -> SlurmJobEntry {
    var config = TrainConfig()
    config.epochs = 2
    config.batch = 16
    config.device = .cpu
    var manifest = SlurmTests.manifest(f.directory, runs: names.enumerated().map { i, name in
      var c = config
      c.seed = UInt64(i)
      return (name, c)
    }, pack: 2)
    manifest.runs = manifest.runs.map { var r = $0; r.statement = "sweep seed=0,1,2 executor=slurm as s"; return r }
    let spool = SlurmSpool(directory: f.directory + "/.nndsl/slurm/job-test")
    try spool.create()
    try SlurmSpool.write(manifest, to: spool.manifestPath)
    for task in trainTasks {
      _ = SlurmTask.run(spool: spool.directory, task: task, environment: ["SLURM_ARRAY_JOB_ID": "4711"])
    }
    let job = SlurmJobEntry(
      jobID: "4711", cluster: "test", spool: spool.directory, submittedAt: Date(), runs: names, imported: [],
      state: "submitted", statement: "sweep seed=0,1,2 executor=slurm as s")
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
    let jobs = try #require(items.compactMap { if case .table(let t) = $0, t.title == "Slurm jobs" { return t } else { return nil } }.first)
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
      SlurmResult(run: "s_b", record: nil, error: "out of luck", origin: "test", startedAt: Date(), endedAt: Date(), weightCount: 0),
      to: spool.resultPath("s_b"))
    _ = FileManager.default.createFile(atPath: spool.logPath(job: "4711", task: 1), contents: Data("line 1\nslurmstepd: error: *** JOB 4712 CANCELLED ***\n".utf8))
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
    #expect(job.state == "failed" && job.imported == ["s_a"])
    // Resubmitting needs Slurm: the clear error, and nothing changes.
    #expect(Self.run(session, "resubmit", &items).error?.evalue == "Slurm is not available: sbatch not found on PATH; nothing was submitted")
    #expect(try #require(session.allJobs().first).state == "failed")
  }

  @Test func withoutAStoreJobsAreKeptInTheSession() throws {
    let f = try SessionFixture(train: 80, test: 20)
    let session = try Self.session(f)
    var items: [OutputItem] = []
    #expect(Self.run(session, "set store=off", &items) == .ok)
    let job = SlurmJobEntry(
      jobID: "9", cluster: "", spool: f.directory + "/none", submittedAt: Date(), runs: ["x"], imported: [],
      state: "submitted", statement: "train executor=slurm as x")
    session.saveJob(job, RunContext(emit: { items.append($0) }, progress: { _ in }, shouldStop: { false }, statement: ""))
    #expect(session.allJobs() == [job])
    #expect(session.cluster.memoryJobs == [job])
    #expect(Self.run(session, "attach 9", &items).error?.evalue.hasPrefix("cannot read \(f.directory)/none/manifest.json") == true)
  }
}
