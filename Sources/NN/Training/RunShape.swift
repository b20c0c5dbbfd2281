/// The shape of a run's epochs, computed once: the batch clamped to the training set, the steps
/// per epoch, and the rows of each step (the last batch of an epoch may be short; it is kept).
struct RunShape: Sendable, Equatable {
  /// Training examples per epoch.
  let trainCount: Int
  /// Rows per step: the configured batch, at most the training set.
  let batch: Int
  /// Steps per epoch: ⌈trainCount / batch⌉.
  let stepsPerEpoch: Int

  /// The shape of `trainCount` examples in batches of `batch` (both at least 1).
  init(batch: Int, trainCount: Int) {
    precondition(batch >= 1 && trainCount >= 1, "a run needs a batch and training examples")
    self.trainCount = trainCount
    self.batch = min(batch, trainCount)
    stepsPerEpoch = (trainCount + self.batch - 1) / self.batch
  }

  /// The shape of a run of `config` on `data`.
  init(config: TrainConfig, data: Dataset) {
    self.init(batch: config.batch, trainCount: data.trainCount)
  }

  /// First position in the epoch's order of the 0-based step `s`.
  func start(ofStep s: Int) -> Int { s * batch }

  /// Rows of the 0-based step `s`: `batch`, fewer for a short last step.
  func rows(ofStep s: Int) -> Int { min(batch, trainCount - s * batch) }

  /// Rows of the epoch's last step.
  var lastBatch: Int { rows(ofStep: stepsPerEpoch - 1) }

  /// Training examples the epoch's first `steps` steps cover.
  func seen(steps: Int) -> Int { min(steps * batch, trainCount) }
}
