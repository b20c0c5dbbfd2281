/// The GPU path's steps: every step on the device, a few fused kernels each.
///
/// One call per operation (about 15 per step for the baseline) would cost more in launches than
/// the work at these shapes, so a step is 3 kernels for the baseline (the first layer's forward,
/// gathering its uint8 input; the head: the last layer, softmax-CE and δ of the hidden layer in
/// one block; gradients + optimizer update), captured once as a CUDA graph of `graphSteps` steps
/// and replayed. The epoch's step table (batch start, rows, metrics slot, Adam bias corrections
/// per step) is uploaded once per epoch and the update kernel's last block moves its cursor on.
/// Metrics are read every `readInterval` steps and once per epoch. Initialisation uses the CPU
/// path's generator in the same order, so the CPU path stays the reference for parity.
final class CUDAStepEngine: StepEngine {
  typealias Failure = CUDAError

  let readInterval: Int
  private(set) var setupNotes: [RunNote] = []
  var backend: String { evidence(globalStep: 0, epochs: 0).backend }
  var deviceName: String { gpu.stack.info.name }

  private let model: ModelSpec
  private let gpu: CUDAStreamContext
  private let plan: CUDARunPlan
  /// Steps per captured graph (0: direct launches, also when capture was refused).
  private let graphSteps: Int
  private let single: CUDAGraph?
  private let chunkGraph: CUDAGraph?

  /// Allocates the run's device memory, uploads the data and the parameters (initialised from
  /// `rng` by the CPU code) and captures the step graphs (direct launches if capture fails).
  init(
    model: ModelSpec, config: TrainConfig, data: Dataset, shape: RunShape, runtime: CUDARuntime,
    tuning: CUDATuning, rng: inout RandomGenerator
  ) throws(CUDAError) {
    self.model = model
    readInterval = tuning.readInterval
    let gpu = try CUDAStreamContext(runtime: runtime)
    let plan = try CUDARunPlan(
      gpu: gpu, model: model, config: config, data: data, shape: shape,
      evalChunk: Trainer.evalChunk)
    plan.forwardRowsPerWarp = tuning.forwardRows
    plan.allowFusedHead = tuning.fusedHead

    let host = Network(spec: model, backend: CPUBackend(threads: 1), maxRows: 1)
    host.initialize(&rng)
    try gpu.upload(CUDAWeightLayout.toDevice(host.snapshot(), model: model), to: plan.parameters)
    try gpu.sampleMemory()

    // The step as graphs; if capture fails (a driver that refuses it), direct launches.
    var single: CUDAGraph?
    var chunkGraph: CUDAGraph?
    var graphSteps = tuning.graphSteps
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
      setupNotes.append(.graphCaptureFailed(error: "\(error)"))
      single = nil
      chunkGraph = nil
      graphSteps = 0
    }
    self.gpu = gpu
    self.plan = plan
    self.single = single
    self.chunkGraph = chunkGraph
    self.graphSteps = graphSteps
  }

  func beginEpoch(order: [Int32], globalStep: Int) throws(CUDAError) {
    try gpu.upload(order, to: plan.order)
    try gpu.upload(plan.epochTable(globalStep: globalStep), to: plan.stepTable)
  }

  func runSteps(_ steps: Range<Int>, globalStep: Int) throws(CUDAError) -> [Float] {
    var count = steps.count
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
    return try gpu.download(
      Float.self, from: plan.metrics + UInt64(steps.lowerBound * plan.stride * 4),
      count: steps.count * plan.stride, zero: 0)
  }

  func synchronize() throws(CUDAError) { try gpu.synchronize() }

  func epochMetrics(steps: Int) throws(CUDAError) -> [Float] {
    try gpu.download(Float.self, from: plan.metrics, count: steps * plan.stride, zero: 0)
  }

  func measureEpoch() throws(CUDAError) -> EpochMeasures {
    let norms = try plan.norms()
    let eval = try plan.evaluate()
    try gpu.sampleMemory()
    return EpochMeasures(
      weightNorms: norms.weights, gradNorms: norms.gradients, testLossSum: eval.lossSum,
      testCorrect: eval.correct)
  }

  func finish(globalStep: Int, epochs: Int) throws(CUDAError)
    -> (parameters: [Float], evidence: GPUEvidence?)
  {
    let parameters = CUDAWeightLayout.toHost(
      try gpu.download(Float.self, from: plan.parameters, count: model.parameterCount, zero: 0),
      model: model)
    return (parameters, evidence(globalStep: globalStep, epochs: epochs))
  }

  /// What the device did in `globalStep` steps and `epochs` evaluations of the test split.
  private func evidence(globalStep: Int, epochs: Int) -> GPUEvidence {
    let linears = model.linearCount
    return GPUEvidence(
      device: gpu.stack.info.name, capability: gpu.stack.info.capabilityText,
      moduleForm: gpu.module.form, nvrtcVersion: gpu.module.nvrtcVersion,
      driverVersion: gpu.stack.info.driverVersionText, kernelsLaunched: gpu.kernelsLaunched,
      graphLaunches: gpu.graphLaunches, graphSteps: graphSteps,
      gemmCalls: globalStep * (3 * linears - 1) + epochs * plan.evalChunks * linears,
      bytesAllocated: gpu.bytesAllocated, peakDeviceMemory: gpu.peakDeviceMemoryUsed)
  }
}
