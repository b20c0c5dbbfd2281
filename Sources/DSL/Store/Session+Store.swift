import Foundation
import NN

#if canImport(Glibc)
  import Glibc
#endif

/// The session's side of the run store: which runs it sees, and every run written as it trains.
///
/// The store is the source of truth: at the start of each cell (and for completion) the session
/// re-reads the store's listing and loads the runs that changed, so runs of other kernels on the
/// same store appear, and runs survive restarts and crashes. Runs that could not be stored stay
/// in memory, with a warning.
extension Session {
  /// The directory of the default store (`.nndsl/runs.db` inside it): the notebook's or script's
  /// directory. Nil (the default for a bare `Session`) means no store unless `NNDSL_STORE` or
  /// `set store=` names one.
  public var storeDirectory: String? {
    get { storeLink.baseDirectory }
    set {
      storeLink.baseDirectory = newValue
      storeLink.resolved = false
    }
  }

  /// The store's path, or nil when runs are kept in memory only.
  var storePath: String? {
    openStoreIfNeeded()
    return storeLink.store?.path
  }

  /// Opens the store the setting names, once; a problem becomes a warning for the next cell.
  /// Without `create`, a store that does not exist yet is left uncreated (and looked for again
  /// next time): a session that never trains leaves no file behind.
  func openStoreIfNeeded(create: Bool = false) {
    let link = storeLink
    guard !link.resolved else { return }
    let path = StoreLocation.resolve(link.setting, environment: environment, baseDirectory: link.baseDirectory)
    link.path = path
    guard let path else {
      link.resolved = true
      return
    }
    if !create, !FileManager.default.fileExists(atPath: path) { return }
    link.resolved = true
    do {
      link.store = try RunStore.open(path: path, busySeconds: link.busySeconds)
      link.problem = nil
    } catch {
      link.problem = error
      link.notices.append(storeWarning(error, consequence: "runs of this session are kept in memory only"))
    }
  }

  /// A warning about an unusable store: what is wrong, what to do, what happens meanwhile.
  func storeWarning(_ problem: StoreProblem, consequence: String) -> String {
    "warning: \(problem.message)\n  \(problem.advice)\n  training still works: \(consequence)\n"
  }

  /// The store's warnings and notes not shown yet (shown on stderr at the start of a cell).
  func takeStoreNotices() -> [String] {
    let notices = storeLink.notices
    storeLink.notices = []
    return notices
  }

  /// Shows the store's pending warnings and notes on stderr.
  func emitStoreNotices(_ ctx: RunContext) {
    for notice in takeStoreNotices() { ctx.emit(.stderr(notice)) }
  }

  /// Brings the session's runs up to date with the store (runs of other sessions, renames,
  /// drops, runs left running by a process that ended).
  func syncStore() {
    openStoreIfNeeded()
    let link = storeLink
    if let store = link.store {
      do {
        for name in try store.recoverAbandoned(own: []) {
          link.notices.append(
            "note: run '\(name)' was still marked running by a process that has ended; "
              + "it is kept as interrupted after its last stored epoch\n")
        }
        var stored: [RunRecord] = []
        var cache: [Int64: StoredRun] = [:]
        var ids: [String: Int64] = [:]
        var live: [String: String] = [:]
        for header in try store.headers() {
          var run = link.cache[header.id]
          if run?.revision != header.revision { run = try store.load(id: header.id) }
          guard let run else { continue }
          if link.memoryOnly.contains(run.record.name) {
            link.notices.append(
              "note: the store \(store.path) now also has a run named '\(run.record.name)'; this session "
                + "shows its own (kept in memory only); rename it to keep both\n")
            continue
          }
          cache[header.id] = run
          ids[run.record.name] = header.id
          if run.running, store.inTrainingElsewhere(header.id) { live[run.record.name] = run.origin }
          stored.append(run.record)
          runSources[run.record.name] = run.statement
        }
        link.cache = cache
        link.ids = ids
        link.liveElsewhere = live
        runs = stored + runs.filter { link.memoryOnly.contains($0.name) }
      } catch {
        link.notices.append(
          storeWarning(error, consequence: "the runs read so far are shown; new runs are stored when it works again"))
      }
    }
  }

  /// The data set in words, as a stored run keeps it.
  private func datasetText(_ data: Dataset) -> String {
    "\(data.name) from \(data.source) (\(data.trainCount) train, \(data.testCount) test)"
  }

  /// Who trains: the program, its process and host.
  private var originText: String {
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count)
    let program = storeLink.file == "<cell>" ? "notebook kernel" : "script \(storeLink.file)"
    let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return "\(program), pid \(getpid()) on \(hostName)"
  }

  /// Starts storing a new run named `name`; an earlier run of that name is replaced (one line
  /// says so). Throws when another session trains a run of that name right now.
  func beginStoring(
    name: String, automatic: Bool = false, spec: ModelSpec, config: TrainConfig, data: Dataset, _ ctx: RunContext
  ) throws -> StoredRunWriter {
    let link = storeLink
    let info = StoreLink.RunInfo(startedAt: Date(), dataset: datasetText(data), origin: originText)
    let old = runs.first { $0.name == name }
    let oldStarted = link.ids[name].flatMap { link.cache[$0]?.startedAt } ?? link.memoryInfo[name]?.startedAt
    var writer = StoredRunWriter(name: name, store: nil, id: 0, info: info)
    openStoreIfNeeded(create: true)
    emitStoreNotices(ctx)
    if let store = link.store {
      let draft = RunDraft(
        name: name, statement: ctx.statement, model: spec, config: config, dataset: info.dataset,
        origin: info.origin, startedAt: info.startedAt, automaticName: automatic)
      do {
        let taken = Set(runs.map(\.name))
        let (id, _, stored) = try store.begin(draft, avoiding: taken)
        writer = StoredRunWriter(name: stored, store: store, id: id, info: info)
        if stored != name {
          ctx.emit(.stderr("note: another session took the name '\(name)' meanwhile; this run is '\(stored)'\n"))
          return finishBegin(writer)
        }
      } catch {
        guard error.isStoreFailure else { throw SessionError.runtime(error.message, hint: error.advice) }
        ctx.emit(.stderr(storeWarning(error, consequence: "run '\(name)' is trained and kept in memory only")))
      }
    }
    if let old {
      var facts: [String] = []
      if let oldStarted { facts.append("trained \(Self.timeText(oldStarted))") }
      facts.append(old.status.description)
      if let acc = old.epochs.last?.testAccuracy, acc.isFinite {
        facts.append("test acc \(NumberFormatting.fixed(acc * 100, 2))%")
      }
      ctx.emit(.stderr("note: replaced run '\(name)' (\(facts.joined(separator: ", "))) with this run\n"))
      runs.removeAll { $0.name == name }
    }
    return finishBegin(writer)
  }

  /// The session's bookkeeping for a run that starts under `writer.name`.
  private func finishBegin(_ writer: StoredRunWriter) -> StoredRunWriter {
    let link = storeLink
    let name = writer.name
    if let id = link.ids[name] { link.cache[id] = nil }
    link.ids[name] = nil
    link.writeSeconds[name] = nil
    if writer.store != nil {
      link.memoryOnly.remove(name)
      link.memoryInfo[name] = nil
    } else {
      link.memoryOnly.insert(name)
      link.memoryInfo[name] = writer.info
    }
    return writer
  }

  /// Stores the run's final record and weights; a failure keeps the run in memory, with a warning.
  func finishStoring(_ writer: StoredRunWriter, record: RunRecord, statement: String, _ ctx: RunContext) {
    let link = storeLink
    guard writer.store != nil else { return }
    do {
      if let revision = try writer.finish(record) {
        let info = writer.info
        link.cache[writer.id] = StoredRun(
          id: writer.id, revision: revision, record: record, statement: statement, dataset: info.dataset,
          startedAt: info.startedAt, endedAt: Date(), origin: info.origin, running: false,
          hasWeights: !record.finalParameters.isEmpty)
        link.ids[record.name] = writer.id
      }
      if let problem = writer.deferredProblem {
        let epochs = writer.deferredEpochs.map(String.init).joined(separator: ", ")
        ctx.emit(
          .stderr(
            "note: the run store was not writable when epoch\(writer.deferredEpochs.count == 1 ? "" : "s") \(epochs) "
              + "of '\(record.name)' ended (\(problem.message)); they were stored at the end\n"))
      }
    } catch {
      link.memoryOnly.insert(record.name)
      link.ids[record.name] = nil
      link.cache[writer.id] = nil
      link.memoryInfo[record.name] = writer.info
      ctx.emit(
        .stderr(
          storeWarning(
            error, consequence: "run '\(record.name)' is kept in memory only (the store may show it as interrupted)")))
    }
    link.writeSeconds[record.name] = writer.seconds
  }

  // MARK: - Statements

  /// `drop RUN …`: removes runs from the store and the session.
  func dropRuns(_ names: [String], _ ctx: RunContext) throws {
    let link = storeLink
    for name in names where !runs.contains(where: { $0.name == name }) {
      throw SessionError.runtime(
        "no run named '\(name)'", hint: "another session may have dropped it; `runs` lists the runs")
    }
    let storedNames = names.filter { link.ids[$0] != nil }
    if let store = link.store, !storedNames.isEmpty {
      do {
        try store.drop(storedNames)
      } catch {
        throw SessionError.runtime(error.message, hint: error.advice)
      }
    }
    for name in names {
      runs.removeAll { $0.name == name }
      runSources[name] = nil
      if let id = link.ids[name] { link.cache[id] = nil }
      link.ids[name] = nil
      link.memoryOnly.remove(name)
      link.memoryInfo[name] = nil
      link.writeSeconds[name] = nil
    }
    let list = names.map { "'\($0)'" }.joined(separator: ", ")
    let place = storedNames.isEmpty ? "" : " from the store \(link.store?.path ?? "")"
    ctx.emit(.text("dropped run\(names.count == 1 ? "" : "s") \(list)\(place)\n"))
  }

  /// `rename OLD NEW`.
  func renameRun(_ old: String, to new: String, _ ctx: RunContext) throws {
    let link = storeLink
    guard let index = runs.firstIndex(where: { $0.name == old }) else {
      throw SessionError.runtime(
        "no run named '\(old)'", hint: "another session may have dropped it; `runs` lists the runs")
    }
    guard !runs.contains(where: { $0.name == new }) else {
      throw SessionError.runtime(
        "a run named '\(new)' already exists", hint: "choose another name, or drop that run first")
    }
    if let store = link.store, let id = link.ids[old] {
      do {
        try store.rename(old, to: new)
      } catch {
        throw SessionError.runtime(error.message, hint: error.advice)
      }
      link.ids[old] = nil
      link.ids[new] = id
      link.cache[id]?.record.name = new
    }
    runs[index].name = new
    runSources[new] = runSources[old]
    runSources[old] = nil
    if link.memoryOnly.remove(old) != nil { link.memoryOnly.insert(new) }
    link.memoryInfo[new] = link.memoryInfo[old]
    link.memoryInfo[old] = nil
    link.writeSeconds[new] = link.writeSeconds[old]
    link.writeSeconds[old] = nil
    ctx.emit(.text("renamed run '\(old)' to '\(new)'\n"))
  }

  /// `set store=…`: switches to another store (or none). Runs kept only in memory are saved into
  /// the new store; the runs of the store left behind stay there.
  func setStore(_ setting: StoreSetting, _ ctx: RunContext) {
    let link = storeLink
    let memory = runs.filter { link.memoryOnly.contains($0.name) || link.store == nil }
    if setting == .off {
      for r in runs where !link.memoryOnly.contains(r.name) {
        link.memoryOnly.insert(r.name)
        if let id = link.ids[r.name], let stored = link.cache[id] {
          link.memoryInfo[r.name] = StoreLink.RunInfo(
            startedAt: stored.startedAt, dataset: stored.dataset, origin: stored.origin)
        }
      }
      link.setting = .off
      link.reset()
      link.resolved = true
      ctx.emit(
        .text(
          "store off: runs are kept in memory only, and lost when the kernel stops"
            + (runs.isEmpty ? "" : " (the \(runs.count) runs so far stay available)") + "\n"))
      return
    }
    link.setting = setting
    link.reset()
    openStoreIfNeeded(create: true)
    guard let store = link.store else {
      emitStoreNotices(ctx)
      for r in runs { link.memoryOnly.insert(r.name) }
      return
    }
    runs = memory
    var saved: [String] = []
    for r in memory {
      let info = link.memoryInfo[r.name]
      let draft = RunDraft(
        name: r.name, statement: runSources[r.name] ?? "", model: r.model, config: r.config,
        dataset: info?.dataset ?? "", origin: info?.origin ?? originText, startedAt: info?.startedAt ?? Date())
      do {
        if try store.headers().contains(where: { $0.name == r.name }) {
          ctx.emit(
            .stderr(
              "note: the store already has a run named '\(r.name)'; this session's run of that name "
                + "stays in memory only (rename it to store it)\n"))
          continue
        }
        let (id, _, _) = try store.begin(draft)
        var mark = StoreMark()
        try store.write(r, id: id, mark: &mark, final: true)
        link.memoryOnly.remove(r.name)
        link.memoryInfo[r.name] = nil
        saved.append(r.name)
      } catch {
        ctx.emit(.stderr(storeWarning(error, consequence: "run '\(r.name)' stays in memory only")))
      }
    }
    syncStore()
    emitStoreNotices(ctx)
    var line = "store: \(store.path) (\(link.ids.count) run\(link.ids.count == 1 ? "" : "s")"
    if !saved.isEmpty { line += "; saved \(saved.count) run\(saved.count == 1 ? "" : "s") of this session into it" }
    ctx.emit(.text(line + ")\n"))
  }

  /// The final parameters of a run: in memory, else read from the store.
  func parameters(of r: RunRecord) throws -> [Float] {
    if !r.finalParameters.isEmpty { return r.finalParameters }
    let link = storeLink
    guard let store = link.store, let id = link.ids[r.name] else {
      throw SessionError.runtime("run '\(r.name)' has no final weights", hint: "train it again to evaluate it")
    }
    let weights: [Float]?
    do {
      weights = try store.weights(id: id)
    } catch {
      throw SessionError.runtime(error.message, hint: error.advice)
    }
    guard let weights, weights.count == r.model.parameterCount else {
      throw SessionError.runtime(
        "run '\(r.name)' has no stored weights: its training did not finish in a process that could store them",
        hint: "train it again (same statement) to evaluate it")
    }
    if let i = runs.firstIndex(where: { $0.name == r.name }) { runs[i].finalParameters = weights }
    link.cache[id]?.record.finalParameters = weights
    return weights
  }

  // MARK: - Facts for tables

  /// When a run started, as text ("" when unknown).
  func startedText(_ name: String) -> String {
    let link = storeLink
    let date = link.ids[name].flatMap { link.cache[$0]?.startedAt } ?? link.memoryInfo[name]?.startedAt
    return date.map(Self.timeText) ?? ""
  }

  /// A run's status, with "running" for a run another session is training now.
  func statusText(_ r: RunRecord) -> String {
    if let origin = storeLink.liveElsewhere[r.name] {
      return "running (\(r.epochs.count)/\(r.config.epochs) epochs so far; \(origin))"
    }
    return r.status.description
  }

  /// One line on where runs are kept.
  func storeSummary() -> String {
    openStoreIfNeeded()
    let link = storeLink
    if let store = link.store {
      let memory = link.memoryOnly.count
      return "store: \(store.path), \(link.ids.count) run\(link.ids.count == 1 ? "" : "s"), "
        + "\(NumberFormatting.fixed(Double(store.sizeOnDisk) / 1_048_576, 1)) MB"
        + (memory > 0 ? "; \(memory) run\(memory == 1 ? "" : "s") in memory only" : "")
    }
    if let problem = link.problem { return "store unusable: \(problem.message); runs are kept in memory only" }
    if let path = link.path { return "store: \(path) (created when the first run trains)" }
    return "store off: runs are kept in memory only"
  }

  /// Rows for `show`: data set, start, origin and how the run is kept.
  func storeFacts(_ r: RunRecord) -> [(String, String)] {
    let link = storeLink
    var facts: [(String, String)] = []
    if let id = link.ids[r.name], let stored = link.cache[id] {
      if !stored.dataset.isEmpty { facts.append(("data set", stored.dataset)) }
      facts.append(("started", Self.timeText(stored.startedAt)))
      facts.append(("trained by", stored.origin))
      var kept = "stored in \(link.store?.path ?? "the store")"
      kept += stored.hasWeights || !r.finalParameters.isEmpty ? ", with its final weights" : ", without weights"
      if let seconds = link.writeSeconds[r.name] {
        kept += "; store writes took \(NumberFormatting.fixed(seconds * 1000, 1)) ms"
      }
      facts.append(("kept", kept))
    } else if let info = link.memoryInfo[r.name] {
      if !info.dataset.isEmpty { facts.append(("data set", info.dataset)) }
      facts.append(("started", Self.timeText(info.startedAt)))
      facts.append(("kept", "in memory only (lost when the kernel stops)"))
    }
    return facts
  }

  /// A time as "2026-12-01 10:02:03" in the local time zone.
  static func timeText(_ date: Date) -> String {
    timeFormatter.string(from: date)
  }

  /// The formatter of `timeText`, made once (a `runs` table formats a time per row).
  /// DateFormatter is safe to use from several threads once configured.
  nonisolated(unsafe) private static let timeFormatter: DateFormatter = {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return f
  }()
}
