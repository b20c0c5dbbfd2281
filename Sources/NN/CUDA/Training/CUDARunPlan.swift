import Foundation

/// Device memory of one GPU run and the kernel sequence of one training step and of evaluation.
///
/// Parameters use the CPU arena's order (fc1.weight, fc1.bias, fc2.weight, ...) with each weight
/// stored (fanOut, fanIn) on the device; `CUDAWeightLayout` converts the arena at upload and at the
/// end, so the final arena and the norms compare directly with the CPU backend's.
final class CUDARunPlan {
  let gpu: CUDAStreamContext
  let model: ModelSpec
  let config: TrainConfig
  /// The run's batch and steps per epoch.
  let shape: RunShape
  let evalChunk: Int
  let testCount: Int
  let inputWidth: Int
  let classes: Int
  /// Floats per step in the metrics buffer: loss, correct, δ² of each Linear.
  let stride: Int
  let evalChunks: Int

  // Device addresses.
  let parameters: UInt64
  let gradients: UInt64
  let optimizerM: UInt64  // Adam m, or the SGD momentum buffer (0 when none)
  let optimizerV: UInt64  // Adam v (0 otherwise)
  let trainImages: UInt64
  let trainLabels: UInt64
  let testImages: UInt64
  let testLabels: UInt64
  let order: UInt64
  let testOrder: UInt64
  let input: UInt64  // x: (maxRows, inputWidth)
  let labels: UInt64  // y: (maxRows) int32
  let pre: [UInt64]  // s_l
  let post: [UInt64]  // a_l (= s_l without activation)
  let delta: [UInt64]  // δ_l = dE/ds_l
  let dlogits: UInt64  // dE/d(last output): δ_L itself, or its own buffer when the last layer has an activation
  let metrics: UInt64
  let evalMetrics: UInt64
  let stepTable: UInt64  // StepTable: cursor + one StepInfo per step of an epoch
  let evalTables: UInt64  // one StepTable (cursor 0, one StepInfo) per evaluation chunk
  let layerTable: UInt64
  let partials: UInt64
  let counter: UInt64

  private let shapes: [(fanIn: Int, fanOut: Int)]
  private let offsets: [Int]  // first parameter of each layer's weight

  /// Rows per warp in `nn_linear_forward` (1...4); nil chooses by shape (`forwardRows`).
  var forwardRowsPerWarp: Int?
  /// Whether a step may use `nn_head` (where `headApplies`); false forces the three kernels.
  var allowFusedHead = true

  /// The single-block head (last Linear + softmax-CE + δ of the layer below) fits this step:
  /// a hidden layer below, no activation on the logits, and little enough work for one block.
  var headApplies: Bool {
    let last = shapes.count - 1
    return allowFusedHead && last >= 1 && model.layers[last].activation == nil
      && batch * shapes[last].fanOut <= 4096 && batch * shapes[last].fanIn <= 65536
  }

  /// Rows each warp of `nn_linear_forward` computes for `rows × fanOut` outputs: a W element
  /// loaded once serves the whole group (fewer L2 reads) while at least 2048 warps (≈ 16 per
  /// SM of an H200) stay in flight; the override is `forwardRowsPerWarp`.
  func forwardRows(rows: Int, fanOut: Int) -> Int {
    Self.forwardRows(rows: rows, fanOut: fanOut, forced: forwardRowsPerWarp)
  }

  static func forwardRows(rows: Int, fanOut: Int, forced: Int?) -> Int {
    if let forced { return max(1, min(forced, 4)) }
    return max(1, min(4, rows * fanOut / 2048))
  }

  /// Size of the device `StepInfo` struct (8 × 4 bytes), and of the `StepTable` header.
  static let stepInfoBytes = 32
  /// Bytes of one evaluation chunk's StepTable (header + one StepInfo).
  static let evalTableBytes = 64

  // Adam's constants (`Optimizer`'s).
  let beta1 = Optimizer.adamBeta1, beta2 = Optimizer.adamBeta2, eps = Optimizer.adamEps

  /// Rows per training step.
  var batch: Int { shape.batch }

  init(
    gpu: CUDAStreamContext, model: ModelSpec, config: TrainConfig, data: Dataset, shape: RunShape,
    evalChunk: Int
  ) throws(CUDAError) {
    guard model.layers.count <= 64 else {
      throw .unsupported("models with more than 64 Linear layers")
    }
    self.gpu = gpu
    self.model = model
    self.config = config
    self.shape = shape
    self.evalChunk = evalChunk
    testCount = data.testCount
    inputWidth = data.inputWidth
    classes = data.classes
    stride = StepMetrics.stride(model)
    shapes = model.linearShapes
    var starts: [Int] = []
    var at = 0
    for (fanIn, fanOut) in shapes {
      starts.append(at)
      at += fanIn * fanOut + fanOut
    }
    offsets = starts
    evalChunks = (testCount + evalChunk - 1) / evalChunk
    let maxRows = max(shape.batch, evalChunk)
    let p = model.parameterCount
    let stepsPerEpoch = shape.stepsPerEpoch

    parameters = try gpu.allocate(bytes: p * 4)
    gradients = try gpu.allocate(bytes: p * 4)
    switch config.optimizer {
    case .adam:
      optimizerM = try gpu.allocate(bytes: p * 4)
      optimizerV = try gpu.allocate(bytes: p * 4)
    case .sgd:
      optimizerM = config.momentum != 0 ? try gpu.allocate(bytes: p * 4) : 0
      optimizerV = 0
    }
    let (trainImageBytes, trainLabelBytes) = data.storage(.train)
    let (testImageBytes, testLabelBytes) = data.storage(.test)
    trainImages = try gpu.allocate(bytes: trainImageBytes.count)
    trainLabels = try gpu.allocate(bytes: trainLabelBytes.count)
    testImages = try gpu.allocate(bytes: testImageBytes.count)
    testLabels = try gpu.allocate(bytes: testLabelBytes.count)
    try Self.upload(trainImageBytes, to: trainImages, gpu)
    try Self.upload(trainLabelBytes, to: trainLabels, gpu)
    try Self.upload(testImageBytes, to: testImages, gpu)
    try Self.upload(testLabelBytes, to: testLabels, gpu)
    order = try gpu.allocate(bytes: shape.trainCount * 4)
    testOrder = try gpu.allocate(bytes: max(testCount, 1) * 4)
    try gpu.upload((0..<Int32(testCount)).map { $0 }, to: testOrder)

    input = try gpu.allocate(bytes: maxRows * inputWidth * 4)
    labels = try gpu.allocate(bytes: maxRows * 4)
    var s: [UInt64] = []
    var a: [UInt64] = []
    var d: [UInt64] = []
    for (l, layer) in model.layers.enumerated() {
      let bytes = maxRows * shapes[l].fanOut * 4
      let preBuffer = try gpu.allocate(bytes: bytes)
      s.append(preBuffer)
      a.append(layer.activation == nil ? preBuffer : try gpu.allocate(bytes: bytes))
      d.append(try gpu.allocate(bytes: bytes))
    }
    pre = s
    post = a
    delta = d
    let lastWidth = shapes[shapes.count - 1].fanOut
    dlogits =
      model.layers[model.layers.count - 1].activation == nil
      ? d[d.count - 1] : try gpu.allocate(bytes: maxRows * lastWidth * 4)
    metrics = try gpu.allocate(bytes: stepsPerEpoch * stride * 4)
    evalMetrics = try gpu.allocate(bytes: max(evalChunks, 1) * 2 * 4)
    stepTable = try gpu.allocate(bytes: Self.stepInfoBytes * (1 + stepsPerEpoch))
    evalTables = try gpu.allocate(bytes: max(evalChunks, 1) * Self.evalTableBytes)
    layerTable = try gpu.allocate(bytes: shapes.count * 32)
    partials = try gpu.allocate(bytes: Self.maxReductionBlocks * 4)
    counter = try gpu.allocate(bytes: 8)  // two self-resetting tickets: δ² reduction, update

    // Constant tables: the layer descriptors and one StepInfo per evaluation chunk.
    var table = Data()
    for l in 0..<shapes.count {
      table.append(Self.bytes(Int64(offsets[l])))
      table.append(Self.bytes(Int32(shapes[l].fanIn)))
      table.append(Self.bytes(Int32(shapes[l].fanOut)))
      table.append(Self.bytes(l == 0 ? input : a[l - 1]))
      table.append(Self.bytes(d[l]))
    }
    try gpu.upload([UInt8](table), to: layerTable)
    var tables = Data()
    for c in 0..<evalChunks {
      let start = c * evalChunk
      tables.append(Data(count: Self.stepInfoBytes))  // cursor 0
      tables.append(
        Self.stepInfo(
          start: start, rows: min(evalChunk, testCount - start), slot: c * 2, step: 0,
          stepSize: 0, invBc2Sqrt: 0))
    }
    if !tables.isEmpty { try gpu.upload([UInt8](tables), to: evalTables) }
  }

  static let maxReductionBlocks = CUDATrainer.maxReductionBlocks

  // MARK: step

  /// The StepTable of an epoch that follows `globalStep` steps: cursor 0, then per step its
  /// batch, metrics slot and Adam bias corrections (in Double, as `CPUBackend.adamUpdate`).
  func epochTable(globalStep: Int) -> [UInt8] {
    var data = Data(count: Self.stepInfoBytes)
    for s in 0..<shape.stepsPerEpoch {
      let t = globalStep + s + 1
      let bc1 = 1 - Foundation.pow(beta1, Double(t))
      let bc2 = 1 - Foundation.pow(beta2, Double(t))
      data.append(
        Self.stepInfo(
          start: shape.start(ofStep: s), rows: shape.rows(ofStep: s), slot: s * stride, step: t,
          stepSize: Float(config.lr / bc1), invBc2Sqrt: Float(1 / bc2.squareRoot())))
    }
    return [UInt8](data)
  }

  /// Queues the kernels of one training step (graph capture records them): the forward of every
  /// layer below the head, the head (fused, or the last forward + softmax-CE [+ the last layer's
  /// δ when it has an activation]), δ of the remaining hidden layers top down, the update.
  func encodeStep() throws(CUDAError) {
    let table = KernelArgument.pointer(stepTable)
    let last = shapes.count - 1
    let fused = headApplies
    try encodeForward(
      table: table, rows: batch, images: trainImages, labels: trainLabels, order: order,
      layers: 0..<(fused ? last : last + 1))
    if fused {
      try encodeFusedHead(table: table)
    } else {
      try encodeLoss(table: table)
    }
    for l in Swift.stride(from: fused ? last - 2 : last - 1, through: 0, by: -1) {
      try encodeDelta(table: table, layer: l, next: l + 1)
    }
    try encodeUpdate(table: table)
  }

  /// `nn_head`: the last layer, softmax-CE and δ of the layer below, in one block.
  private func encodeFusedHead(table: KernelArgument) throws(CUDAError) {
    let last = shapes.count - 1
    let below = last - 1
    try gpu.launch(
      "nn_head", grid: 1, block: 1024,
      [
        table, .pointer(post[below]), .int32(Int32(shapes[last].fanIn)),
        .pointer(weightAddress(last)), .pointer(biasAddress(last)), .int32(Int32(classes)),
        .pointer(pre[last]), .pointer(post[last]), .pointer(labels), .pointer(dlogits),
        .pointer(metrics), .int32(Int32(2 + last)), .pointer(pre[below]), .pointer(post[below]),
        .int32(CUDAKernelSource.code(model.layers[below].activation)), .pointer(delta[below]),
        .int32(Int32(2 + below)),
      ])
  }

  /// Softmax-CE of the logits (and δ of the last layer when it has an activation).
  private func encodeLoss(table: KernelArgument) throws(CUDAError) {
    let last = shapes.count - 1
    let lastHasActivation = model.layers[last].activation != nil
    try gpu.launch(
      "nn_softmax_ce", grid: 1, block: 32 * min(32, max(batch, 1)),
      [
        table, .pointer(post[last]), .pointer(labels), .int32(Int32(classes)), .pointer(dlogits),
        .pointer(0), .pointer(metrics), .int32(lastHasActivation ? -1 : Int32(2 + last)),
      ])
    if lastHasActivation {
      try encodeDelta(table: table, layer: last, next: nil)
    }
  }

  /// Parameter gradients and the optimizer step for every parameter (one kernel).
  private func encodeUpdate(table: KernelArgument) throws(CUDAError) {
    let block = CUDATrainer.blockSize
    try gpu.launch(
      "nn_update", grid: Self.blocks(model.parameterCount, block, cap: 65535), block: block,
      [
        table, .pointer(layerTable), .int32(Int32(shapes.count)),
        .int64(Int64(model.parameterCount)), .pointer(parameters), .pointer(gradients),
        .pointer(optimizerM), .pointer(optimizerV),
        .int32(CUDAKernelSource.code(config.optimizer)), .int32(config.zeroGrad ? 0 : 1),
        .float(Float(config.lr)), .float(Float(config.momentum)),
        .float(Float(config.weightDecay)), .float(Float(1 - beta1)), .float(Float(beta2)),
        .float(Float(1 - beta2)), .float(Float(eps)), .pointer(counter + 4),
      ])
  }

  /// Linear forward (+ activation) of every layer for up to `rows` rows; the first layer
  /// gathers its input from the uint8 `images` through `order` (and writes x and the labels).
  private func encodeForward(
    table: KernelArgument, rows: Int, images: UInt64, labels labelsIn: UInt64, order: UInt64,
    layers: Range<Int>? = nil
  ) throws(CUDAError) {
    let block = CUDATrainer.blockSize
    for (l, (fanIn, fanOut)) in shapes.enumerated() where layers?.contains(l) ?? true {
      let group = forwardRows(rows: rows, fanOut: fanOut)
      let warps = (rows + group - 1) / group * fanOut
      let first = l == 0
      try gpu.launch(
        "nn_linear_forward", grid: Self.blocks(warps * 32, block, cap: 65535), block: block,
        [
          table, .pointer(first ? input : post[l - 1]), .int32(Int32(fanIn)),
          .pointer(weightAddress(l)), .pointer(biasAddress(l)), .int32(Int32(fanOut)),
          .pointer(pre[l]), .pointer(post[l]),
          .int32(CUDAKernelSource.code(model.layers[l].activation)),
          .pointer(first ? images : 0), .pointer(first ? labelsIn : 0),
          .pointer(first ? order : 0), .float(255), .pointer(first ? labels : 0),
          .int32(Int32(group)),
        ])
    }
  }

  /// δ of `layer` from δ of `next` (or from dlogits when next is nil), and its δ².
  private func encodeDelta(table: KernelArgument, layer l: Int, next: Int?) throws(CUDAError) {
    let block = CUDATrainer.blockSize
    let width = shapes[l].fanOut
    try gpu.launch(
      "nn_backward_delta",
      grid: Self.blocks(batch * width, block, cap: Self.maxReductionBlocks), block: block,
      [
        table, .pointer(next.map { delta[$0] } ?? 0), .pointer(next.map { weightAddress($0) } ?? 0),
        .int32(Int32(next.map { shapes[$0].fanOut } ?? 0)), .pointer(next == nil ? dlogits : 0),
        .pointer(pre[l]), .pointer(post[l]),
        .int32(CUDAKernelSource.code(model.layers[l].activation)), .int32(Int32(width)),
        .pointer(delta[l]), .pointer(metrics), .int32(Int32(2 + l)), .pointer(partials),
        .pointer(counter),
      ])
  }

  // MARK: epoch end

  /// Loss sum and correct count over the test split, on the device; one read at the end.
  func evaluate() throws(CUDAError) -> (lossSum: Double, correct: Int) {
    guard evalChunks > 0 else { return (0, 0) }
    let last = shapes.count - 1
    for c in 0..<evalChunks {
      let table = KernelArgument.pointer(evalTables + UInt64(c * Self.evalTableBytes))
      try encodeForward(
        table: table, rows: evalChunk, images: testImages, labels: testLabels, order: testOrder)
      try gpu.launch(
        "nn_softmax_ce", grid: 1, block: 1024,
        [
          table, .pointer(post[last]), .pointer(labels), .int32(Int32(classes)), .pointer(0),
          .pointer(0), .pointer(evalMetrics), .int32(-1),
        ])
    }
    let values = try gpu.download(Float.self, from: evalMetrics, count: evalChunks * 2, zero: 0)
    var lossSum = 0.0
    var correct = 0
    for c in 0..<evalChunks {
      let rows = min(evalChunk, testCount - c * evalChunk)
      lossSum += Double(values[2 * c]) * Double(rows)
      correct += Int(values[2 * c + 1])
    }
    return (lossSum, correct)
  }

  /// L2 norms of each weight matrix and of each gradient tensor (name order), computed on the
  /// host in Double from one copy of each arena.
  func norms() throws(CUDAError) -> (weights: [Double], gradients: [Double]) {
    let count = model.parameterCount
    let p = try gpu.download(Float.self, from: parameters, count: count, zero: 0)
    let g = try gpu.download(Float.self, from: gradients, count: count, zero: 0)
    func norm(_ values: [Float], _ range: Range<Int>) -> Double {
      var sum = 0.0
      for i in range { sum += Double(values[i]) * Double(values[i]) }
      return sum.squareRoot()
    }
    var weights: [Double] = []
    var gradients: [Double] = []
    for (l, (fanIn, fanOut)) in shapes.enumerated() {
      let w = offsets[l]..<(offsets[l] + fanIn * fanOut)
      let b = w.upperBound..<(w.upperBound + fanOut)
      weights.append(norm(p, w))
      gradients.append(norm(g, w))
      gradients.append(norm(g, b))
    }
    return (weights, gradients)
  }

  // MARK: helpers

  private func weightAddress(_ l: Int) -> UInt64 { parameters + UInt64(offsets[l] * 4) }
  private func biasAddress(_ l: Int) -> UInt64 {
    parameters + UInt64((offsets[l] + shapes[l].fanIn * shapes[l].fanOut) * 4)
  }

  static func blocks(_ threads: Int, _ block: Int, cap: Int) -> Int {
    max(1, min(cap, (threads + block - 1) / block))
  }

  static func upload(_ storage: ByteStorage, to address: UInt64, _ gpu: CUDAStreamContext)
    throws(CUDAError)
  {
    try gpu.upload(bytes: UnsafeRawBufferPointer(start: storage.pointer, count: storage.count), to: address)
  }

  static func bytes<T>(_ value: T) -> Data {
    withUnsafeBytes(of: value) { Data($0) }
  }

  /// The device `StepInfo` layout (see the kernel source).
  static func stepInfo(
    start: Int, rows: Int, slot: Int, step: Int, stepSize: Float, invBc2Sqrt: Float
  ) -> Data {
    var data = Data()
    for v in [Int32(start), Int32(rows), Int32(slot), Int32(step)] { data.append(bytes(v)) }
    data.append(bytes(stepSize))
    data.append(bytes(invBc2Sqrt))
    data.append(bytes(Int32(0)))
    data.append(bytes(Int32(0)))
    return data
  }
}
