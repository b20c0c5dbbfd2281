/// One run's view of the GPU: a stream, the memory it allocated (freed at the end) and counters
/// that become the run's evidence of GPU use.
final class CUDAStreamContext {
  let stack: CUDARuntime.Stack
  let module: CUDAModule
  let stream: OpaquePointer
  /// Kernels executed so far (direct launches plus kernel nodes of launched graphs).
  private(set) var kernelsLaunched = 0
  /// Graph launches so far.
  private(set) var graphLaunches = 0
  /// Bytes this run allocated (cumulative).
  private(set) var bytesAllocated = 0
  /// Largest device memory in use (total − free) seen at the sample points.
  private(set) var peakDeviceMemoryUsed = 0
  private var allocations: [UInt64] = []
  private var graphs: [CUDAGraph] = []
  /// Launches collected instead of queued while `record` runs.
  private var recording: [RecordedLaunch]?

  /// One kernel launch as `launch` received it (for the profiler).
  struct RecordedLaunch {
    let name: String
    let grid: Int
    let block: Int
    let arguments: [KernelArgument]
  }

  private var driver: CUDADriverAPI { stack.driver }

  /// Binds the context to this thread, loads the kernels and creates a stream.
  init(runtime: CUDARuntime) throws(CUDAError) {
    stack = try runtime.load()
    try stack.makeCurrent()
    module = try runtime.kernels()
    var handle: OpaquePointer?
    try stack.driver.check(stack.driver.cuStreamCreate(&handle, 0), "cuStreamCreate")
    guard let handle else { throw .noDevice("cuStreamCreate returned no stream") }
    stream = handle
    try sampleMemory()
  }

  deinit {
    _ = driver.cuStreamSynchronize(stream)
    graphs.removeAll()
    for address in allocations { _ = driver.cuMemFree(address) }
    _ = driver.cuStreamDestroy(stream)
  }

  /// Allocates `bytes` (at least 4) of zeroed device memory.
  func allocate(bytes: Int) throws(CUDAError) -> UInt64 {
    let size = max(bytes, 4)
    var address: UInt64 = 0
    try driver.check(driver.cuMemAlloc(&address, size), "cuMemAlloc(\(size) bytes)")
    allocations.append(address)
    bytesAllocated += size
    try driver.check(driver.cuMemsetD8Async(address, 0, size, stream), "cuMemsetD8Async")
    return address
  }

  /// Copies host values to `address` and waits (the host array may change right after).
  func upload<T>(_ values: [T], to address: UInt64) throws(CUDAError) {
    let bytes = values.count * MemoryLayout<T>.stride
    guard bytes > 0 else { return }
    let status = values.withUnsafeBytes { raw in
      driver.cuMemcpyHtoDAsync(address, raw.baseAddress, bytes, stream)
    }
    try driver.check(status, "cuMemcpyHtoDAsync")
    try synchronize()
  }

  /// Copies raw host bytes to `address` and waits.
  func upload(bytes: UnsafeRawBufferPointer, to address: UInt64) throws(CUDAError) {
    guard bytes.count > 0 else { return }
    try driver.check(
      driver.cuMemcpyHtoDAsync(address, bytes.baseAddress, bytes.count, stream), "cuMemcpyHtoDAsync")
    try synchronize()
  }

  /// Reads `count` values from `address` after the queued work finishes.
  func download<T>(_ type: T.Type, from address: UInt64, count: Int, zero: T) throws(CUDAError) -> [T] {
    var host = [T](repeating: zero, count: count)
    guard count > 0 else { return host }
    let status = host.withUnsafeMutableBytes { raw in
      driver.cuMemcpyDtoHAsync(raw.baseAddress, address, raw.count, stream)
    }
    try driver.check(status, "cuMemcpyDtoHAsync")
    try synchronize()
    return host
  }

  /// Waits for everything queued on the stream; errors of earlier kernels surface here.
  func synchronize() throws(CUDAError) {
    try driver.check(driver.cuStreamSynchronize(stream), "cuStreamSynchronize")
  }

  /// Queues one kernel on the stream.
  func launch(
    _ name: String, grid: Int, block: Int, _ arguments: [KernelArgument]
  ) throws(CUDAError) {
    if recording != nil {
      recording?.append(RecordedLaunch(name: name, grid: grid, block: block, arguments: arguments))
      return
    }
    let function = try module.function(name)
    try KernelArgument.withParameterArray(arguments) { params throws(CUDAError) in
      try driver.check(
        driver.cuLaunchKernel(
          function, UInt32(max(grid, 1)), 1, 1, UInt32(block), 1, 1, 0, stream, params, nil),
        "cuLaunchKernel(\(name), grid \(grid), block \(block))")
    }
    kernelsLaunched += 1
  }

  /// The launches `body` would make, without running them.
  func record(_ body: () throws(CUDAError) -> Void) throws(CUDAError) -> [RecordedLaunch] {
    recording = []
    defer { recording = nil }
    try body()
    return recording ?? []
  }

  /// Queues a recorded launch again.
  func launch(_ recorded: RecordedLaunch) throws(CUDAError) {
    try launch(recorded.name, grid: recorded.grid, block: recorded.block, recorded.arguments)
  }

  /// Records the launches `body` makes as one graph (stream capture); nothing runs yet.
  func capture(_ body: () throws(CUDAError) -> Void) throws(CUDAError) -> CUDAGraph {
    let before = kernelsLaunched
    try driver.check(driver.cuStreamBeginCapture(stream, 1), "cuStreamBeginCapture")
    do throws(CUDAError) {
      try body()
    } catch {
      var abandoned: OpaquePointer?
      _ = driver.cuStreamEndCapture(stream, &abandoned)
      if let abandoned { _ = driver.cuGraphDestroy(abandoned) }
      kernelsLaunched = before
      throw error
    }
    var graph: OpaquePointer?
    try driver.check(driver.cuStreamEndCapture(stream, &graph), "cuStreamEndCapture")
    let nodes = kernelsLaunched - before
    kernelsLaunched = before  // captured launches did not run
    var exec: OpaquePointer?
    do throws(CUDAError) {
      try driver.check(driver.cuGraphInstantiateWithFlags(&exec, graph, 0), "cuGraphInstantiate")
    } catch {
      _ = driver.cuGraphDestroy(graph)
      throw error
    }
    let result = CUDAGraph(driver: driver, graph: graph, exec: exec, kernels: nodes)
    graphs.append(result)
    return result
  }

  /// Queues one replay of `graph`.
  func launch(_ graph: CUDAGraph) throws(CUDAError) {
    try driver.check(driver.cuGraphLaunch(graph.exec, stream), "cuGraphLaunch")
    kernelsLaunched += graph.kernels
    graphLaunches += 1
  }

  /// Updates the peak device memory in use from cuMemGetInfo.
  func sampleMemory() throws(CUDAError) {
    let info = try stack.memoryInfo()
    peakDeviceMemoryUsed = max(peakDeviceMemoryUsed, info.total - info.free)
  }
}
