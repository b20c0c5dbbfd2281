/// One path's side of training: the steps, their metrics and the measurements at an epoch's end.
///
/// `EpochLoop` drives an engine and owns the rest of a run (epochs, shuffling, metric sums,
/// divergence, interruption, progress, records), so the CPU path (`CPUStepEngine`) and the GPU
/// path (`CUDAStepEngine`) share one definition of a run. Per-step metrics are `StepMetrics.stride`
/// floats: the batch loss, the correct count, then δ² of each Linear layer.
protocol StepEngine: AnyObject {
  /// What the engine throws: `Never` on the CPU, `CUDAError` on the GPU.
  associatedtype Failure: Error

  /// Steps between host reads of the metrics; stop requests are polled as often.
  var readInterval: Int { get }
  /// Remarks on the engine's setup (BLAS adjustment, graph capture refused).
  var setupNotes: [RunNote] { get }
  /// The record's backend, e.g. "cpu: OpenBLAS 0.3.21, 1 thread".
  var backend: String { get }
  /// The device, e.g. the CPU model or the GPU's name.
  var deviceName: String { get }

  /// Prepares an epoch: the order of its training examples, after `globalStep` steps of the run.
  func beginEpoch(order: [Int32], globalStep: Int) throws(Failure)
  /// Runs the epoch's 0-based steps `steps` (the run took `globalStep` steps before the first)
  /// and returns their metrics.
  func runSteps(_ steps: Range<Int>, globalStep: Int) throws(Failure) -> [Float]
  /// Waits until the queued work is done (before reading clocks).
  func synchronize() throws(Failure)
  /// The metrics of the epoch's first `steps` steps, read once at the epoch's end.
  func epochMetrics(steps: Int) throws(Failure) -> [Float]
  /// Norms and the test evaluation after an epoch.
  func measureEpoch() throws(Failure) -> EpochMeasures
  /// The final parameters (arena order, `RunRecord.finalParameters`) and, on the GPU, the evidence
  /// of a run of `globalStep` steps and `epochs` evaluations.
  func finish(globalStep: Int, epochs: Int) throws(Failure)
    -> (parameters: [Float], evidence: GPUEvidence?)
}

/// What an engine measures after an epoch.
struct EpochMeasures {
  /// Per Linear layer: the L2 norm of its weight matrix.
  var weightNorms: [Double]
  /// Per parameter tensor (name order): the L2 norm of its gradient.
  var gradNorms: [Double]
  /// Cross-entropy summed over the test split, and its correct predictions.
  var testLossSum: Double
  var testCorrect: Int
}

/// The layout of the per-step metrics every engine writes.
enum StepMetrics {
  /// Floats per step: loss, correct count, δ² of each Linear.
  static func stride(_ model: ModelSpec) -> Int { 2 + model.linearCount }
}
