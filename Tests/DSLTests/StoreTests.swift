import Foundation
import Testing

@testable import DSL
@testable import NN

/// A session whose default store lives in its fixture's temporary directory.
private func storeFixture(train: Int = 240, test: Int = 60) throws -> SessionFixture {
  let f = try SessionFixture(train: train, test: test)
  f.session.storeDirectory = f.directory
  return f
}

/// A second session (another notebook, or the same one after a restart) on the fixture's store.
private func reopened(_ f: SessionFixture) -> SessionFixture.Other {
  SessionFixture.Other(directory: f.directory)
}

extension SessionFixture {
  /// Another session on the same directory and store, with its own outputs.
  final class Other {
    let session: Session
    var items: [OutputItem] = []
    let directory: String
    init(directory: String, storePath: String? = nil) {
      self.directory = directory
      session = Session(environment: ["HOME": directory])
      session.outputDirectory = directory + "/out"
      session.storeDirectory = directory
      if let storePath {
        session.storeLink.setting = .path(storePath)
      }
    }
    @discardableResult
    func run(_ text: String, stop: @escaping () -> Bool = { false }) -> ExecutionOutcome {
      session.execute(text, emit: { self.items.append($0) }, progress: { _ in }, shouldStop: stop)
    }
    var stderr: String { items.compactMap { if case .stderr(let s) = $0 { return s } else { return nil } }.joined() }
    var stdout: String { items.compactMap { if case .text(let s) = $0 { return s } else { return nil } }.joined() }
    var tables: [Table] { items.compactMap { if case .table(let t) = $0 { return t } else { return nil } } }
    var charts: [Chart] { items.compactMap { if case .chart(let c) = $0 { return c } else { return nil } } }
  }

  var storeFile: String { directory + "/" + StoreLocation.defaultRelativePath }
}

/// Hands a session to a thread (each session is used by one thread only).
private final class Unchecked<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

/// Results written by several threads.
private final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String: Bool] = [:]
  func set(_ key: String, _ value: Bool) {
    lock.lock()
    stored[key] = value
    lock.unlock()
  }
  var values: [String: Bool] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}

private func isOK(_ outcome: ExecutionOutcome) -> Bool {
  if case .ok = outcome { return true }
  return false
}

@Suite struct StoreSessionTests {
  @Test func aRunIsStoredAsItTrainsAndSurvivesARestart() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=2\ntrain as baseline\ntrain lr=0.01 as fast")))
    #expect(FileManager.default.fileExists(atPath: f.storeFile))
    #expect(f.session.storePath == f.storeFile)

    // A new session (a restarted kernel) sees every run with its history and weights.
    let after = reopened(f)
    #expect(after.session.runNames == ["baseline", "fast"])
    #expect(isOK(after.run("runs\ncompare\nplot test_acc\nplot grad_sq per=step\nshow fast")))
    let original = try #require(f.session.runs.first)
    let stored = try #require(after.session.runs.first)
    #expect(stored.epochs.map(\.testAccuracy) == original.epochs.map(\.testAccuracy))
    #expect(stored.stepLoss == original.stepLoss)
    #expect(stored.stepGradSq == original.stepGradSq)
    #expect(stored.config == original.config)
    #expect(stored.status == .finished)
    #expect(after.session.runSources["fast"] == "train lr=0.01 as fast")
    let runsTable = try #require(after.tables.first)
    #expect(runsTable.footnotes.contains { $0.hasPrefix("store: \(f.storeFile), 2 runs") })
    #expect(after.charts.count == 2)
    // eval reads the stored weights; the numbers match the original session's.
    #expect(isOK(after.run("\(f.load)\neval baseline")))
    #expect(isOK(f.run("eval baseline")))
    #expect(after.tables.last?.title == f.tables.last?.title)
    #expect(isOK(after.run("report file=\"r.html\"\nexport file=\"runs.json\"")))
    let report = try String(contentsOfFile: f.directory + "/out/r.html", encoding: .utf8)
    #expect(report.contains("baseline") && report.contains("fast"))
  }

  @Test func reRunningANamedTrainingReplacesTheRunWithANote() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain as baseline")))
    #expect(isOK(f.run("train lr=0.01 as baseline")))
    #expect(f.stderr.contains("note: replaced run 'baseline' (trained "))
    #expect(f.session.runNames == ["baseline"])
    #expect(f.session.runs[0].config.lr == 0.01)
    let after = reopened(f)
    #expect(after.session.runNames == ["baseline"])
    #expect(after.session.runs[0].config.lr == 0.01)
    // A sweep re-run replaces its runs too.
    #expect(isOK(f.run("sweep batch=16,64 as bs")))
    #expect(isOK(f.run("sweep batch=16,64 as bs")))
    #expect(f.session.runNames == ["baseline", "bs_batch16", "bs_batch64"])
  }

  @Test func dropAndRenameReachTheStore() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain\ntrain\ntrain")))
    #expect(isOK(f.run("rename run1 baseline\ndrop run2")))
    #expect(f.stdout.contains("renamed run 'run1' to 'baseline'"))
    #expect(f.stdout.contains("dropped run 'run2' from the store \(f.storeFile)"))
    let after = reopened(f)
    #expect(after.session.runNames == ["baseline", "run3"])
    // Automatic names skip the stored ones.
    #expect(isOK(after.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain\ntrain")))
    #expect(after.session.runNames == ["baseline", "run3", "run1", "run2"])
    let rows = try SQLiteDatabase(path: f.storeFile).query("SELECT count(*) FROM epochs")
    #expect(rows.first?.first?.int == 4)
  }

  @Test func anInterruptedRunKeepsItsFinishedEpochsInTheStore() throws {
    let f = try storeFixture(train: 480)
    _ = f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=3 batch=16\ntrain as cut", stopAfter: 45)
    let after = reopened(f)
    #expect(after.session.runNames == ["cut"])
    let cut = try #require(after.session.runs.first)
    guard case .interrupted = cut.status else {
      Issue.record("status \(cut.status)")
      return
    }
    #expect(cut.epochs.count == 2)
    #expect(cut.stepLoss.count == 45)
    #expect(cut.epochs[1].steps == 15)
  }

  @Test func aRunLeftRunningByAnEndedProcessShowsAsInterrupted() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=2\ntrain as done")))
    // What a killed kernel leaves: a row marked running with its first epoch, and no claim.
    let finished = f.session.runs[0]
    var partial = finished
    partial.epochs = [finished.epochs[0]]
    partial.stepLoss = Array(finished.stepLoss.prefix(finished.epochs[0].steps))
    partial.stepGradSq = finished.stepGradSq.map { Array($0.prefix(finished.epochs[0].steps)) }
    partial.name = "crashed"
    do {
      let store = try RunStore.open(path: f.storeFile)
      let id = try store.begin(
        RunDraft(
          name: "crashed", statement: "train as crashed", model: partial.model, config: partial.config,
          dataset: "fixture", origin: "a process that died", startedAt: Date())
      ).id
      var mark = StoreMark()
      try store.write(partial, id: id, mark: &mark, final: false)
      // While its store is open the run counts as training elsewhere.
      let other = reopened(f)
      #expect(other.session.runNames == ["done", "crashed"])
      #expect(other.session.statusText(other.session.runs[1]).hasPrefix("running (1/2 epochs so far"))
    }
    let after = reopened(f)
    _ = after.run("runs")
    #expect(after.stderr.contains("note: run 'crashed' was still marked running by a process that has ended"))
    let crashed = try #require(after.session.runs.last)
    #expect(crashed.status == .interrupted(epoch: 2, step: 1))
    #expect(crashed.epochs.count == 1)
    #expect(crashed.notes.last?.contains("the store keeps its 1 finished epoch") == true)
    #expect(isOK(after.run("\(f.load)\neval crashed")) == false)
    #expect(isOK(after.run("eval done")))
  }

  @Test func twoSessionsTrainingIntoOneStoreAtOnceKeepEveryRun() throws {
    let f = try storeFixture()
    let a = SessionFixture.Other(directory: f.directory)
    let b = SessionFixture.Other(directory: f.directory)
    let setup = "\(f.load)\nmodel 784-16-relu-10\nset epochs=2"
    #expect(isOK(a.run(setup)) && isOK(b.run(setup)))
    let group = DispatchGroup()
    let outcomes = Outcomes()
    for (session, prefix, lr) in [(a, "a", "0.01"), (b, "b", "0.002")] {
      group.enter()
      let box = Unchecked(session)
      Thread {
        let ok = isOK(
          box.value.run("train lr=\(lr) as \(prefix)1\ntrain lr=\(lr) as \(prefix)2\ntrain lr=\(lr) as \(prefix)3"))
        outcomes.set(prefix, ok)
        group.leave()
      }.start()
    }
    group.wait()
    #expect(outcomes.values == ["a": true, "b": true])
    let after = reopened(f)
    #expect(
      Set(after.session.runNames) == ["a1", "a2", "a3", "b1", "b2", "b3"],
      "a: \(a.stderr) b: \(b.stderr) after: \(after.stderr)")
    for r in after.session.runs {
      #expect(r.config.lr == (r.name.hasPrefix("a") ? 0.01 : 0.002), "\(r.name)")
      #expect(r.epochs.map(\.epoch) == [1, 2], "\(r.name)")
      #expect(r.stepLoss.count == 2 * r.epochs[0].steps, "\(r.name)")
      #expect(r.status == .finished)
    }
    // What the store holds is what the training session computed.
    let a1 = try #require(after.session.runs.first { $0.name == "a1" })
    let local = try #require(a.session.runs.first { $0.name == "a1" })
    #expect(a1.stepLoss == local.stepLoss)
  }

  @Test func aNameTrainedNowByAnotherSessionIsRefused() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1")))
    let store = try RunStore.open(path: f.storeFile)
    _ = try store.begin(
      RunDraft(
        name: "busy", statement: "train as busy",
        model: ModelSpec(inputWidth: 784, layers: [.init(width: 10, activation: nil)]),
        config: TrainConfig(), dataset: "", origin: "the other notebook", startedAt: Date()))
    let outcome = f.run("train as busy")
    guard case .failed(let error) = outcome else {
      Issue.record("trained over a running run")
      return
    }
    #expect(error.evalue.contains("run 'busy' is being trained right now by another session (the other notebook)"))
    #expect(isOK(f.run("drop busy")) == false)
  }

  @Test func storeOffAndStorePathsSwitchWhereRunsGo() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("set store=off\n\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain as mem")))
    #expect(!FileManager.default.fileExists(atPath: f.storeFile))
    #expect(f.stdout.contains("store off: runs are kept in memory only"))
    #expect(isOK(f.run("set store=\"elsewhere\"")))
    let elsewhere = f.directory + "/elsewhere/runs.db"
    #expect(FileManager.default.fileExists(atPath: elsewhere) == false)  // "elsewhere" was not a directory
    let file = f.directory + "/elsewhere"
    #expect(FileManager.default.fileExists(atPath: file))
    #expect(f.stdout.contains("saved 1 run of this session into it"))
    let other = SessionFixture.Other(directory: f.directory, storePath: file)
    #expect(other.session.runNames == ["mem"])
    // The environment variable chooses the store; off turns it off.
    let viaEnv = Session(environment: ["HOME": f.directory, "NNDSL_STORE": file])
    #expect(viaEnv.runNames == ["mem"])
    let offEnv = Session(environment: ["HOME": f.directory, "NNDSL_STORE": "off"])
    offEnv.storeDirectory = f.directory
    #expect(offEnv.storePath == nil)
  }

  @Test func completionOffersStoredRunNames() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain as baseline")))
    let after = reopened(f)
    let result = Completer.complete("show ba", cursor: 7, runs: after.session.runNames)
    #expect(result.matches == ["baseline"])
    #expect(Completer.complete("drop ", cursor: 5, runs: after.session.runNames).matches.contains("baseline"))
  }
}

/// The bad stores: each is named in a warning that says what to do, training goes on in memory,
/// and the file is left exactly as it was.
@Suite struct BadStoreTests {
  /// Trains one run in a session whose store is `path`; returns its stderr.
  private func trainAgainst(_ f: SessionFixture, path: String) -> (ok: Bool, stderr: String, session: Session) {
    let s = SessionFixture.Other(directory: f.directory, storePath: path)
    s.session.storeLink.busySeconds = 0.3
    let ok = isOK(s.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain as kept\nruns"))
    return (ok && s.session.runNames == ["kept"], s.stderr, s.session)
  }

  private func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

  @Test func aFileThatIsNotSQLite() throws {
    let f = try SessionFixture()
    let path = f.directory + "/notes.db"
    try Data("these are my notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
    let before = bytes(path)
    let r = trainAgainst(f, path: path)
    #expect(r.ok)
    #expect(r.stderr.contains("warning: the run store \(path) is not an SQLite database"))
    #expect(r.stderr.contains("it is left untouched"))
    #expect(r.stderr.contains("training still works: runs of this session are kept in memory only"))
    #expect(bytes(path) == before)
    #expect(r.session.storeSummary().hasPrefix("store unusable"))
  }

  @Test func aCorruptStore() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain as first")))
    let path = f.storeFile
    // Checkpoint the log into the file, then damage a page past the header.
    _ = try SQLiteDatabase(path: path).query("PRAGMA wal_checkpoint(TRUNCATE)")
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    handle.seek(toFileOffset: 4096 * 2)
    handle.write(Data(repeating: 0xA5, count: 8000))
    try handle.close()
    let before = bytes(path)
    let r = trainAgainst(f, path: path)
    #expect(r.ok)
    #expect(r.stderr.contains("warning: the run store \(path) is damaged"))
    #expect(r.stderr.contains("sqlite3 \(path) .recover"))
    #expect(bytes(path) == before)
  }

  @Test func anotherProgramsDatabase() throws {
    let f = try SessionFixture()
    let path = f.directory + "/app.sqlite"
    try SQLiteDatabase(path: path).execute(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x')")
    let before = bytes(path)
    let r = trainAgainst(f, path: path)
    #expect(r.ok)
    #expect(r.stderr.contains("\(path) is an SQLite database of another program, not an NN DSL run store"))
    #expect(bytes(path) == before)
  }

  @Test func aStoreFromANewerKernel() throws {
    let f = try SessionFixture()
    let path = f.directory + "/future.db"
    try SQLiteDatabase(path: path).execute(
      "PRAGMA application_id=\(StoreSchema.applicationID); PRAGMA user_version=99; CREATE TABLE runs (id INTEGER)")
    let before = bytes(path)
    let r = trainAgainst(f, path: path)
    #expect(r.ok)
    #expect(
      r.stderr.contains(
        "the run store \(path) has schema version 99, written by a newer NN DSL kernel (this "
          + "one knows up to version \(StoreSchema.latest))"))
    #expect(bytes(path) == before)
  }

  @Test func aLockedStore() throws {
    let f = try storeFixture()
    #expect(isOK(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1\ntrain as first")))
    let holder = try SQLiteDatabase(path: f.storeFile)
    try holder.execute("BEGIN EXCLUSIVE")
    defer { try? holder.execute("ROLLBACK") }
    let r = trainAgainst(f, path: f.storeFile)
    #expect(r.stderr.contains("warning: the run store \(f.storeFile) is locked by another program"))
    #expect(r.stderr.contains("close the program that holds it"))
    #expect(r.stderr.contains("run 'kept' is trained and kept in memory only"))
    // The stored run is still listed next to the one kept in memory.
    #expect(r.session.runNames == ["first", "kept"])
  }

  @Test func aDirectoryInTheWay() throws {
    let f = try SessionFixture()
    let path = f.directory + "/blocked"
    try Data("a file".utf8).write(to: URL(fileURLWithPath: path))
    let r = trainAgainst(f, path: path + "/runs.db")
    #expect(r.ok)
    #expect(r.stderr.contains("cannot create the directory of the run store \(path)/runs.db"))
  }

  /// Root ignores permission bits; Tests/jupyter/test_store.py runs this case as an unprivileged user.
  @Test(.enabled(if: geteuid() != 0, "root ignores permission bits"))
  func aReadOnlyDirectory() throws {
    let f = try SessionFixture()
    let dir = f.directory + "/ro"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    chmod(dir, 0o555)
    defer { chmod(dir, 0o755) }
    let r = trainAgainst(f, path: dir + "/sub/runs.db")
    #expect(r.ok)
    #expect(r.stderr.contains("run store \(dir)/sub/runs.db"))
  }
}

@Suite struct StoreSchemaTests {
  @Test func anAutomaticNameTakenMeanwhileBecomesTheNextFreeOne() throws {
    let f = try SessionFixture()
    let store = try RunStore.open(path: f.directory + "/auto.db")
    let model = ModelSpec(inputWidth: 784, layers: [.init(width: 10, activation: nil)])
    func draft(_ name: String, automatic: Bool) -> RunDraft {
      RunDraft(
        name: name, statement: "train", model: model, config: TrainConfig(), dataset: "", origin: "test",
        startedAt: Date(), automaticName: automatic)
    }
    #expect(try store.begin(draft("run1", automatic: true)).name == "run1")
    #expect(try store.begin(draft("run1", automatic: true), avoiding: ["run2"]).name == "run3")
    // A name the user chose replaces the stored run instead.
    let chosen = try store.begin(draft("run1", automatic: false))
    #expect(chosen.name == "run1" && chosen.replaced)
    #expect(try store.headers().map(\.name) == ["run3", "run1"])
  }

  @Test func aVersion1StoreIsMigrated() throws {
    let f = try SessionFixture()
    let path = f.directory + "/v1.db"
    do {
      let db = try SQLiteDatabase(path: path)
      try RunStore.migrate(db, from: 0, to: 1)
      #expect(try db.scalar("PRAGMA user_version")?.int == 1)
      try db.execute(
        """
        INSERT INTO runs (name, statement, model, model_json, config_json, dataset, status, backend, device,
                          notes_json, parameter_names_json, started_at, origin)
        VALUES ('old', 'train as old', '784-10', '{"inputWidth":784,"layers":[{"width":10}]}',
                '\(String(decoding: try JSONEncoder().encode(TrainConfig()), as: UTF8.self))', 'fashion', 'finished',
                'cpu', 'cpu', '[]', '["w1","b1"]', 0, 'an old kernel')
        """)
    }
    let store = try RunStore.open(path: path)
    let db = try SQLiteDatabase(path: path)
    #expect(try db.scalar("PRAGMA user_version")?.int == StoreSchema.latest)
    let headers = try store.headers()
    #expect(headers.map(\.name) == ["old"])
    let old = try #require(try store.load(id: headers[0].id))
    #expect(old.record.status == .finished)
    #expect(old.hasWeights == false)
  }

  @Test func floatBlobsRoundTrip() {
    let floats: [Float] = [0, -1.5, .infinity, 3.25e-7, .greatestFiniteMagnitude]
    #expect(FloatBlob.decodeFloats(FloatBlob.encode(floats)) == floats)
    #expect(FloatBlob.encode(floats).count == 20)
    let doubles = [1.0, -2.5e300, 0]
    #expect(FloatBlob.decodeDoubles(FloatBlob.encode(doubles)) == doubles)
  }

  @Test func theStoreIsInWALModeWithABusyTimeout() throws {
    let f = try SessionFixture()
    let store = try RunStore.open(path: f.directory + "/w.db", busySeconds: 2)
    #expect(store.busySeconds == 2)
    let db = try SQLiteDatabase(path: f.directory + "/w.db")
    #expect(try db.scalar("PRAGMA journal_mode")?.string == "wal")
    #expect(try db.scalar("PRAGMA application_id")?.int == Int(StoreSchema.applicationID))
  }
}
