import Foundation

/// The fused GPU training path: the same run as `Trainer` on the CPU, with every step on the device.
///
/// Not a `Backend`: the protocol has one call per operation (about 15 per step for the baseline),
/// and at these shapes each launch costs more than the work. Here a step is 3 kernels for the
/// baseline (the first layer's forward, gathering its uint8 input; the head: the last layer,
/// softmax-CE and δ of the hidden layer in one block; gradients + optimizer update) captured
/// once as a CUDA graph of `graphSteps` steps and replayed; the epoch's step table (batch start,
/// rows, metrics slot, Adam bias corrections per step) is uploaded once per epoch and the update
/// kernel's last block moves its cursor on. Metrics are read every `readInterval` steps and
/// once per epoch.
/// Initialisation and shuffling use the CPU path's generator in the same order, so the CPU backend
/// stays the reference for parity.
final class CUDATrainer {
  let model: ModelSpec
  let config: TrainConfig
  let data: Dataset
  let runtime: CUDARuntime
  /// Steps per captured graph (0: no graphs, direct launches).
  let graphSteps: Int
  /// Steps between host reads of the metrics (progress, divergence, stop requests).
  let readInterval: Int
  /// Rows per warp of the forward kernel (`NNDSL_CUDA_FORWARD_ROWS`, 1...4); nil: by shape.
  let forwardRows: Int?
  /// Whether steps may use the fused single-block head (`NNDSL_CUDA_FUSED_HEAD=0` turns it off).
  let fusedHead: Bool

  /// Threads per block of the elementwise and reduction kernels.
  static let blockSize = 256
  /// Blocks of `nn_backward_delta` at most (size of its partial-sum buffer).
  static let maxReductionBlocks = 1024

  init(
    model: ModelSpec, config: TrainConfig, data: Dataset, runtime: CUDARuntime = .shared,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.model = model
    self.config = config
    self.data = data
    self.runtime = runtime
    let steps = environment["NNDSL_CUDA_GRAPH_STEPS"].flatMap { Int($0) } ?? 32
    graphSteps = max(0, min(steps, 1024))
    readInterval = max(graphSteps, 1) * 16
    forwardRows = environment["NNDSL_CUDA_FORWARD_ROWS"].flatMap { Int($0) }.map { max(1, min($0, 4)) }
    fusedHead = environment["NNDSL_CUDA_FUSED_HEAD"] != "0"
  }

  /// Trains for `config.epochs` epochs. Throws only for GPU failures (the caller decides
  /// whether to fall back); loss divergence and interruption end up in the record's status.
  func run(
    name: String, notes setupNotes: [String], progress: (TrainProgress) -> Void,
    epochEnded: (RunRecord) -> Void = { _ in }, shouldStop: () -> Bool
  ) throws(CUDAError) -> RunRecord {
    let totalStart = Clock.now()
    let gpu = try CUDAStreamContext(runtime: runtime)
    let batch = min(config.batch, data.trainCount)
    let evalChunk = Trainer.evalChunk
    let plan = try CUDARunPlan(
      gpu: gpu, model: model, config: config, data: data, batch: batch, evalChunk: evalChunk)
    plan.forwardRowsPerWarp = forwardRows
    plan.allowFusedHead = fusedHead

    // Initial parameters from the CPU reference code (same generator, same order).
    var rng = RandomGenerator(seed: config.seed)
    let host = Network(spec: model, backend: CPUBackend(threads: 1), maxRows: 1)
    host.initialize(&rng)
    try gpu.upload(CUDAWeightLayout.toDevice(host.snapshot(), model: model), to: plan.parameters)
    try gpu.sampleMemory()

    let trainCount = data.trainCount
    let stepsPerEpoch = (trainCount + batch - 1) / batch
    let linears = model.linearCount
    let stride = plan.stride

    // The step as graphs; if capture fails (a driver that refuses it), direct launches.
    var notes = setupNotes
    var single: CUDAGraph?
    var chunkGraph: CUDAGraph?
    var graphSteps = self.graphSteps
    do throws(CUDAError) {
      if graphSteps > 0 {
        single = try gpu.capture { () throws(CUDAError) in try plan.encodeStep() }
      }
      if graphSteps > 1 {
        chunkGraph = try gpu.capture { () throws(CUDAError) in
          for _ in 0..<graphSteps { try plan.encodeStep() }
        }
      }
    } catch {
      notes.append("CUDA graph capture failed, using direct launches: \(error)")
      single = nil
      chunkGraph = nil
      graphSteps = 0
    }

    var epochs: [EpochRecord] = []
    var stepLoss: [Float] = []
    var stepGradSq: [[Float]] = Array(repeating: [], count: linears)
    var status = RunStatus.finished
    var trainSeconds = 0.0
    var globalStep = 0
    var permutation = (0..<Int32(trainCount)).map { $0 }

    epochLoop: for epoch in 1...config.epochs {
      try gpu.synchronize()
      let epochStart = Clock.now()
      rng.shuffle(&permutation)
      try gpu.upload(permutation, to: plan.order)
      try gpu.upload(plan.epochTable(globalStep: globalStep), to: plan.stepTable)
      var done = 0
      var read = 0
      var runningLoss = 0.0
      var runningCorrect = 0
      var stopped = false
      var divergedAt: Int?
      while done < stepsPerEpoch {
        if shouldStop() {
          status = .interrupted(epoch: epoch, step: done + 1)
          stopped = true
          break
        }
        let nextRead = min(stepsPerEpoch, (done / readInterval + 1) * readInterval)
        var count = nextRead - done
        while count > 0 {
          if let chunkGraph, count >= graphSteps {
            try gpu.launch(chunkGraph)
            count -= graphSteps
          } else if let single {
            try gpu.launch(single)
            count -= 1
          } else {
            try plan.encodeStep()
            count -= 1
          }
        }
        done = nextRead
        globalStep += nextRead - read
        let values = try gpu.download(
          Float.self, from: plan.metrics + UInt64(read * stride * 4), count: (done - read) * stride,
          zero: 0)
        for s in 0..<(done - read) {
          let loss = values[s * stride]
          if !loss.isFinite {
            divergedAt = read + s + 1
            break
          }
          runningLoss += Double(loss)
          runningCorrect += Int(values[s * stride + 1])
        }
        if let at = divergedAt {
          status = .diverged(epoch: epoch, step: at)
          globalStep -= done - at
          done = at
          stopped = true
          break
        }
        read = done
        let seen = min(done * batch, trainCount)
        progress(
          TrainProgress(
            epoch: epoch, epochs: config.epochs, step: done, stepsPerEpoch: stepsPerEpoch,
            globalStep: globalStep, runningLoss: runningLoss / Double(done),
            runningAccuracy: Double(runningCorrect) / Double(max(seen, 1)),
            elapsed: Clock.now() - totalStart))
      }
      try gpu.synchronize()
      let seconds = Clock.now() - epochStart
      trainSeconds += seconds
      let steps = done

      // Per-step metrics of the epoch, read once.
      let hostEpoch = try gpu.download(Float.self, from: plan.metrics, count: steps * stride, zero: 0)
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
        let last = steps > 0 ? hostEpoch[(steps - 1) * stride] : .nan
        notes.append("diverged: loss became \(last) at epoch \(epoch) step \(steps); "
          + "epoch \(epoch) has no epoch record")
        break epochLoop
      }
      if steps == 0 { break epochLoop }
      if stopped { notes.append("epoch \(epoch) is partial: \(steps) of \(stepsPerEpoch) steps") }
      let seen = min(steps * batch, trainCount)

      let norms = try plan.norms()
      let eval = try plan.evaluate()
      try gpu.sampleMemory()
      epochs.append(
        EpochRecord(
          epoch: epoch, steps: steps, seen: seen, lossSum: lossSum, correct: correct,
          testCount: data.testCount, testLossSum: eval.lossSum, testCorrect: eval.correct,
          gradSqSum: gradSqSum, weightNorms: norms.weights, gradNorms: norms.gradients,
          seconds: seconds))
      epochEnded(
        RunRecord(
          name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq,
          stepLoss: stepLoss, status: status, trainSeconds: trainSeconds,
          totalSeconds: Clock.now() - totalStart,
          stepsPerSecond: trainSeconds > 0 ? Double(globalStep) / trainSeconds : 0,
          backend: "cuda: \(gpu.stack.info.name)", deviceName: gpu.stack.info.name,
          parameterNames: model.parameterNames, finalParameters: [], notes: notes))
      if stopped { break epochLoop }
    }

    let finalParameters = CUDAWeightLayout.toHost(
      try gpu.download(Float.self, from: plan.parameters, count: model.parameterCount, zero: 0),
      model: model)
    let evaluations = epochs.count * plan.evalChunks
    let evidence = GPUEvidence(
      device: gpu.stack.info.name, capability: gpu.stack.info.capabilityText,
      moduleForm: gpu.module.form, nvrtcVersion: gpu.module.nvrtcVersion,
      driverVersion: gpu.stack.info.driverVersionText, kernelsLaunched: gpu.kernelsLaunched,
      graphLaunches: gpu.graphLaunches, graphSteps: graphSteps,
      gemmCalls: globalStep * (3 * linears - 1) + evaluations * linears,
      bytesAllocated: gpu.bytesAllocated, peakDeviceMemory: gpu.peakDeviceMemoryUsed)
    notes.append(evidence.note)
    let totalSeconds = Clock.now() - totalStart
    return RunRecord(
      name: name, model: model, config: config, epochs: epochs, stepGradSq: stepGradSq,
      stepLoss: stepLoss, status: status, trainSeconds: trainSeconds, totalSeconds: totalSeconds,
      stepsPerSecond: trainSeconds > 0 ? Double(globalStep) / trainSeconds : 0,
      backend: evidence.backend, deviceName: gpu.stack.info.name,
      parameterNames: model.parameterNames, finalParameters: finalParameters, notes: notes,
      gpuEvidence: evidence)
  }
}
