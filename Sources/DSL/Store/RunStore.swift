import Foundation
import NN

/// A run store: one SQLite file (WAL mode) holding every run of the notebooks and scripts that
/// share it, written as training happens.
///
/// Writes are short `BEGIN IMMEDIATE` transactions, so several kernels can write one store at
/// once; the busy timeout lets a writer wait for another's transaction to end. Runs being trained
/// are marked running and claimed in `RunLiveness`, so a run whose process died is told apart
/// from one that is still training.
final class RunStore {
  /// The database file.
  let path: String
  let db: SQLiteDatabase
  private let liveness: RunLiveness?
  /// How long a write waits for another connection's lock.
  let busySeconds: Double

  private static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }()
  private static let decoder: JSONDecoder = {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }()

  private init(path: String, db: SQLiteDatabase, liveness: RunLiveness?, busySeconds: Double) {
    self.path = path
    self.db = db
    self.liveness = liveness
    self.busySeconds = busySeconds
  }

  // MARK: - Opening

  /// Opens the store at `path`, creating it (and its directory) when missing and migrating an
  /// older schema. Refuses, without changing the file, anything that is not a run store of a
  /// schema this kernel knows.
  static func open(path: String, busySeconds: Double = 5) throws(StoreProblem) -> RunStore {
    let fm = FileManager.default
    let directory = (path as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    if !directory.isEmpty, !fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
      do {
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw .cannotCreateDirectory(path: path, reason: Self.reason(error))
      }
    } else if !directory.isEmpty, !isDirectory.boolValue {
      throw .cannotCreateDirectory(path: path, reason: "\(directory) is a file")
    }
    if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
      if isDirectory.boolValue { throw .isDirectory(path: path) }
      if let header = FileHandle(forReadingAtPath: path).map({ h in
        defer { try? h.close() }
        return h.readData(ofLength: 16)
      }),
        !header.isEmpty, header != Data("SQLite format 3\0".utf8)
      {
        throw .notSQLite(path: path)
      }
    }
    let existed = fm.fileExists(atPath: path)
    let db: SQLiteDatabase
    do {
      db = try SQLiteDatabase(path: path)
    } catch {
      throw problem(error, path: path, busySeconds: busySeconds)
    }
    db.setBusyTimeout(milliseconds: Int32(busySeconds * 1000))
    // While another kernel creates or recovers the same store, SQLite answers some of these
    // statements with SQLITE_BUSY at once, without waiting (schema and WAL set-up): the whole
    // sequence is tried again until the busy timeout.
    let openDeadline = Date(timeIntervalSinceNow: busySeconds)
    while true {
      do {
        try prepare(db, path: path, existed: existed, busySeconds: busySeconds)
        break
      } catch let problem as StoreProblem {
        throw problem
      } catch let error as SQLiteError {
        if error.isBusy, Date() < openDeadline {
          usleep(20_000)
          continue
        }
        throw Self.problem(error, path: path, busySeconds: busySeconds)
      } catch {
        throw .failed(path: path, detail: "\(error)")
      }
    }
    return RunStore(path: path, db: db, liveness: RunLiveness(storePath: path), busySeconds: busySeconds)
  }

  /// Identifies, checks and migrates an opened store file and switches it to WAL mode.
  private static func prepare(_ db: SQLiteDatabase, path: String, existed: Bool, busySeconds: Double) throws {
    do {
      // Identify the file before anything writes to it, in one read snapshot: another kernel
      // creating the store meanwhile must not be seen half (its tables without its application id).
      try db.execute("BEGIN")
      let appID: Int
      let version: Int
      let objects: Int
      do {
        appID = try db.scalar("PRAGMA application_id")?.int ?? 0
        version = try db.scalar("PRAGMA user_version")?.int ?? 0
        objects = try db.scalar("SELECT count(*) FROM sqlite_schema")?.int ?? 0
        try db.execute("COMMIT")
      } catch {
        try? db.execute("ROLLBACK")
        throw error
      }
      if appID != Int(StoreSchema.applicationID) && (appID != 0 || objects > 0) {
        throw StoreProblem.foreignDatabase(path: path)
      }
      if version > StoreSchema.latest {
        throw StoreProblem.newerSchema(path: path, found: version, known: StoreSchema.latest)
      }
      if existed, objects > 0 {
        let check = try db.query("PRAGMA quick_check").compactMap { $0.first?.string }
        if check != ["ok"] {
          throw StoreProblem.corrupt(path: path, detail: check.prefix(2).joined(separator: "; "))
        }
      }
      // SQLite answers with the old mode while another connection holds a lock (two kernels
      // creating the store at once): try again until the busy timeout.
      var mode = ""
      let deadline = Date(timeIntervalSinceNow: busySeconds)
      while true {
        mode = try db.scalar("PRAGMA journal_mode=WAL")?.string?.lowercased() ?? ""
        if mode == "wal" || Date() > deadline { break }
        usleep(20_000)
      }
      if mode != "wal" {
        throw StoreProblem.failed(path: path, detail: "cannot switch to WAL mode (journal mode \(mode))")
      }
      try db.execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")
      try migrate(db, from: version)
    }
  }

  /// Brings the schema from `version` to the latest in one transaction.
  static func migrate(_ db: SQLiteDatabase, from version: Int, to target: Int = StoreSchema.latest) throws {
    guard version < target else { return }
    try db.writeTransaction {
      // Re-read inside the lock: another kernel may have migrated meanwhile.
      let current = try db.scalar("PRAGMA user_version")?.int ?? 0
      guard current < target else { return }
      for script in StoreSchema.migrations[current..<target] { try db.execute(script) }
      try db.execute("PRAGMA user_version=\(target); PRAGMA application_id=\(StoreSchema.applicationID)")
    }
  }

  /// The store problem an SQLite failure stands for.
  static func problem(_ error: SQLiteError, path: String, busySeconds: Double) -> StoreProblem {
    if error.isBusy { return .locked(path: path, seconds: busySeconds) }
    if error.isNotADatabase { return .notSQLite(path: path) }
    if error.isCorrupt { return .corrupt(path: path, detail: error.message) }
    if error.isReadOnly { return .readOnly(path: path, detail: error.message) }
    return .failed(path: path, detail: error.description)
  }

  private static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return ns.localizedDescription
  }

  /// Runs `body`, turning SQLite failures into store problems.
  func guarded<T>(_ body: () throws -> T) throws(StoreProblem) -> T {
    do {
      return try body()
    } catch let problem as StoreProblem {
      throw problem
    } catch let error as SQLiteError {
      throw Self.problem(error, path: path, busySeconds: busySeconds)
    } catch {
      throw .failed(path: path, detail: "\(error)")
    }
  }

  // MARK: - Reading

  /// Every run's id, name and revision, in the order they were started.
  func headers() throws(StoreProblem) -> [StoredRunHeader] {
    try guarded {
      try db.query("SELECT id, name, revision, status FROM runs ORDER BY id").map {
        StoredRunHeader(
          id: Int64($0[0].int ?? 0), name: $0[1].string ?? "", revision: $0[2].int ?? 0,
          running: $0[3].string == "running")
      }
    }
  }

  /// One run with its epochs and per-step series (not its weights).
  func load(id: Int64) throws(StoreProblem) -> StoredRun? {
    try guarded { () throws -> StoredRun? in
      // One read transaction: a consistent snapshot while another kernel writes.
      try db.execute("BEGIN")
      defer { try? db.execute("COMMIT") }
      return try readRun(id: id)
    }
  }

  /// Reads one run inside the caller's transaction.
  private func readRun(id: Int64) throws -> StoredRun? {
    guard
      let row = try db.query(
        """
        SELECT name, statement, model_json, config_json, dataset, status, status_epoch, status_step,
               backend, device, notes_json, gpu_evidence_json, parameter_names_json, train_s, total_s,
               steps_per_s, started_at, ended_at, origin, revision,
               (SELECT count(*) FROM weights WHERE run_id = runs.id)
        FROM runs WHERE id = ?1
        """, [.integer(id)]
      ).first
    else { return nil }
    let model = try Self.decode(ModelSpec.self, row[2])
    let config = try Self.decode(TrainConfig.self, row[3])
    let epochs = try db.query(
      """
      SELECT epoch, train_loss, train_acc, test_loss, test_acc, grad_sq_mean, grad_sq_sum,
             weight_norms, grad_norms, seconds, steps
      FROM epochs WHERE run_id = ?1 ORDER BY epoch
      """, [.integer(id)]
    ).map { e in
      EpochRecord(
        epoch: e[0].int ?? 0, trainLoss: e[1].double, trainAccuracy: e[2].double, testLoss: e[3].double,
        testAccuracy: e[4].double, gradSqMean: FloatBlob.decodeDoubles(e[5].bytes),
        gradSqSum: FloatBlob.decodeDoubles(e[6].bytes), weightNorms: FloatBlob.decodeDoubles(e[7].bytes),
        gradNorms: FloatBlob.decodeDoubles(e[8].bytes), seconds: e[9].double, steps: e[10].int ?? 0)
    }
    let layers = model.linearCount
    var stepLoss: [Float] = []
    var stepGradSq: [[Float]] = Array(repeating: [], count: layers)
    for chunk in try db.query(
      "SELECT steps, loss, grad_sq FROM series WHERE run_id = ?1 ORDER BY first_step", [.integer(id)])
    {
      let n = chunk[0].int ?? 0
      stepLoss += FloatBlob.decodeFloats(chunk[1].bytes)
      let grad = FloatBlob.decodeFloats(chunk[2].bytes)
      for l in 0..<layers where (l + 1) * n <= grad.count {
        stepGradSq[l] += grad[(l * n)..<((l + 1) * n)]
      }
    }
    let statusText = row[5].string ?? "interrupted"
    let statusEpoch = row[6].int ?? 0
    let statusStep = row[7].int ?? 0
    let status: RunStatus
    switch statusText {
    case "finished": status = .finished
    case "diverged": status = .diverged(epoch: statusEpoch, step: statusStep)
    case "running": status = .interrupted(epoch: epochs.count + 1, step: 1)
    case "interrupted": status = .interrupted(epoch: statusEpoch, step: statusStep)
    default:
      // The schema's CHECK allows only the four texts above; anything else reads as interrupted.
      status = .interrupted(epoch: statusEpoch, step: statusStep)
    }
    let name = row[0].string ?? ""
    let record = RunRecord(
      name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq, stepLoss: stepLoss,
      status: status, trainSeconds: row[13].double, totalSeconds: row[14].double,
      stepsPerSecond: row[15].double, backend: row[8].string ?? "", deviceName: row[9].string ?? "",
      parameterNames: try Self.decode([String].self, row[12]), finalParameters: [],
      notes: try Self.decode([String].self, row[10]),
      gpuEvidence: row[11] == .null ? nil : try Self.decode(GPUEvidence.self, row[11]))
    return StoredRun(
      id: id, revision: row[19].int ?? 0, record: record, statement: row[1].string ?? "",
      dataset: row[4].string ?? "", startedAt: Date(timeIntervalSince1970: row[16].double),
      endedAt: row[17] == .null ? nil : Date(timeIntervalSince1970: row[17].double),
      origin: row[18].string ?? "", running: statusText == "running", hasWeights: (row[20].int ?? 0) > 0)
  }

  /// The stored final parameters of run `id`, or nil when none were kept.
  func weights(id: Int64) throws(StoreProblem) -> [Float]? {
    try guarded {
      guard let blob = try db.scalar("SELECT data FROM weights WHERE run_id = ?1", [.integer(id)]) else { return nil }
      return FloatBlob.decodeFloats(blob.bytes)
    }
  }

  /// Bytes on disk: the database and its write-ahead log.
  var sizeOnDisk: Int {
    [path, path + "-wal"].reduce(0) { total, file in
      total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    }
  }

  // MARK: - Training

  /// Whether run `id` is being trained by another session now.
  func inTrainingElsewhere(_ id: Int64) -> Bool { liveness?.heldElsewhere(id) ?? false }

  /// Starts a run: replaces a run of the same name (unless another session trains it), inserts
  /// the new row as running and claims it. An automatic name already in the store becomes the
  /// next `run<k>` free in the store and in `avoiding`. Returns the new id, whether a run was
  /// replaced, and the name stored.
  func begin(_ draft: RunDraft, avoiding: Set<String> = []) throws(StoreProblem) -> (
    id: Int64, replaced: Bool, name: String
  ) {
    try guarded {
      try db.writeTransaction { () throws -> (Int64, Bool, String) in
        var draft = draft
        if draft.automaticName, try db.scalar("SELECT id FROM runs WHERE name = ?1", [.text(draft.name)]) != nil {
          let stored = Set(try db.query("SELECT name FROM runs").compactMap { $0.first?.string })
          draft.name = RunNaming.automatic { stored.contains($0) || avoiding.contains($0) }
        }
        var replaced = false
        if let old = try db.scalar("SELECT id FROM runs WHERE name = ?1", [.text(draft.name)])?.int {
          let oldID = Int64(old)
          if inTrainingElsewhere(oldID) {
            throw StoreProblem.runInUse(path: path, name: draft.name, origin: try origin(of: oldID))
          }
          try db.query("DELETE FROM runs WHERE id = ?1", [.integer(oldID)])
          replaced = true
        }
        try db.query(
          """
          INSERT INTO runs (name, statement, model, model_json, config_json, dataset, status, backend, device,
                            notes_json, parameter_names_json, started_at, origin)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running', '', '', '[]', ?7, ?8, ?9)
          """,
          [
            .text(draft.name), .text(draft.statement), .text(draft.model.description),
            .text(try Self.json(draft.model)), .text(try Self.json(draft.config)), .text(draft.dataset),
            .text(try Self.json(draft.model.parameterNames)), .real(draft.startedAt.timeIntervalSince1970),
            .text(draft.origin),
          ])
        let id = db.lastInsertRowID
        // Claimed before the commit, so no other session ever sees the row running and unclaimed.
        _ = liveness?.claim(id)
        return (id, replaced, draft.name)
      }
    }
  }

  /// Stores what `record` holds beyond `mark` (new epochs and steps, the status, times, notes);
  /// with `final`, also the end time and the weights, and releases the run's claim.
  /// Returns the run's new revision.
  @discardableResult
  func write(_ record: RunRecord, id: Int64, mark: inout StoreMark, final: Bool) throws(StoreProblem) -> Int {
    var next = mark
    let revision = try guarded {
      try db.writeTransaction { () throws -> Int in
        // A run that started over (the GPU failed and the CPU trained it again) replaces what was stored.
        let restarted =
          record.epochs.count < next.epochs || record.stepLoss.count < next.steps
          || (next.epochs > 0 && record.epochs[next.epochs - 1].seconds != next.lastEpochSeconds)
        if restarted {
          try db.query("DELETE FROM epochs WHERE run_id = ?1", [.integer(id)])
          try db.query("DELETE FROM series WHERE run_id = ?1", [.integer(id)])
          next = StoreMark()
        }
        let insertEpoch = try db.prepare(
          """
          INSERT INTO epochs (run_id, epoch, train_loss, train_acc, test_loss, test_acc, grad_sq_mean,
                              grad_sq_sum, weight_norms, grad_norms, seconds, steps)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
          """)
        for e in record.epochs[next.epochs...] {
          try insertEpoch.bind([
            .integer(id), .integer(Int64(e.epoch)), .real(e.trainLoss), .real(e.trainAccuracy), .real(e.testLoss),
            .real(e.testAccuracy), .blob(FloatBlob.encode(e.gradSqMean)), .blob(FloatBlob.encode(e.gradSqSum)),
            .blob(FloatBlob.encode(e.weightNorms)), .blob(FloatBlob.encode(e.gradNorms)), .real(e.seconds),
            .integer(Int64(e.steps)),
          ])
          _ = try insertEpoch.rows()
        }
        let steps = record.stepLoss.count
        if steps > next.steps {
          var grad: [UInt8] = []
          for layer in record.stepGradSq {
            grad += FloatBlob.encode(layer[next.steps..<min(steps, layer.count)])
          }
          try db.query(
            "INSERT INTO series (run_id, first_step, steps, loss, grad_sq) VALUES (?1, ?2, ?3, ?4, ?5)",
            [
              .integer(id), .integer(Int64(next.steps)), .integer(Int64(steps - next.steps)),
              .blob(FloatBlob.encode(record.stepLoss[next.steps...])), .blob(grad),
            ])
        }
        let (status, epoch, step) = final ? Self.statusColumns(record.status) : ("running", 0, 0)
        try db.query(
          """
          UPDATE runs SET status = ?2, status_epoch = ?3, status_step = ?4, backend = ?5, device = ?6,
                          notes_json = ?7, gpu_evidence_json = ?8, train_s = ?9, total_s = ?10,
                          steps_per_s = ?11, ended_at = ?12, revision = revision + 1
          WHERE id = ?1
          """,
          [
            .integer(id), .text(status), .integer(Int64(epoch)), .integer(Int64(step)), .text(record.backend),
            .text(record.deviceName), .text(try Self.json(record.notes)),
            record.gpuEvidence.map { .text(try Self.json($0)) } ?? .null, .real(record.trainSeconds),
            .real(record.totalSeconds), .real(record.stepsPerSecond),
            final ? .real(Date().timeIntervalSince1970) : .null,
          ])
        if final, !record.finalParameters.isEmpty {
          try db.query(
            "INSERT OR REPLACE INTO weights (run_id, count, data) VALUES (?1, ?2, ?3)",
            [
              .integer(id), .integer(Int64(record.finalParameters.count)),
              .blob(FloatBlob.encode(record.finalParameters)),
            ])
        }
        next.epochs = record.epochs.count
        next.steps = steps
        next.lastEpochSeconds = record.epochs.last?.seconds ?? .nan
        return try db.scalar("SELECT revision FROM runs WHERE id = ?1", [.integer(id)])?.int ?? 0
      }
    }
    mark = next
    if final { liveness?.release(id) }
    return revision
  }

  /// Ends this session's claim on a run it will not write again (the final write failed).
  func abandon(id: Int64) { liveness?.release(id) }

  /// The status column values of a finished, diverged or interrupted run.
  private static func statusColumns(_ status: RunStatus) -> (String, Int, Int) {
    switch status {
    case .finished: return ("finished", 0, 0)
    case .diverged(let epoch, let step): return ("diverged", epoch, step)
    case .interrupted(let epoch, let step): return ("interrupted", epoch, step)
    }
  }

  /// Marks runs left "running" by a process that ended as interrupted after their last stored
  /// epoch. `own` are the ids this session is training. Returns the names marked.
  func recoverAbandoned(own: Set<Int64>) throws(StoreProblem) -> [String] {
    guard let liveness else { return [] }
    let candidates = try headers().filter { $0.running && !own.contains($0.id) && !liveness.heldElsewhere($0.id) }
    guard !candidates.isEmpty else { return [] }
    return try guarded {
      try db.writeTransaction { () throws -> [String] in
        var marked: [String] = []
        for run in candidates {
          // Re-checked under the write lock: the owner may have finished it meanwhile.
          guard try db.scalar("SELECT status FROM runs WHERE id = ?1", [.integer(run.id)])?.string == "running",
            !liveness.heldElsewhere(run.id)
          else { continue }
          let epochs = try db.scalar("SELECT count(*) FROM epochs WHERE run_id = ?1", [.integer(run.id)])?.int ?? 0
          let notesJSON = try db.scalar("SELECT notes_json FROM runs WHERE id = ?1", [.integer(run.id)])
          var notes = (try? Self.decode([String].self, notesJSON ?? .text("[]"))) ?? []
          notes.append(
            "the process training this run ended before it finished (a crash, kill or kernel restart); "
              + "the store keeps its \(epochs) finished epoch\(epochs == 1 ? "" : "s")")
          try db.query(
            """
            UPDATE runs SET status = 'interrupted', status_epoch = ?2, status_step = 1, notes_json = ?3,
                            revision = revision + 1
            WHERE id = ?1
            """, [.integer(run.id), .integer(Int64(epochs + 1)), .text(try Self.json(notes))])
          marked.append(run.name)
        }
        return marked
      }
    }
  }

  // MARK: - Drop and rename

  /// Deletes the named runs (with their epochs, series and weights) in one transaction.
  func drop(_ names: [String]) throws(StoreProblem) {
    try guarded {
      try db.writeTransaction {
        for name in names {
          guard let id = try db.scalar("SELECT id FROM runs WHERE name = ?1", [.text(name)])?.int else { continue }
          if inTrainingElsewhere(Int64(id)) {
            throw StoreProblem.runInUse(path: path, name: name, origin: try origin(of: Int64(id)))
          }
          try db.query("DELETE FROM runs WHERE id = ?1", [.integer(Int64(id))])
        }
      }
    }
  }

  /// Renames a run; refuses when `new` is taken or another session trains the run.
  func rename(_ old: String, to new: String) throws(StoreProblem) {
    try guarded {
      try db.writeTransaction {
        guard let id = try db.scalar("SELECT id FROM runs WHERE name = ?1", [.text(old)])?.int else { return }
        if inTrainingElsewhere(Int64(id)) {
          throw StoreProblem.runInUse(path: path, name: old, origin: try origin(of: Int64(id)))
        }
        if try db.scalar("SELECT id FROM runs WHERE name = ?1", [.text(new)]) != nil {
          throw StoreProblem.nameTaken(path: path, name: new)
        }
        try db.query(
          "UPDATE runs SET name = ?2, revision = revision + 1 WHERE id = ?1", [.integer(Int64(id)), .text(new)])
      }
    }
  }

  private func origin(of id: Int64) throws -> String {
    try db.scalar("SELECT origin FROM runs WHERE id = ?1", [.integer(id)])?.string ?? "another session"
  }

  // MARK: - JSON columns

  static func json<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  static func decode<T: Decodable>(_ type: T.Type, _ value: SQLiteValue) throws -> T {
    try decoder.decode(T.self, from: Data((value.string ?? "").utf8))
  }
}
