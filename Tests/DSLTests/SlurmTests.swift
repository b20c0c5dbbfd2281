import Foundation
import Testing

@testable import DSL
@testable import NN

/// The Slurm executor without a cluster: spool files, array arithmetic, sbatch command lines,
/// Slurm's state outputs, the array task's runner against a local run, and the errors before
/// anything is submitted. (The end-to-end tests against a real one-node Slurm are in Tests/jupyter.)
@Suite struct SlurmTests {
  static func manifest(_ directory: String, runs: [(String, TrainConfig)], pack: Int = 1) -> SlurmManifest {
    let model = ModelSpec(inputWidth: 784, layers: [.init(width: 16, activation: .relu), .init(width: 10)])
    return SlurmManifest(
      runs: runs.map {
        SlurmManifest.Run(name: $0.0, statement: "sweep lr=0.01,0.001 executor=slurm", config: $0.1, model: model)
      },
      pack: pack,
      data: SlurmManifest.DataLocation(
        directory: directory, trainLimit: 120, testLimit: 40, description: "fashion-mnist (test)"),
      options: {
        var o = SlurmOptions()
        o.partition = "debug"
        o.time = "0-00:10:00"
        o.pack = pack
        return o
      }(),
      created: Date(timeIntervalSince1970: 1_764_590_000), kernel: "/opt/nndsl/kernel")
  }

  @Test func manifestRoundTripsThroughTheSpool() throws {
    let f = try SessionFixture(train: 20, test: 10)
    var config = TrainConfig()
    config.lr = 0.01
    config.seed = 9_007_199_254_740_992
    config.zeroGrad = false
    let m = Self.manifest(f.directory, runs: [("a", config), ("b", TrainConfig())], pack: 2)
    let spool = SlurmSpool(directory: f.directory + "/spool/job-1")
    try spool.create()
    try SlurmSpool.write(m, to: spool.manifestPath)
    let read = try spool.manifest()
    #expect(read == m)
    #expect(read.tasks == 1)
    // No temporary file is left beside it.
    let files = try FileManager.default.contentsOfDirectory(atPath: spool.directory)
    #expect(files.sorted() == ["logs", "manifest.json", "progress", "results"])
  }

  @Test func aManifestOfAnotherVersionIsRefused() throws {
    let f = try SessionFixture(train: 20, test: 10)
    var m = Self.manifest(f.directory, runs: [("a", TrainConfig())])
    m.version = 99
    let spool = SlurmSpool(directory: f.directory + "/job")
    try spool.create()
    try SlurmSpool.write(m, to: spool.manifestPath)
    #expect(throws: SlurmError.self) { try spool.manifest() }
  }

  struct PackCase: Sendable, CustomTestStringConvertible {
    var runs: Int, pack: Int, tasks: Int, ranges: [Range<Int>]
    var testDescription: String { "\(runs) runs, pack \(pack)" }
  }

  @Test(arguments: [
    PackCase(runs: 6, pack: 1, tasks: 6, ranges: [0..<1, 1..<2, 2..<3, 3..<4, 4..<5, 5..<6]),
    PackCase(runs: 6, pack: 2, tasks: 3, ranges: [0..<2, 2..<4, 4..<6]),
    PackCase(runs: 7, pack: 3, tasks: 3, ranges: [0..<3, 3..<6, 6..<7]),
    PackCase(runs: 2, pack: 5, tasks: 1, ranges: [0..<2]),
    PackCase(runs: 1, pack: 1, tasks: 1, ranges: [0..<1]),
  ])
  func packingSplitsRunsIntoTasks(_ c: PackCase) {
    #expect(SlurmPacking.tasks(runs: c.runs, pack: c.pack) == c.tasks)
    let ranges = (0..<c.tasks).map { SlurmPacking.runs(ofTask: $0, pack: c.pack, count: c.runs) }
    #expect(ranges == c.ranges)
    for (task, range) in ranges.enumerated() {
      for run in range { #expect(SlurmPacking.task(ofRun: run, pack: c.pack) == task) }
    }
    // A task beyond the array has no runs.
    #expect(SlurmPacking.runs(ofTask: c.tasks, pack: c.pack, count: c.runs).isEmpty)
  }

  struct SbatchCase: Sendable, CustomTestStringConvertible {
    var name: String
    var options: SlurmOptions
    var tasks: Int
    var expected: [String]
    var testDescription: String { name }
  }

  static func options(_ edit: (inout SlurmOptions) -> Void) -> SlurmOptions {
    var o = SlurmOptions()
    edit(&o)
    return o
  }

  static let head = ["--parsable", "--job-name=nndsl-a"]
  static let tail = ["--output=/s/logs/%A_%a.out", "--chdir=/s"]

  @Test(arguments: [
    SbatchCase(
      name: "defaults", options: SlurmOptions(), tasks: 3, expected: head + ["--array=0-2"] + tail + ["/s/job.sh"]),
    SbatchCase(
      name: "every option",
      options: options {
        $0.partition = "gpu"
        $0.time = "90"
        $0.cpus = 4
        $0.gpus = 1
        $0.mem = "4G"
        $0.account = "course"
        $0.qos = "short"
        $0.parallel = 2
      }, tasks: 10,
      expected: head + ["--array=0-9%2"] + tail + [
        "--partition=gpu", "--time=90", "--cpus-per-task=4", "--gpus-per-task=1", "--mem=4G", "--account=course",
        "--qos=short", "/s/job.sh",
      ]),
    SbatchCase(
      name: "extra arguments split like a shell",
      options: options { $0.sbatch = "--constraint=a100  --comment 'two words'" },
      tasks: 1, expected: head + ["--array=0-0"] + tail + ["--constraint=a100", "--comment", "two words", "/s/job.sh"]),
    SbatchCase(
      name: "no GPUs asked",
      options: options {
        $0.gpus = 0
        $0.time = "1-00:00:00"
      }, tasks: 2,
      expected: head + ["--array=0-1"] + tail + ["--time=1-00:00:00", "/s/job.sh"]),
  ])
  func sbatchCommandLine(_ c: SbatchCase) {
    #expect(
      c.options.sbatchArguments(jobName: "nndsl-a", tasks: c.tasks, spool: "/s", script: "/s/job.sh") == c.expected)
  }

  @Test func optionsMergeLikeSet() {
    let first = Self.options {
      $0.partition = "debug"
      $0.pack = 2
    }
    let second = Self.options {
      $0.pack = 4
      $0.mem = "1G"
    }
    let merged = second.merged(over: first)
    #expect(merged.partition == "debug" && merged.pack == 4 && merged.mem == "1G")
    #expect(merged.runsPerTask == 4 && SlurmOptions().runsPerTask == 1)
  }

  @Test(arguments: [
    ("30", true), ("0:30", true), ("12:00:00", true), ("1-00:00:00", true), ("2-12", true), ("1-06:30", true),
    ("UNLIMITED", true), ("1h", false), ("1-", false), ("::", false), ("1:2:3:4", false), ("", false),
  ])
  func timeLimits(_ text: String, _ valid: Bool) {
    #expect(SlurmOptions.isTimeLimit(text) == valid)
  }

  @Test(arguments: [
    ("4G", true), ("500M", true), ("4096", true), ("1t", true), ("G", false), ("4GB", false), ("-1G", false),
  ])
  func memorySizes(_ text: String, _ valid: Bool) {
    #expect(SlurmOptions.isMemory(text) == valid)
  }

  // MARK: - Slurm's outputs (captured from the one-node cluster of scripts/slurm-cluster.sh)

  /// `scontrol show job -o 1` of `--array=0-3%2` (task 1 exits 3) while tasks 2-3 still wait,
  /// cut to the fields that matter.
  static let scontrolPending = """
    JobId=1 ArrayJobId=1 ArrayTaskId=2-3%2 ArrayTaskThrottle=2 JobName=probe UserId=root(0) \
    JobState=PENDING Reason=Resources Dependency=(null) ExitCode=0:0 RunTime=00:00:00
    JobId=3 ArrayJobId=1 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=probe UserId=root(0) \
    JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0 RunTime=00:00:00
    JobId=2 ArrayJobId=1 ArrayTaskId=0 ArrayTaskThrottle=2 JobName=probe UserId=root(0) \
    JobState=COMPLETED Reason=None Dependency=(null) ExitCode=0:0 RunTime=00:00:02

    """

  /// `scontrol show job -o 10` after `scancel 10_1` (the kernel's own job, cut as above).
  static let scontrolCancelled = """
    JobId=10 ArrayJobId=10 ArrayTaskId=2 ArrayTaskThrottle=2 JobName=nndsl-f_lr0p01 \
    JobState=COMPLETED Reason=None ExitCode=0:0
    JobId=12 ArrayJobId=10 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=nndsl-f_lr0p01 \
    JobState=CANCELLED Reason=None ExitCode=0:15
    JobId=11 ArrayJobId=10 ArrayTaskId=0 ArrayTaskThrottle=2 JobName=nndsl-f_lr0p01 \
    JobState=COMPLETED Reason=None ExitCode=0:0

    """

  @Test func scontrolStates() {
    let pending = SlurmStateParser.scontrol(Self.scontrolPending, job: "1")
    #expect(pending[0] == SlurmTaskState(state: .completed, exitCode: "0:0"))
    #expect(pending[1] == SlurmTaskState(state: .failed, exitCode: "3:0", reason: "NonZeroExitCode"))
    #expect(pending[2] == SlurmTaskState(state: .pending, exitCode: "0:0", reason: "Resources"))
    #expect(pending[3] == pending[2])
    #expect(pending.count == 4)
    #expect(pending[1]?.text == "FAILED (exit 3)")
    let cancelled = SlurmStateParser.scontrol(Self.scontrolCancelled, job: "10")
    #expect(cancelled[1]?.state == .cancelled && cancelled[1]?.text == "CANCELLED (signal 15)")
    #expect(cancelled[0]?.state == .completed && cancelled[2]?.state == .completed)
    // Another job's lines are not this job's tasks.
    #expect(SlurmStateParser.scontrol(Self.scontrolCancelled, job: "1").isEmpty)
  }

  @Test func squeueStates() {
    // `squeue -h -r -j 18 -o '%i|%T|%r'` of `--array=0-2%1`.
    let output = "18_1|PENDING|JobArrayTaskLimit\n18_2|PENDING|JobArrayTaskLimit\n18_0|RUNNING|None\n"
    let states = SlurmStateParser.squeue(output, job: "18")
    #expect(states[0] == SlurmTaskState(state: .running))
    #expect(states[1] == SlurmTaskState(state: .pending, reason: "JobArrayTaskLimit"))
    #expect(states[2]?.state.isPending == true)
    // Without -r, pending tasks come as one range.
    #expect(SlurmStateParser.squeue("18_[1-2%1]|PENDING|JobArrayTaskLimit\n", job: "18").keys.sorted() == [1, 2])
  }

  @Test func sacctStates() {
    // `sacct -j 42 -n -P -X -o JobID,State,ExitCode` as sacct prints it on a cluster with accounting.
    let output = """
      42_0|COMPLETED|0:0
      42_1|FAILED|1:0
      42_2|TIMEOUT|0:0
      42_3|OUT_OF_MEMORY|0:125
      42_4|CANCELLED by 0|0:15
      42_5|NODE_FAIL|0:0
      42_[6-7%2]|PENDING|0:0
      42_8.batch|FAILED|1:0
      43_0|COMPLETED|0:0

      """
    let states = SlurmStateParser.sacct(output, job: "42")
    #expect(states.keys.sorted() == Array(0...7))
    #expect(states[0]?.state == .completed && states[1]?.state == .failed && states[2]?.state == .timeout)
    #expect(states[3]?.state == .outOfMemory && states[4]?.state == .cancelled && states[5]?.state == .nodeFail)
    #expect(states[6]?.state == .pending && states[7]?.state == .pending)
    #expect([.timeout, .outOfMemory, .nodeFail, .failed, .cancelled].allSatisfy { (s: SlurmJobState) in s.isFinal })
    #expect(states[1]?.text == "FAILED (exit 1)" && states[4]?.text == "CANCELLED (signal 15)")
  }

  @Test(arguments: [
    ("4", [4]), ("2-3%2", [2, 3]), ("[5-7%2]", [5, 6, 7]), ("1,3-5", [1, 3, 4, 5]), ("0-6:2", [0, 2, 4, 6]),
    ("", []),
  ])
  func taskIDRanges(_ text: String, _ ids: [Int]) {
    #expect(SlurmStateParser.taskIDs(text) == ids)
  }

  // MARK: - The array task

  /// The task trains its runs exactly as a local run with the same configuration: every epoch
  /// record, every per-step value and the final weights are bit-identical.
  @Test func taskRunMatchesALocalRun() throws {
    let f = try SessionFixture(train: 120, test: 40)
    var a = TrainConfig()
    a.epochs = 2
    a.seed = 3
    a.batch = 16
    a.device = .cpu
    var b = a
    b.lr = 0.01
    b.optimizer = .sgd
    b.momentum = 0.9
    let m = Self.manifest(f.directory, runs: [("a", a), ("b", b), ("c", a)], pack: 2)
    let spool = SlurmSpool(directory: f.directory + "/spool")
    try spool.create()
    try SlurmSpool.write(m, to: spool.manifestPath)
    var log: [String] = []
    let code = SlurmTask.run(
      spool: spool.directory, task: 0, environment: ["SLURM_ARRAY_JOB_ID": "77"], log: { log.append($0) })
    #expect(code == 0)
    #expect(spool.result("c") == nil, "task 0 trains runs 0 and 1 only")
    let data = try DataSource.loadFashionMNIST(directory: f.directory, environment: [:]).subset(train: 120, test: 40)
    for (name, config) in [("a", a), ("b", b)] {
      let (result, weights) = try #require(spool.result(name))
      let remote = try #require(result.record)
      #expect(result.origin.hasPrefix("slurm job 77 task 0 on "))
      let local = try Trainer(model: m.runs[0].model, config: config, data: data).run(name: name)
      #expect(remote.status == local.status)
      #expect(remote.epochs.count == 2)
      for (r, l) in zip(remote.epochs, local.epochs) {
        #expect(r.trainLoss == l.trainLoss && r.trainAccuracy == l.trainAccuracy)
        #expect(r.testLoss == l.testLoss && r.testAccuracy == l.testAccuracy)
        #expect(r.gradSqMean == l.gradSqMean && r.weightNorms == l.weightNorms && r.gradNorms == l.gradNorms)
      }
      #expect(remote.stepLoss == local.stepLoss && remote.stepGradSq == local.stepGradSq)
      #expect(weights == local.finalParameters)
      let progress = try #require(spool.progress(name))
      #expect(progress.epoch == 2 && progress.epochs == 2 && progress.testAccuracy == local.epochs.last?.testAccuracy)
    }
    #expect(log.contains { $0.contains("a: epoch 2/2") })
  }

  @Test func aRunThatCannotTrainWritesItsFailure() throws {
    let f = try SessionFixture(train: 40, test: 10)
    var bad = TrainConfig()
    bad.epochs = 1
    bad.device = .gpu  // no GPU here: the trainer refuses it
    let m = Self.manifest(
      f.directory,
      runs: [
        (
          "ok",
          {
            var c = bad
            c.device = .cpu
            return c
          }()
        ), ("nogpu", bad),
      ], pack: 2)
    let spool = SlurmSpool(directory: f.directory + "/spool")
    try spool.create()
    try SlurmSpool.write(m, to: spool.manifestPath)
    let code = SlurmTask.run(spool: spool.directory, task: 0, environment: [:])
    #expect(code == 1)
    #expect(spool.result("ok")?.result.trained == true)
    let failure = try #require(spool.result("nogpu")?.result)
    #expect(!failure.trained && failure.record == nil)
    #expect(failure.error?.contains("GPU") == true)
  }

  @Test func missingDataFailsEveryRunOfTheTask() throws {
    let f = try SessionFixture(train: 20, test: 10)
    let m = Self.manifest(f.directory + "/nowhere", runs: [("a", TrainConfig())])
    let spool = SlurmSpool(directory: f.directory + "/spool")
    try spool.create()
    try SlurmSpool.write(m, to: spool.manifestPath)
    #expect(SlurmTask.run(spool: spool.directory, task: 0, environment: [:]) == 2)
    #expect(spool.result("a")?.result.error?.contains("cannot load the data set") == true)
    #expect(SlurmTask.run(spool: f.directory + "/none", task: 0, environment: [:]) == 2)
  }

  // MARK: - Before anything is submitted

  @Test(arguments: [
    (TrainParam.batch, "invalid training setting: batch must be at least 1 (got 0)"),
    (.epochs, "invalid training setting: epochs must be at least 1 (got 0)"),
    (.threads, "invalid training setting: threads must be in 1...256 (got 0)"),
  ])
  func anInvalidRunIsRefusedBeforeSubmissionLikeALocalTrain(_ param: TrainParam, _ message: String) throws {
    let f = try SessionFixture(train: 40, test: 10)
    let session = Session(environment: ["HOME": f.directory, "PATH": f.directory])
    session.storeDirectory = f.directory
    var items: [OutputItem] = []
    #expect(
      session.execute("\(f.load)\nmodel 784-10", emit: { items.append($0) }, progress: { _ in }, shouldStop: { false })
        == .ok)
    var bad = TrainParams()
    switch param {
    case .batch: bad.batch = 0
    case .epochs: bad.epochs = 0
    case .threads: bad.threads = 0
    default: Issue.record("no invalid value for \(param)")
    }
    let ctx = RunContext(emit: { items.append($0) }, progress: { _ in }, shouldStop: { false }, statement: "sweep")
    func refusal(_ body: () throws -> Void) -> SessionError? {
      do { try body() } catch let e as SessionError { return e } catch { Issue.record("\(error)") }
      return nil
    }
    let local = try #require(refusal { try session.train(bad, name: "l", ctx) })
    let slurm = try #require(refusal { try session.submitToSlurm([("ok", TrainParams()), ("s_bad", bad)], ctx) })
    #expect(local.message == message)
    #expect(slurm.message == message)
    #expect(slurm.hint == "in run 's_bad'; nothing was submitted")
    // Nothing was written: no spool directory.
    #expect(!FileManager.default.fileExists(atPath: session.spoolRoot()))
  }

  @Test(
    arguments: [
      ("echo 'Slurmctld(primary) at head is UP'", nil),
      (
        "echo 'Slurmctld(primary) at head is DOWN'; exit 1",
        "the Slurm controller does not answer: Slurmctld(primary) at head is DOWN"
      ),
      ("exec /bin/sleep 30", "the Slurm controller does not answer: `scontrol ping` gave no answer within 3 s"),
    ] as [(String, String?)])
  func theControllerProbe(_ scontrol: String, _ message: String?) throws {
    let f = try SessionFixture(train: 40, test: 10)
    let bin = f.directory + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    for (tool, body) in [("sbatch", "exit 0"), ("scontrol", scontrol)] {
      try "#!/bin/sh\n\(body)\n".write(toFile: bin + "/" + tool, atomically: true, encoding: .utf8)
      chmod(bin + "/" + tool, 0o755)
    }
    let cli = SlurmCLI(environment: ["PATH": bin])
    do {
      try cli.checkAvailable()
      #expect(message == nil)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func withoutSbatchNothingIsSubmitted() throws {
    let f = try SessionFixture(train: 40, test: 10)
    let empty = f.directory + "/emptybin"
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    let session = Session(environment: ["HOME": f.directory, "PATH": empty])
    session.storeDirectory = f.directory
    var items: [OutputItem] = []
    func run(_ text: String) -> ExecutionOutcome {
      session.execute(text, emit: { items.append($0) }, progress: { _ in }, shouldStop: { false })
    }
    #expect(run("\(f.load)\nmodel 784-10") == .ok)
    let outcome = run("sweep lr=0.1,0.01 executor=slurm as s")
    let error = try #require(outcome.error)
    #expect(error.evalue == "Slurm is not available: sbatch not found on PATH; nothing was submitted")
    #expect(!FileManager.default.fileExists(atPath: f.directory + "/.nndsl/slurm"))
    #expect(session.runNames.isEmpty)
    // The session default does the same; executor=local still trains here.
    #expect(run("set executor=slurm") == .ok)
    #expect(run("train epochs=1 as t").error?.evalue.hasPrefix("Slurm is not available") == true)
    #expect(run("train epochs=1 executor=local as t") == .ok)
    #expect(session.runNames == ["t"])
    // `slurm` alone says why.
    #expect(run("slurm") == .ok)
    let table = try #require(items.compactMap { if case .table(let t) = $0 { return t } else { return nil } }.last)
    #expect(table.footnotes.contains("Slurm is not available: sbatch not found on PATH"))
  }

  @Test func jobsAndAttachWithoutJobs() throws {
    let f = try SessionFixture(train: 20, test: 10)
    #expect(f.run("jobs") == .ok)
    #expect(f.tables.last?.footnotes.first == "no Slurm jobs yet: train or sweep with executor=slurm submits one")
    #expect(f.run("attach").error?.evalue == "there are no Slurm jobs yet")
    #expect(f.run("resubmit 12").error?.evalue == "no Slurm job 12 in this store")
  }

  // MARK: - The run store

  @Test func aVersion2StoreIsMigratedToJobs() throws {
    let f = try SessionFixture()
    let path = f.directory + "/v2.db"
    do {
      let db = try SQLiteDatabase(path: path)
      try RunStore.migrate(db, from: 0, to: 2)
      #expect(try db.scalar("PRAGMA user_version")?.int == 2)
      #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'slurm_jobs'")?.int == 0)
    }
    let store = try RunStore.open(path: path)
    let db = try SQLiteDatabase(path: path)
    #expect(try db.scalar("PRAGMA user_version")?.int == 3)
    #expect(StoreSchema.latest == 3)
    #expect(try store.jobs().isEmpty)
    var job = SlurmJobEntry(
      jobID: "42", cluster: "nndsl-test", spool: "/s/job-1", submittedAt: Date(timeIntervalSince1970: 1000),
      runs: ["a", "b"], imported: [], state: .submitted, statement: "sweep lr=0.1,0.01 executor=slurm")
    try store.save(job)
    job.imported = ["a"]
    job.state = .failed
    try store.save(job)
    // The same id on another cluster is another job.
    var other = job
    other.cluster = "other"
    try store.save(other)
    let reopened = try RunStore.open(path: path)
    #expect(try reopened.jobs() == [job, other])
    #expect(try reopened.jobs()[0].stateText == "failed")
  }

  @Test(arguments: [
    (SlurmRunFailure.failedInTask("boom"), "failed in its task: boom", "failed"),
    (.emptyResult, "its result holds neither a record nor an error", "failed"),
    (
      .notImportable(reason: "busy", result: "/s/results/a.json", job: "7"),
      "failed to come into the session: busy (its result stays in /s/results/a.json; `attach 7` imports it later)",
      "failed"
    ),
    (.cancelled, "cancelled (interrupt)", "cancelled"),
    (
      .taskEnded(SlurmTaskState(state: .timeout, exitCode: "0:15")), "its task ended TIMEOUT (signal 15)",
      "timeout (signal 15)"
    ),
    (.unknownToSlurm, "no result: its task is no longer known to Slurm and wrote none", "failed"),
  ])
  func runFailuresInWords(_ failure: SlurmRunFailure, _ text: String, _ board: String) {
    #expect(failure.text == text)
    #expect(failure.boardState.description == board)
  }

  @Test(arguments: [
    (SlurmJobStatus.submitted, "submitted"), (.finished, "finished"), (.failed, "failed"), (.cancelled, "cancelled"),
    (.resubmitted("42"), "resubmitted:42"),
  ])
  func jobStatusesRoundTripThroughTheStoresText(_ status: SlurmJobStatus, _ text: String) {
    #expect(status.storedText == text)
    #expect(SlurmJobStatus(storedText: text) == status)
  }
}
