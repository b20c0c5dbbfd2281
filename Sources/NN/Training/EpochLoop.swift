/// The epoch loop of every run, on the CPU and on the GPU alike (`StepEngine`).
///
/// Per epoch: shuffle with the run's generator, then run the steps in chunks of the engine's read
/// interval, polling `shouldStop` before each chunk and reading each chunk's metrics (divergence,
/// progress); at the epoch's end read its per-step metrics once, measure norms and the test split,
/// and append the epoch's record. A diverged epoch has no record; an interrupted one is kept as a
/// partial epoch.
struct EpochLoop {
  /// A whole run of `config` on `data`: the clock starts, the run's shape and generator are
  /// made, `engine` builds the step engine from them (initialising the parameters from the
  /// generator), and the loop trains on it.
  static func train<Engine: StepEngine>(
    name: String, model: ModelSpec, config: TrainConfig, data: Dataset, notes: [RunNote],
    progress: (TrainProgress) -> Void, epochEnded: (RunRecord) -> Void, shouldStop: () -> Bool,
    engine make: (RunShape, inout RandomGenerator) throws(Engine.Failure) -> Engine
  ) throws(Engine.Failure) -> RunRecord {
    let totalStart = Clock.now()
    let shape = RunShape(config: config, data: data)
    var rng = RandomGenerator(seed: config.seed)
    let engine = try make(shape, &rng)
    return try EpochLoop(
      name: name, model: model, config: config, shape: shape, testCount: data.testCount
    ).run(
      engine, rng: &rng, totalStart: totalStart, notes: notes, progress: progress,
      epochEnded: epochEnded, shouldStop: shouldStop)
  }

  let name: String
  let model: ModelSpec
  let config: TrainConfig
  let shape: RunShape
  /// Examples in the test split (0: test metrics are NaN).
  let testCount: Int

  /// Trains `config.epochs` epochs on `engine`; `rng` (the one that initialised the parameters)
  /// shuffles, `totalStart` is when the run began. `progress` is called after every read,
  /// `epochEnded` after every appended epoch record with the record so far (final parameters and
  /// evidence come with the finished record only), `shouldStop` before every chunk of steps.
  func run<Engine: StepEngine>(
    _ engine: Engine, rng: inout RandomGenerator, totalStart: Double, notes setupNotes: [RunNote],
    progress: (TrainProgress) -> Void, epochEnded: (RunRecord) -> Void, shouldStop: () -> Bool
  ) throws(Engine.Failure) -> RunRecord {
    let linears = model.linearCount
    let stride = StepMetrics.stride(model)
    let stepsPerEpoch = shape.stepsPerEpoch
    let interval = max(engine.readInterval, 1)
    var epochs: [EpochRecord] = []
    var stepLoss: [Float] = []
    var stepGradSq: [[Float]] = Array(repeating: [], count: linears)
    stepLoss.reserveCapacity(stepsPerEpoch * config.epochs)
    for l in 0..<linears { stepGradSq[l].reserveCapacity(stepsPerEpoch * config.epochs) }
    var status = RunStatus.finished
    var notes = setupNotes + engine.setupNotes
    var trainSeconds = 0.0
    var globalStep = 0
    var permutation = (0..<Int32(shape.trainCount)).map { $0 }

    func record(parameters: [Float], evidence: GPUEvidence?) -> RunRecord {
      RunRecord(
        name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq,
        stepLoss: stepLoss, status: status, trainSeconds: trainSeconds,
        totalSeconds: Clock.now() - totalStart,
        stepsPerSecond: trainSeconds > 0 ? Double(globalStep) / trainSeconds : 0,
        backend: evidence?.backend ?? engine.backend, deviceName: engine.deviceName,
        parameterNames: model.parameterNames, finalParameters: parameters,
        runNotes: notes + (evidence.map { [.gpuEvidence($0)] } ?? []), gpuEvidence: evidence)
    }

    epochLoop: for epoch in 1...config.epochs {
      try engine.synchronize()
      let epochStart = Clock.now()
      rng.shuffle(&permutation)
      try engine.beginEpoch(order: permutation, globalStep: globalStep)
      var done = 0
      var runningLoss = 0.0
      var runningCorrect = 0
      var stopped = false
      while done < stepsPerEpoch {
        if shouldStop() {
          status = .interrupted(epoch: epoch, step: done + 1)
          stopped = true
          break
        }
        let next = min(stepsPerEpoch, (done / interval + 1) * interval)
        let values = try engine.runSteps(done..<next, globalStep: globalStep)
        var divergedAt: Int?
        for s in 0..<(next - done) {
          let loss = values[s * stride]
          if !loss.isFinite {
            divergedAt = done + s + 1
            break
          }
          runningLoss += Double(loss)
          runningCorrect += Int(values[s * stride + 1])
        }
        if let at = divergedAt {
          status = .diverged(epoch: epoch, step: at)
          globalStep += at - done
          done = at
          stopped = true
          break
        }
        globalStep += next - done
        done = next
        progress(
          TrainProgress(
            epoch: epoch, epochs: config.epochs, step: done, stepsPerEpoch: stepsPerEpoch,
            globalStep: globalStep, runningLoss: runningLoss / Double(done),
            runningAccuracy: Double(runningCorrect) / Double(max(shape.seen(steps: done), 1)),
            elapsed: Clock.now() - totalStart))
      }
      try engine.synchronize()
      let seconds = Clock.now() - epochStart
      trainSeconds += seconds
      let steps = done

      // Per-step metrics of the epoch, read once.
      let hostEpoch = try engine.epochMetrics(steps: steps)
      var lossSum = 0.0
      var correct = 0
      var gradSqSum = [Double](repeating: 0, count: linears)
      for s in 0..<steps {
        stepLoss.append(hostEpoch[s * stride])
        lossSum += Double(hostEpoch[s * stride])
        correct += Int(hostEpoch[s * stride + 1])
        for l in 0..<linears {
          let value = hostEpoch[s * stride + 2 + l]
          stepGradSq[l].append(value)
          gradSqSum[l] += Double(value)
        }
      }
      if case .diverged = status {
        notes.append(.diverged(loss: hostEpoch[(steps - 1) * stride], epoch: epoch, step: steps))
        break epochLoop
      }
      if steps == 0 { break epochLoop }
      if stopped { notes.append(.partialEpoch(epoch: epoch, steps: steps, of: stepsPerEpoch)) }

      let measures = try engine.measureEpoch()
      epochs.append(
        EpochRecord(
          epoch: epoch, steps: steps, seen: shape.seen(steps: steps), lossSum: lossSum,
          correct: correct, testCount: testCount, testLossSum: measures.testLossSum,
          testCorrect: measures.testCorrect, gradSqSum: gradSqSum,
          weightNorms: measures.weightNorms, gradNorms: measures.gradNorms, seconds: seconds))
      epochEnded(record(parameters: [], evidence: nil))
      if stopped { break epochLoop }
    }

    let (parameters, evidence) = try engine.finish(globalStep: globalStep, epochs: epochs.count)
    return record(parameters: parameters, evidence: evidence)
  }
}
