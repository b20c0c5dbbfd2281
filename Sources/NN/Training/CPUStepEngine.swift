/// The CPU path's steps: the reference network on `CPUBackend` (OpenBLAS), one step per call and
/// its metrics read at once (host reads are free).
final class CPUStepEngine: StepEngine {
  typealias Failure = Never

  let readInterval = 1
  var setupNotes: [RunNote] { cpu.notes.map(RunNote.blasSetup) }
  var backend: String { cpu.name }
  var deviceName: String { cpu.deviceName }

  private let cpu: CPUBackend
  private let config: TrainConfig
  private let shape: RunShape
  private let inputWidth: Int
  private let classes: Int
  private let network: Network
  private let optimizer: Optimizer
  private let train: ResidentSplit
  private let test: ResidentSplit
  private let stride: Int
  private let metrics: DeviceBuffer<Float>  // (stepsPerEpoch, stride)
  private let norms: DeviceBuffer<Float>  // weight norms², then gradient norms²
  private let order: DeviceBuffer<Int32>  // the epoch's permutation of the training split
  /// Host copy of the last `runSteps` metrics, reused from call to call (no allocation per step).
  private var hostSteps: [Float] = []

  /// Builds the network (initialised from `rng`), the optimizer and the resident data.
  init(
    model: ModelSpec, config: TrainConfig, data: Dataset, shape: RunShape, evalChunk: Int,
    rng: inout RandomGenerator
  ) {
    self.config = config
    self.shape = shape
    inputWidth = data.inputWidth
    classes = data.classes
    cpu = CPUBackend(threads: config.threads)
    network = Network(spec: model, backend: cpu, maxRows: max(shape.batch, evalChunk))
    network.initialize(&rng)
    optimizer = Optimizer(config: config, backend: cpu, count: network.parameterCount)
    train = ResidentSplit(data, .train, backend: cpu)
    test = ResidentSplit(data, .test, backend: cpu)
    stride = StepMetrics.stride(model)
    metrics = cpu.allocate(floats: shape.stepsPerEpoch * stride)
    norms = cpu.allocate(floats: model.linearCount + network.parameterTensors.count)
    order = cpu.allocate(indices: shape.trainCount)
  }

  deinit {
    cpu.free(metrics)
    cpu.free(norms)
    cpu.free(order)
  }

  func beginEpoch(order permutation: [Int32], globalStep: Int) {
    permutation.withUnsafeBufferPointer { cpu.upload($0, to: order) }
  }

  func runSteps(_ steps: Range<Int>, globalStep: Int) -> [Float] {
    let linears = network.shapes.count
    for (i, s) in steps.enumerated() {
      let rows = shape.rows(ofStep: s)
      let slot = metrics.slice(s * stride, stride)
      cpu.gatherScale(
        images: train.images, labels: train.labels, order: order, start: shape.start(ofStep: s),
        rows: rows, width: inputWidth, divisor: 255, x: network.input, y: network.labels)
      let logits = network.forward(rows: rows)
      softmaxCrossEntropyForwardBackward(
        cpu, logits: logits, labels: network.labels, dlogits: network.dPost[linears - 1],
        metrics: slot.slice(0, 2), rows: rows, classes: classes)
      network.backward(
        rows: rows, accumulate: !config.zeroGrad && globalStep + i > 0,
        gradSq: slot.slice(2, linears))
      optimizer.step(parameters: network.parameters, gradients: network.gradients)
    }
    let slice = metrics.slice(steps.lowerBound * stride, steps.count * stride)
    if hostSteps.count != slice.count { hostSteps = [Float](repeating: 0, count: slice.count) }
    hostSteps.withUnsafeMutableBufferPointer { cpu.download(slice, into: $0) }
    return hostSteps
  }

  func synchronize() { cpu.synchronize() }

  func epochMetrics(steps: Int) -> [Float] { read(metrics.slice(0, steps * stride)) }

  func measureEpoch() -> EpochMeasures {
    let linears = network.shapes.count
    for l in 0..<linears {
      cpu.sumSquares(network.weights[l], n: network.weights[l].count, into: norms.slice(l, 1))
    }
    for (t, g) in network.gradientTensors.enumerated() {
      cpu.sumSquares(g, n: g.count, into: norms.slice(linears + t, 1))
    }
    let roots = read(norms).map { Double($0).squareRoot() }
    let eval = network.evaluate(
      test, inputWidth: inputWidth, classes: classes, wantPredictions: false)
    return EpochMeasures(
      weightNorms: Array(roots[0..<linears]), gradNorms: Array(roots[linears...]),
      testLossSum: eval.lossSum, testCorrect: eval.correct)
  }

  func finish(globalStep: Int, epochs: Int) -> (parameters: [Float], evidence: GPUEvidence?) {
    (network.snapshot(), nil)
  }

  private func read(_ buffer: DeviceBuffer<Float>) -> [Float] {
    var host = [Float](repeating: 0, count: buffer.count)
    host.withUnsafeMutableBufferPointer { cpu.download(buffer, into: $0) }
    return host
  }
}
