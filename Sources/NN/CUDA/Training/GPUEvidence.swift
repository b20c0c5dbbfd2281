/// What a GPU run did on the device: the record's proof that the GPU really trained.
///
/// Kept in `RunRecord.gpuEvidence` (for the report and the JSON export) and as one note line.
public struct GPUEvidence: Sendable, Equatable, Codable {
  /// Device name as the driver reports it.
  public var device: String
  /// Compute capability, "9.0".
  public var capability: String
  /// How the kernels were loaded: "CUBIN sm_90" or "PTX compute_90 (driver JIT)".
  public var moduleForm: String
  public var nvrtcVersion: String
  public var driverVersion: String
  /// Kernels executed (graph nodes count once per replay).
  public var kernelsLaunched: Int
  public var graphLaunches: Int
  /// Steps per captured graph (0: direct launches).
  public var graphSteps: Int
  /// Matrix products computed by the fused kernels (3L − 1 per step, L per evaluation chunk).
  public var gemmCalls: Int
  /// Device bytes this run allocated.
  public var bytesAllocated: Int
  /// Largest device memory in use (all processes: total − free) at the sample points.
  public var peakDeviceMemory: Int

  /// Creates the evidence of one run (the GPU trainer fills it; public for tests and imports).
  public init(
    device: String, capability: String, moduleForm: String, nvrtcVersion: String,
    driverVersion: String, kernelsLaunched: Int, graphLaunches: Int, graphSteps: Int,
    gemmCalls: Int, bytesAllocated: Int, peakDeviceMemory: Int
  ) {
    self.device = device
    self.capability = capability
    self.moduleForm = moduleForm
    self.nvrtcVersion = nvrtcVersion
    self.driverVersion = driverVersion
    self.kernelsLaunched = kernelsLaunched
    self.graphLaunches = graphLaunches
    self.graphSteps = graphSteps
    self.gemmCalls = gemmCalls
    self.bytesAllocated = bytesAllocated
    self.peakDeviceMemory = peakDeviceMemory
  }

  /// The note prefix; the session shows the line after each GPU run.
  public static let prefix = "gpu evidence:"

  /// The record's backend string.
  public var backend: String {
    "cuda: \(device), fused kernels (NVRTC \(nvrtcVersion), \(moduleForm)), "
      + (graphSteps > 0 ? "CUDA graph of \(graphSteps) steps" : "direct launches")
  }

  /// How the steps were launched, in words.
  public var launchMode: String {
    graphSteps > 0 ? "CUDA graphs of \(graphSteps) steps (stream capture)" : "direct launches"
  }

  /// "gpu evidence: device NVIDIA H200 (cc 9.0, driver CUDA 13.0); kernels launched 131250 ...".
  public var note: String {
    "\(Self.prefix) device \(device) (cc \(capability), driver CUDA \(driverVersion)); "
      + "kernels launched \(kernelsLaunched) (\(graphLaunches) graph launches); "
      + "GEMM calls \(gemmCalls) (fused kernels, 0 cuBLAS); "
      + "device bytes allocated \(bytesAllocated) (\(GPU.bytesText(bytesAllocated))); "
      + "peak device memory in use \(peakDeviceMemory) (\(GPU.bytesText(peakDeviceMemory)))"
  }
}
