import Foundation
import NN

/// Runs trained elsewhere (Slurm array tasks) enter the session and the store as local runs do.
extension Session {
  /// Adds a run a Slurm task trained: into the store (replacing a run of that name, unless another
  /// session trains it now), else into memory; its statement is kept as its source.
  func importSlurmRun(
    _ trained: RunRecord, weights: [Float], result: SlurmResult, run: SlurmManifest.Run, dataset: String,
    _ ctx: RunContext
  ) throws {
    var record = trained
    record.finalParameters = weights
    let name = run.name
    let link = storeLink
    let replaced = runs.first { $0.name == name }
    openStoreIfNeeded(create: true)
    emitStoreNotices(ctx)
    var stored = false
    if let store = link.store {
      let draft = RunDraft(
        name: name, statement: run.statement, model: record.model, config: record.config, dataset: dataset,
        origin: result.origin, startedAt: result.startedAt)
      do {
        let (id, _, _) = try store.begin(draft)
        var mark = StoreMark()
        let revision = try store.write(record, id: id, mark: &mark, final: true)
        if let old = link.ids[name] { link.cache[old] = nil }
        link.ids[name] = id
        var cached = record
        cached.finalParameters = []
        link.cache[id] = StoredRun(
          id: id, revision: revision, record: cached, statement: run.statement, dataset: dataset,
          startedAt: result.startedAt, endedAt: result.endedAt, origin: result.origin, running: false,
          hasWeights: !weights.isEmpty)
        link.memoryOnly.remove(name)
        link.memoryInfo[name] = nil
        stored = true
      } catch {
        guard error.isStoreFailure else { throw SessionError.runtime(error.message, hint: error.advice) }
        ctx.emit(.stderr(storeWarning(error, consequence: "run '\(name)' is kept in memory only")))
      }
    }
    if !stored {
      link.memoryOnly.insert(name)
      link.memoryInfo[name] = StoreLink.RunInfo(startedAt: result.startedAt, dataset: dataset, origin: result.origin)
    }
    if let replaced {
      var facts = [replaced.status.description]
      if let acc = replaced.epochs.last?.testAccuracy, acc.isFinite {
        facts.append("test acc \(NumberFormatting.fixed(acc * 100, 2))%")
      }
      ctx.emit(.stderr("note: replaced run '\(name)' (\(facts.joined(separator: ", "))) with the run from Slurm\n"))
    }
    runs.removeAll { $0.name == name }
    runs.append(record)
    runSources[name] = run.statement
  }
}
