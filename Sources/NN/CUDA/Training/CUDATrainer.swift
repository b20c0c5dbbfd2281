import Foundation

/// The GPU training path: `CUDAStepEngine` under the shared `EpochLoop`, so a GPU run is the same
/// run as a CPU one, step for step; the CPU path stays the reference it is checked against.
struct CUDATrainer {
  let model: ModelSpec
  let config: TrainConfig
  let data: Dataset
  let runtime: CUDARuntime
  let tuning: CUDATuning

  /// Threads per block of the elementwise and reduction kernels.
  static let blockSize = 256
  /// Blocks of `nn_backward_delta` at most (size of its partial-sum buffer).
  static let maxReductionBlocks = 1024

  init(
    model: ModelSpec, config: TrainConfig, data: Dataset, runtime: CUDARuntime = .shared,
    tuning: CUDATuning = .environment
  ) {
    self.model = model
    self.config = config
    self.data = data
    self.runtime = runtime
    self.tuning = tuning
  }

  /// Trains for `config.epochs` epochs. Throws only for GPU failures (the caller decides
  /// whether to fall back); loss divergence and interruption end up in the record's status.
  func run(
    name: String, notes: [RunNote], progress: (TrainProgress) -> Void,
    epochEnded: (RunRecord) -> Void = { _ in }, shouldStop: () -> Bool
  ) throws(CUDAError) -> RunRecord {
    try EpochLoop.train(
      name: name, model: model, config: config, data: data, notes: notes, progress: progress,
      epochEnded: epochEnded, shouldStop: shouldStop
    ) { shape, rng throws(CUDAError) in
      try CUDAStepEngine(
        model: model, config: config, data: data, shape: shape, runtime: runtime,
        tuning: tuning, rng: &rng)
    }
  }
}
