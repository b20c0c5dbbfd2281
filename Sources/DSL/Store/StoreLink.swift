import Foundation
import NN

/// A session's connection to its run store and what it knows of the stored runs.
final class StoreLink {
  /// What `set store=` chose.
  var setting = StoreSetting.automatic
  /// The notebook's or script's directory: where the default store lives.
  var baseDirectory: String?
  /// Whether the setting has been resolved and opened.
  var resolved = false
  /// The resolved store path (nil: no store).
  var path: String?
  /// The open store (nil: off, or unusable).
  var store: RunStore?
  /// Why the store at `path` is unusable.
  var problem: StoreProblem?
  /// Lines to show on stderr at the start of the next cell.
  var notices: [String] = []
  /// The stored runs the session has read, by id.
  var cache: [Int64: StoredRun] = [:]
  /// Stored runs by name.
  var ids: [String: Int64] = [:]
  /// Runs being trained now by another session, by name: where they train.
  var liveElsewhere: [String: String] = [:]
  /// Names of runs kept only in memory (no store, or the store refused them).
  var memoryOnly: Set<String> = []
  /// When each run of this session started, what it trained on and who trained it (memory runs;
  /// stored runs have this in `cache`).
  var memoryInfo: [String: RunInfo] = [:]
  /// Seconds this session spent writing each run to the store.
  var writeSeconds: [String: Double] = [:]
  /// The script or `<cell>` being run (for the runs' origin).
  var file = "<cell>"
  /// How long a write waits for another connection (tests shorten it).
  var busySeconds = 5.0

  /// Facts about a run besides its record.
  struct RunInfo {
    var startedAt: Date
    var dataset: String
    var origin: String
  }

  /// Forgets the current store (before switching to another).
  func reset() {
    resolved = false
    path = nil
    store = nil
    problem = nil
    cache = [:]
    ids = [:]
    liveElsewhere = [:]
  }
}
