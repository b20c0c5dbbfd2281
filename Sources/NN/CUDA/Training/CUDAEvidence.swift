/// What a GPU run did on the device, kept in the run record's notes as one line.
struct CUDAEvidence: Sendable, Equatable {
  var device: String
  var capability: String
  /// How the kernels were loaded: "CUBIN sm_90" or "PTX compute_90 (driver JIT)".
  var moduleForm: String
  var nvrtcVersion: String
  var driverVersion: String
  /// Kernels executed (graph nodes count once per replay).
  var kernelsLaunched: Int
  var graphLaunches: Int
  /// Steps per captured graph (0: direct launches).
  var graphSteps: Int
  /// Matrix products computed by the fused kernels (3L − 1 per step, L per evaluation chunk).
  var gemmCalls: Int
  /// Device bytes this run allocated.
  var bytesAllocated: Int
  /// Largest device memory in use (all processes: total − free) at the sample points.
  var peakDeviceMemory: Int

  /// The note prefix; the DSL's report can find the line by it.
  static let prefix = "gpu evidence:"

  /// The record's backend string.
  var backend: String {
    "cuda: \(device), fused kernels (NVRTC \(nvrtcVersion), \(moduleForm)), "
      + (graphSteps > 0 ? "CUDA graph of \(graphSteps) steps" : "direct launches")
  }

  /// "gpu evidence: device NVIDIA H200 (cc 9.0, driver CUDA 13.0); kernels launched 131250 ...".
  var note: String {
    "\(Self.prefix) device \(device) (cc \(capability), driver CUDA \(driverVersion)); "
      + "kernels launched \(kernelsLaunched) (\(graphLaunches) graph launches); "
      + "GEMM calls \(gemmCalls) (fused kernels, 0 cuBLAS); "
      + "device bytes allocated \(bytesAllocated) (\(GPU.bytesText(bytesAllocated))); "
      + "peak device memory in use \(peakDeviceMemory) (\(GPU.bytesText(peakDeviceMemory)))"
  }
}
