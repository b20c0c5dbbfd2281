import Foundation

/// Times the pieces of one training step on the device: each kernel alone (a graph of `repeats`
/// copies), the whole step in graphs and with direct launches, and cuBLAS sgemm at the first
/// layer's shape for comparison. For the device check; the numbers say where a step's time goes.
enum CUDAProfiler {
  static func profile(
    data: Dataset, model: ModelSpec, batch: Int, repeats: Int, runtime: CUDARuntime
  ) throws(CUDAError) -> [(String, Double)] {
    let gpu = try CUDAStreamContext(runtime: runtime)
    var config = TrainConfig()
    config.batch = batch
    let shape = RunShape(config: config, data: data)
    let plan = try CUDARunPlan(
      gpu: gpu, model: model, config: config, data: data, shape: shape,
      evalChunk: Trainer.evalChunk)
    let reps = max(1, min(repeats, shape.stepsPerEpoch - 1))
    var rng = RandomGenerator(seed: 0)
    let host = Network(spec: model, backend: CPUBackend(threads: 1), maxRows: 1)
    host.initialize(&rng)
    try gpu.upload(CUDAWeightLayout.toDevice(host.snapshot(), model: model), to: plan.parameters)
    try gpu.upload((0..<Int32(data.trainCount)).map { $0 }, to: plan.order)
    let table = plan.epochTable(globalStep: 0)
    try gpu.upload(table, to: plan.stepTable)
    try plan.encodeStep()  // warm up (module load, caches)
    try gpu.synchronize()

    /// Seconds per repetition of `body`, captured `reps` times into one graph.
    func timeGraph(_ body: () throws(CUDAError) -> Void) throws(CUDAError) -> Double {
      try gpu.upload(table, to: plan.stepTable)
      let graph = try gpu.capture { () throws(CUDAError) in
        for _ in 0..<reps { try body() }
      }
      try gpu.launch(graph)
      try gpu.synchronize()
      try gpu.upload(table, to: plan.stepTable)
      let start = Clock.now()
      try gpu.launch(graph)
      try gpu.synchronize()
      return (Clock.now() - start) / Double(reps)
    }

    var rows: [(String, Double)] = []
    let launches = try gpu.record { () throws(CUDAError) in try plan.encodeStep() }
    for (i, launch) in launches.enumerated() {
      let seconds = try timeGraph { () throws(CUDAError) in try gpu.launch(launch) }
      rows.append(("kernel \(i + 1) \(launch.name) <<<\(launch.grid), \(launch.block)>>>", seconds * 1e6))
    }
    let step = try timeGraph { () throws(CUDAError) in try plan.encodeStep() }
    rows.append(("step, graph of \(reps) steps", step * 1e6))
    try gpu.upload(table, to: plan.stepTable)
    let start = Clock.now()
    for _ in 0..<reps { try plan.encodeStep() }
    try gpu.synchronize()
    rows.append(("step, direct launches", (Clock.now() - start) / Double(reps) * 1e6))

    // The forward kernel's row grouping (default: by shape): the first layer alone and the step.
    let automatic = plan.forwardRows(rows: shape.batch, fanOut: model.layers[0].width)
    for group in [1, 2, 4] {
      plan.forwardRowsPerWarp = group
      let forward = try gpu.record { () throws(CUDAError) in try plan.encodeStep() }[0]
      let mark = group == automatic ? " (default)" : ""
      let alone = try timeGraph { () throws(CUDAError) in try gpu.launch(forward) }
      rows.append(
        ("forward layer 1, \(group) rows/warp\(mark) <<<\(forward.grid), \(forward.block)>>>", alone * 1e6))
      let step = try timeGraph { () throws(CUDAError) in try plan.encodeStep() }
      rows.append(("step, graph, forward \(group) rows/warp\(mark)", step * 1e6))
    }
    plan.forwardRowsPerWarp = nil

    // The fused head (last layer + softmax-CE + δ below in one block) against its three kernels.
    if plan.headApplies {
      plan.allowFusedHead = false
      let kernels = try gpu.record { () throws(CUDAError) in try plan.encodeStep() }.count
      let step = try timeGraph { () throws(CUDAError) in try plan.encodeStep() }
      rows.append(("step, graph, without the fused head (\(kernels) kernels)", step * 1e6))
      plan.allowFusedHead = true
    }

    if case .success(let cublas) = gpu.stack.cublas, let (fanIn, fanOut) = model.linearShapes.first {
      rows.append(
        (
          "cuBLAS sgemm \(fanOut)×\(shape.batch)×\(fanIn) (direct)",
          try timeCuBLAS(cublas, gpu, m: fanOut, n: shape.batch, k: fanIn, reps: reps) * 1e6
        ))
    }
    return rows
  }

  /// Seconds per cublasSgemm call (column-major C(m×n) = A(m×k)·B(k×n)), back to back.
  private static func timeCuBLAS(
    _ cublas: CUBLASAPI, _ gpu: CUDAStreamContext, m: Int, n: Int, k: Int, reps: Int
  ) throws(CUDAError) -> Double {
    var handle: OpaquePointer?
    try cublas.check(cublas.cublasCreate(&handle), "cublasCreate_v2")
    defer { _ = cublas.cublasDestroy(handle) }
    try cublas.check(cublas.cublasSetStream(handle, gpu.stream), "cublasSetStream_v2")
    let a = try gpu.allocate(bytes: m * k * 4)
    let b = try gpu.allocate(bytes: k * n * 4)
    let c = try gpu.allocate(bytes: m * n * 4)
    var alpha: Float = 1
    var beta: Float = 0
    func call() throws(CUDAError) {
      try cublas.check(
        cublas.cublasSgemm(
          handle, 0, 0, Int32(m), Int32(n), Int32(k), &alpha, a, Int32(m), b, Int32(k), &beta, c,
          Int32(m)), "cublasSgemm_v2")
    }
    for _ in 0..<10 { try call() }
    try gpu.synchronize()
    let start = Clock.now()
    for _ in 0..<reps { try call() }
    try gpu.synchronize()
    return (Clock.now() - start) / Double(reps)
  }
}

extension GPU {
  /// Microseconds per piece of one training step of `model` at `batch` on the GPU: each
  /// kernel alone, the whole step (graph and direct launches), cuBLAS sgemm at the first layer's
  /// shape. A diagnostic for the device check; throws when no GPU is usable.
  public static func profileStep(
    data: Dataset, model: ModelSpec = .baseline, batch: Int, repeats: Int = 200
  ) throws -> [(String, Double)] {
    try CUDAProfiler.profile(
      data: data, model: model, batch: batch, repeats: repeats, runtime: .shared)
  }
}
