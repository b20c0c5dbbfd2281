import Foundation

/// Trains one model on one data set with one configuration; each `run` starts from scratch.
public final class Trainer: Sendable {
  /// The model trained.
  public let model: ModelSpec
  /// The resolved configuration.
  public let config: TrainConfig
  /// The data.
  public let data: Dataset
  private let threads: Int
  /// How the run is set up, known before it trains (e.g. device=auto falling back to the CPU);
  /// every run's record starts with these notes.
  public let setupNotes: [String]
  /// The GPU probe said usable and the configuration asked for (or allowed) it.
  private let useGPU: Bool

  /// Upper bound for parameters + gradients + optimizer state + activations: 4 GiB or RAM.
  static var memoryLimit: Int { min(4 << 30, SystemInfo.memoryBytes) }
  /// Rows per evaluation chunk.
  static let evalChunk = 1000

  /// Validates model, configuration and memory needs, and picks the backend; allocates nothing.
  public init(model: ModelSpec, config: TrainConfig, data: Dataset) throws {
    try Self.validate(model: model, data: data)
    if let problem = config.validationError() { throw TrainError.invalidConfig(problem) }
    guard data.trainCount > 0 else {
      throw TrainError.emptyData("the data set has no training examples")
    }
    var notes: [String] = []
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
        notes.append("device=auto: training on the CPU (\(probe.reason))")
      }
    case .cpu:
      break
    }
    let maxRows = max(min(config.batch, data.trainCount), Self.evalChunk)
    let bytes = Network.bytesNeeded(
      spec: model, maxRows: maxRows, optimizerSlots: Optimizer.slots(config))
    guard let bytes, bytes <= Self.memoryLimit else {
      throw TrainError.modelTooLarge(bytes: bytes ?? Int.max)
    }
    self.model = model
    self.config = config
    self.data = data
    threads = config.threads
    setupNotes = notes
    useGPU = gpu
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

  /// Trains for `config.epochs` epochs; progress is called after every step (the caller
  /// throttles), epochEnded after each epoch's record is appended (with the record so far:
  /// epochs and per-step series up to now, no parameters), shouldStop before every batch.
  /// Never throws: failures end up in `status`.
  public func run(
    name: String, progress: (TrainProgress) -> Void = { _ in },
    epochEnded: (RunRecord) -> Void = { _ in },
    shouldStop: () -> Bool = { false }
  ) -> RunRecord {
    var notes = setupNotes
    if useGPU {
      do throws(CUDAError) {
        return try CUDATrainer(model: model, config: config, data: data).run(
          name: name, notes: setupNotes, progress: progress, epochEnded: epochEnded,
          shouldStop: shouldStop)
      } catch {
        // A GPU failure mid-setup or mid-run: auto falls back to the CPU, gpu reports it.
        guard config.device == .auto else { return failedGPURun(name: name, error: error) }
        notes.append("device=auto: the GPU failed, training on the CPU (\(error))")
      }
    }
    return DenormalMode.flushingToZero {
      train(name: name, notes: notes, progress: progress, epochEnded: epochEnded, shouldStop: shouldStop)
    }
  }

  /// The record of a device=gpu run the GPU could not complete: no epochs, the error as a note.
  private func failedGPURun(name: String, error: CUDAError) -> RunRecord {
    RunRecord(
      name: name, model: model, config: config, epochs: [],
      stepGradSq: Array(repeating: [], count: model.linearCount), stepLoss: [],
      status: .interrupted(epoch: 1, step: 1), trainSeconds: 0, totalSeconds: 0,
      stepsPerSecond: 0, backend: "cuda (failed)", deviceName: "", parameterNames: model.parameterNames,
      finalParameters: [], notes: setupNotes + ["GPU error: \(error)"])
  }

  private func train(
    name: String, notes setupNotes: [String], progress: (TrainProgress) -> Void,
    epochEnded: (RunRecord) -> Void, shouldStop: () -> Bool
  ) -> RunRecord {
    let totalStart = Clock.now()
    let backend = CPUBackend(threads: threads)
    let batch = min(config.batch, data.trainCount)
    let network = Network(
      spec: model, backend: backend, maxRows: max(batch, Self.evalChunk))
    var rng = RandomGenerator(seed: config.seed)
    network.initialize(&rng)
    let optimizer = Optimizer(config: config, backend: backend, count: network.parameterCount)
    let train = ResidentSplit(data, .train, backend: backend)
    let test = ResidentSplit(data, .test, backend: backend)

    let trainCount = data.trainCount
    let stepsPerEpoch = (trainCount + batch - 1) / batch
    let linears = model.linearCount
    let stride = 2 + linears  // per step: loss, correct, δ² of each Linear
    let metrics = backend.allocate(floats: stepsPerEpoch * stride)
    let tensors = network.parameterTensors.count
    let norms = backend.allocate(floats: linears + tensors)
    let order = backend.allocate(indices: trainCount)
    defer {
      backend.free(metrics)
      backend.free(norms)
      backend.free(order)
    }

    var epochs: [EpochRecord] = []
    var stepLoss: [Float] = []
    var stepGradSq: [[Float]] = Array(repeating: [], count: linears)
    stepLoss.reserveCapacity(stepsPerEpoch * config.epochs)
    for l in 0..<linears { stepGradSq[l].reserveCapacity(stepsPerEpoch * config.epochs) }
    var status = RunStatus.finished
    var notes = setupNotes + backend.notes
    var trainSeconds = 0.0
    var globalStep = 0
    var permutation = (0..<Int32(trainCount)).map { $0 }
    var hostStep = [Float](repeating: 0, count: stride)
    var hostEpoch = [Float](repeating: 0, count: stepsPerEpoch * stride)

    epochLoop: for epoch in 1...config.epochs {
      backend.synchronize()
      let epochStart = Clock.now()
      rng.shuffle(&permutation)
      permutation.withUnsafeBufferPointer { backend.upload($0, to: order) }
      var lossSum = 0.0
      var correct = 0
      var seen = 0
      var steps = 0
      var stopped = false
      for step in 1...stepsPerEpoch {
        if shouldStop() {
          status = .interrupted(epoch: epoch, step: step)
          stopped = true
          break
        }
        let start = (step - 1) * batch
        let rows = min(batch, trainCount - start)
        let slot = metrics.slice((step - 1) * stride, stride)
        backend.gatherScale(
          images: train.images, labels: train.labels, order: order, start: start, rows: rows,
          width: data.inputWidth, divisor: 255, x: network.input, y: network.labels)
        let logits = network.forward(rows: rows)
        softmaxCrossEntropyForwardBackward(
          backend, logits: logits, labels: network.labels, dlogits: network.dPost[linears - 1],
          metrics: slot.slice(0, 2), rows: rows, classes: data.classes)
        network.backward(
          rows: rows, accumulate: !config.zeroGrad && globalStep > 0,
          gradSq: slot.slice(2, linears))
        optimizer.step(parameters: network.parameters, gradients: network.gradients)
        steps += 1
        globalStep += 1
        seen += rows
        if step % backend.metricsReadInterval == 0 || step == stepsPerEpoch {
          hostStep.withUnsafeMutableBufferPointer { backend.download(slot, into: $0) }
          let loss = hostStep[0]
          if !loss.isFinite {
            status = .diverged(epoch: epoch, step: step)
            stopped = true
            break
          }
          lossSum += Double(loss)
          correct += Int(hostStep[1])
          progress(
            TrainProgress(
              epoch: epoch, epochs: config.epochs, step: step, stepsPerEpoch: stepsPerEpoch,
              globalStep: globalStep, runningLoss: lossSum / Double(steps),
              runningAccuracy: Double(correct) / Double(seen),
              elapsed: Clock.now() - totalStart))
        }
      }
      backend.synchronize()
      let seconds = Clock.now() - epochStart
      trainSeconds += seconds

      // Per-step metrics of the epoch, read once.
      hostEpoch.withUnsafeMutableBufferPointer { backend.download(metrics, into: $0) }
      var gradSqSum = [Double](repeating: 0, count: linears)
      for s in 0..<steps {
        stepLoss.append(hostEpoch[s * stride])
        for l in 0..<linears {
          let value = hostEpoch[s * stride + 2 + l]
          stepGradSq[l].append(value)
          gradSqSum[l] += Double(value)
        }
      }
      if case .diverged = status {
        notes.append(
          "diverged: loss became \(hostStep[0]) at epoch \(epoch) step \(steps); "
            + "epoch \(epoch) has no epoch record")
        break epochLoop
      }
      if steps == 0 { break epochLoop }
      if stopped {
        notes.append("epoch \(epoch) is partial: \(steps) of \(stepsPerEpoch) steps")
      }

      // Norms at epoch end.
      for l in 0..<linears {
        backend.sumSquares(network.weights[l], n: network.weights[l].count, into: norms.slice(l, 1))
      }
      for (t, g) in network.gradientTensors.enumerated() {
        backend.sumSquares(g, n: g.count, into: norms.slice(linears + t, 1))
      }
      var hostNorms = [Float](repeating: 0, count: linears + tensors)
      hostNorms.withUnsafeMutableBufferPointer { backend.download(norms, into: $0) }
      let roots = hostNorms.map { Double($0).squareRoot() }

      let eval = network.evaluate(
        test, inputWidth: data.inputWidth, classes: data.classes, wantPredictions: false)
      epochs.append(
        EpochRecord(
          epoch: epoch, steps: steps, seen: seen, lossSum: lossSum, correct: correct,
          testCount: test.count, testLossSum: eval.lossSum, testCorrect: eval.correct,
          gradSqSum: gradSqSum, weightNorms: Array(roots[0..<linears]),
          gradNorms: Array(roots[linears...]), seconds: seconds))
      epochEnded(
        RunRecord(
          name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq,
          stepLoss: stepLoss, status: status, trainSeconds: trainSeconds,
          totalSeconds: Clock.now() - totalStart,
          stepsPerSecond: trainSeconds > 0 ? Double(globalStep) / trainSeconds : 0,
          backend: backend.name, deviceName: backend.deviceName,
          parameterNames: model.parameterNames, finalParameters: [], notes: notes))
      if stopped { break epochLoop }
    }

    let finalParameters = network.snapshot()
    let totalSeconds = Clock.now() - totalStart
    return RunRecord(
      name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq,
      stepLoss: stepLoss, status: status, trainSeconds: trainSeconds, totalSeconds: totalSeconds,
      stepsPerSecond: trainSeconds > 0 ? Double(globalStep) / trainSeconds : 0,
      backend: backend.name, deviceName: backend.deviceName,
      parameterNames: model.parameterNames, finalParameters: finalParameters, notes: notes)
  }
}
