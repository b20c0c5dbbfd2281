/// Everything one training run produced.
public struct RunRecord: Sendable, Codable {
  /// The run's name ("baseline", "bs16", ...).
  public var name: String
  /// The model trained.
  public var model: ModelSpec
  /// The resolved configuration.
  public var config: TrainConfig
  /// One record per (possibly partial, when interrupted) epoch.
  public var epochs: [EpochRecord]
  /// δ² per step: [linear layer][global step].
  public var stepGradSq: [[Float]]
  /// Batch loss per global step.
  public var stepLoss: [Float]
  /// How the run ended.
  public var status: RunStatus
  /// Seconds in the training loops only (batch assembly, forward, backward, update).
  public var trainSeconds: Double
  /// Seconds of the whole call (model build, data to device, training, evaluation, metrics).
  public var totalSeconds: Double
  /// Training steps per second of trainSeconds.
  public var stepsPerSecond: Double
  /// The backend, e.g. "cpu: OpenBLAS 0.3.21, 1 thread".
  public var backend: String
  /// The device, e.g. the CPU model.
  public var deviceName: String
  /// Parameter tensor names in arena order.
  public var parameterNames: [String]
  /// The flat parameter arena after the last step (for evaluation): per Linear its weight as
  /// (fanIn, fanOut) row-major (PyTorch's `weight.T`), then its bias.
  public var finalParameters: [Float]
  /// Remarks (device fallback, partial epochs, GPU evidence, ...), in the order they arose.
  public var runNotes: [RunNote]
  /// What the run did on the GPU; nil for a CPU run.
  public var gpuEvidence: GPUEvidence?

  /// Creates a record from notes as lines (each read back as its kind, `RunNote(line:)`); the
  /// trainer fills these, public for tests and the run store.
  public init(
    name: String, model: ModelSpec, config: TrainConfig, epochs: [EpochRecord],
    stepGradSq: [[Float]], stepLoss: [Float], status: RunStatus, trainSeconds: Double,
    totalSeconds: Double, stepsPerSecond: Double, backend: String, deviceName: String,
    parameterNames: [String], finalParameters: [Float], notes: [String],
    gpuEvidence: GPUEvidence? = nil
  ) {
    self.name = name
    self.model = model
    self.config = config
    self.epochs = epochs
    self.stepGradSq = stepGradSq
    self.stepLoss = stepLoss
    self.status = status
    self.trainSeconds = trainSeconds
    self.totalSeconds = totalSeconds
    self.stepsPerSecond = stepsPerSecond
    self.backend = backend
    self.deviceName = deviceName
    self.parameterNames = parameterNames
    self.finalParameters = finalParameters
    self.runNotes = notes.map { RunNote(line: $0, evidence: gpuEvidence) }
    self.gpuEvidence = gpuEvidence
  }

  /// A record with typed notes (the trainer's).
  init(
    name: String, model: ModelSpec, config: TrainConfig, epochs: [EpochRecord],
    stepGradSq: [[Float]], stepLoss: [Float], status: RunStatus, trainSeconds: Double,
    totalSeconds: Double, stepsPerSecond: Double, backend: String, deviceName: String,
    parameterNames: [String], finalParameters: [Float], runNotes: [RunNote],
    gpuEvidence: GPUEvidence? = nil
  ) {
    self.init(
      name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq,
      stepLoss: stepLoss, status: status, trainSeconds: trainSeconds, totalSeconds: totalSeconds,
      stepsPerSecond: stepsPerSecond, backend: backend, deviceName: deviceName,
      parameterNames: parameterNames, finalParameters: finalParameters, notes: [],
      gpuEvidence: gpuEvidence)
    self.runNotes = runNotes
  }

  /// The notes as lines; lines set here are read back as their kinds (`RunNote(line:)`, with
  /// this record's GPU evidence).
  public var notes: [String] {
    get { runNotes.map(\.text) }
    set { runNotes = newValue.map { RunNote(line: $0, evidence: gpuEvidence) } }
  }
}
