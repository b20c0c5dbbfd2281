import Foundation
import NN

/// Writes one run to the store while it trains: each epoch as it ends, the rest at the end.
final class StoredRunWriter {
  let name: String
  let store: RunStore?
  let id: Int64
  /// When the run started, its data set and who trains it.
  let info: StoreLink.RunInfo
  var mark = StoreMark()
  /// Seconds spent in store writes.
  var seconds = 0.0
  /// The first write that failed and was retried later (or at the end).
  var deferredProblem: StoreProblem?
  /// The epochs whose write failed when they ended.
  var deferredEpochs: [Int] = []

  init(name: String, store: RunStore?, id: Int64, info: StoreLink.RunInfo) {
    self.name = name
    self.store = store
    self.id = id
    self.info = info
  }

  /// Stores what the trainer reported at the end of an epoch; a failure is retried next time.
  func epochEnded(_ partial: RunRecord) {
    guard let store else { return }
    let start = Date()
    defer { seconds += Date().timeIntervalSince(start) }
    do {
      try store.write(partial, id: id, mark: &mark, final: false)
    } catch {
      if deferredProblem == nil { deferredProblem = error }
      deferredEpochs.append(partial.epochs.count)
    }
  }

  /// Stores the finished record with its weights; returns the new revision.
  func finish(_ record: RunRecord) throws(StoreProblem) -> Int? {
    guard let store else { return nil }
    let start = Date()
    defer { seconds += Date().timeIntervalSince(start) }
    do {
      return try store.write(record, id: id, mark: &mark, final: true)
    } catch {
      store.abandon(id: id)
      throw error
    }
  }
}
