import Foundation

/// Trains one model on one data set with one configuration; each `run` starts from scratch.
public final class Trainer: Sendable {
  /// The model trained.
  public let model: ModelSpec
  /// The resolved configuration.
  public let config: TrainConfig
  /// The data.
  public let data: Dataset
  /// How the run is set up, known before it trains (e.g. device=auto falling back to the CPU);
  /// every run's record starts with these notes.
  let setup: [RunNote]
  /// The GPU probe said usable and the configuration asked for (or allowed) it.
  private let useGPU: Bool
  /// How the GPU path launches its steps.
  let tuning: CUDATuning

  /// How the run is set up (the notes every run's record starts with).
  public var setupNotes: [RunNote] { setup }

  /// Upper bound for parameters + gradients + optimizer state + activations: 4 GiB or RAM.
  static var memoryLimit: Int { min(4 << 30, SystemInfo.memoryBytes) }
  /// Rows per evaluation chunk.
  static let evalChunk = 1000

  /// Validates model, configuration and memory needs, and picks the device; allocates nothing.
  /// `tuning` sets how a GPU run launches its steps (default: the process environment's).
  public init(
    model: ModelSpec, config: TrainConfig, data: Dataset, tuning: CUDATuning = .environment
  ) throws {
    try Self.validate(model: model, data: data)
    try config.validate()
    guard data.trainCount > 0 else {
      throw TrainError.emptyData("the data set has no training examples")
    }
    var notes: [RunNote] = []
    var gpu = false
    switch config.device {
    case .gpu:
      let probe = GPU.probe()
      guard probe.usable else {
        throw TrainError.deviceUnavailable("device=gpu: no usable GPU: \(probe.reason)")
      }
      gpu = true
    case .auto:
      let probe = GPU.probe()
      if probe.usable {
        gpu = true
      } else {
        notes.append(.cpuFallback(reason: probe.reason))
      }
    case .cpu:
      break
    }
    let maxRows = max(RunShape(config: config, data: data).batch, Self.evalChunk)
    let bytes = Network.bytesNeeded(
      spec: model, maxRows: maxRows, optimizerSlots: Optimizer.slots(config))
    guard let bytes, bytes <= Self.memoryLimit else {
      throw TrainError.modelTooLarge(bytes: bytes ?? Int.max)
    }
    self.model = model
    self.config = config
    self.data = data
    setup = notes
    useGPU = gpu
    self.tuning = tuning
  }

  /// Checks that the model is well formed and fits the data's input width and classes.
  static func validate(model: ModelSpec, data: Dataset) throws {
    guard !model.layers.isEmpty else { throw TrainError.invalidModel("it has no layers") }
    if model.inputWidth < 1 || model.layers.contains(where: { $0.width < 1 }) {
      throw TrainError.invalidModel("every width must be at least 1 (\(model.description))")
    }
    guard model.inputWidth == data.inputWidth else {
      throw TrainError.modelMismatch(
        what: "the first width", model: model.inputWidth, data: data.inputWidth)
    }
    guard let last = model.layers.last, last.width == data.classes else {
      throw TrainError.modelMismatch(
        what: "the last width", model: model.layers.last?.width ?? 0, data: data.classes)
    }
  }

  /// Trains for `config.epochs` epochs; progress is called after every step on the CPU (every
  /// read interval on the GPU; the caller throttles), `epochEnded` after every epoch's record with
  /// the record so far, shouldStop before every batch (every read interval on the GPU). Never
  /// throws: failures end up in `status`. A device=auto run whose GPU fails starts again on the
  /// CPU, so `epochEnded` may then start again at epoch 1.
  public func run(
    name: String, progress: (TrainProgress) -> Void = { _ in },
    epochEnded: (RunRecord) -> Void = { _ in },
    shouldStop: () -> Bool = { false }
  ) -> RunRecord {
    var notes = setup
    if useGPU {
      do throws(CUDAError) {
        return try CUDATrainer(model: model, config: config, data: data, tuning: tuning).run(
          name: name, notes: setup, progress: progress, epochEnded: epochEnded,
          shouldStop: shouldStop)
      } catch {
        // A GPU failure mid-setup or mid-run: auto falls back to the CPU, gpu reports it.
        guard config.device == .auto else { return failedGPURun(name: name, error: error) }
        notes.append(.gpuFailedFallback(error: "\(error)"))
      }
    }
    return DenormalMode.flushingToZero {
      EpochLoop.train(
        name: name, model: model, config: config, data: data, notes: notes, progress: progress,
        epochEnded: epochEnded, shouldStop: shouldStop
      ) { shape, rng in
        CPUStepEngine(
          model: model, config: config, data: data, shape: shape, evalChunk: Self.evalChunk,
          rng: &rng)
      }
    }
  }

  /// The record of a device=gpu run the GPU could not complete: no epochs, the error as a note.
  private func failedGPURun(name: String, error: CUDAError) -> RunRecord {
    RunRecord(
      name: name, model: model, config: config, epochs: [],
      stepGradSq: Array(repeating: [], count: model.linearCount), stepLoss: [],
      status: .interrupted(epoch: 1, step: 1), trainSeconds: 0, totalSeconds: 0,
      stepsPerSecond: 0, backend: "cuda (failed)", deviceName: "", parameterNames: model.parameterNames,
      finalParameters: [], runNotes: setup + [.gpuError("\(error)")])
  }
}
