import Foundation
import NN

/// A run as the store holds it: the record (without its weights) and what the store knows besides.
struct StoredRun {
  /// The row id (stable across renames; the order runs were started in).
  var id: Int64
  /// Bumped by every write to the run; a session reloads a run whose revision changed.
  var revision: Int
  /// The record; `finalParameters` is empty (weights are read on demand).
  var record: RunRecord
  /// The statement that made the run.
  var statement: String
  /// The data set it trained on, in words.
  var dataset: String
  /// When training started and ended (nil while running or after a crash).
  var startedAt: Date
  var endedAt: Date?
  /// Which program trained it: host, process id, script or notebook.
  var origin: String
  /// Whether the row says "running" (training now elsewhere, or its process ended: see RunStore).
  var running: Bool
  /// Whether the final parameters are stored.
  var hasWeights: Bool
}

/// One row of the store's listing: enough to decide whether a cached run is current.
struct StoredRunHeader: Equatable {
  var id: Int64
  var name: String
  var revision: Int
  var running: Bool
}

/// How much of a run a writer has stored so far.
struct StoreMark {
  /// Epoch records stored.
  var epochs = 0
  /// Steps of the per-step series stored.
  var steps = 0
  /// Seconds of the last stored epoch (tells a restarted run, e.g. after a GPU fallback, from a continued one).
  var lastEpochSeconds = Double.nan
}

/// What a new run's row starts with.
struct RunDraft {
  var name: String
  var statement: String
  var model: ModelSpec
  var config: TrainConfig
  var dataset: String
  var origin: String
  var startedAt: Date
  /// An automatic name (`run<k>`): taken in the store meanwhile, it becomes the next free one
  /// instead of replacing that run.
  var automaticName = false
}
