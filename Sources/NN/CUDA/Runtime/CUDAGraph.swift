/// An instantiated CUDA graph (captured from a stream) and the kernels it runs per launch.
final class CUDAGraph {
  private let driver: CUDADriverAPI
  private let graph: OpaquePointer?
  let exec: OpaquePointer?
  /// Kernel nodes in the graph.
  let kernels: Int

  init(driver: CUDADriverAPI, graph: OpaquePointer?, exec: OpaquePointer?, kernels: Int) {
    self.driver = driver
    self.graph = graph
    self.exec = exec
    self.kernels = kernels
  }

  deinit {
    _ = driver.cuGraphExecDestroy(exec)
    _ = driver.cuGraphDestroy(graph)
  }
}
