import Foundation

/// One of the three GPU libraries, with where to look for it.
///
/// An environment variable overrides the search with one exact path (no fallback, so a wrong
/// override is reported rather than silently replaced).
enum CUDALibrary: Sendable, CaseIterable {
  /// The CUDA driver API (libcuda.so.1), installed with the NVIDIA driver.
  case driver
  /// NVRTC, the runtime compiler for the project's CUDA C kernels.
  case nvrtc
  /// cuBLAS (sgemm); optional for training, reported by the probe.
  case cublas

  /// How errors name the library.
  var displayName: String {
    switch self {
    case .driver: return "CUDA driver library (libcuda.so.1)"
    case .nvrtc: return "NVRTC runtime compiler (libnvrtc)"
    case .cublas: return "cuBLAS library (libcublas)"
    }
  }

  /// The variable holding an explicit path.
  var environmentKey: String {
    switch self {
    case .driver: return "NNDSL_CUDA_PATH"
    case .nvrtc: return "NNDSL_NVRTC_PATH"
    case .cublas: return "NNDSL_CUBLAS_PATH"
    }
  }

  /// A symbol every genuine copy exports; its absence means "wrong file".
  var signatureSymbol: String {
    switch self {
    case .driver: return "cuInit"
    case .nvrtc: return "nvrtcVersion"
    case .cublas: return "cublasCreate_v2"
    }
  }

  /// Names the dynamic loader resolves through its usual search path, newest first.
  var sonames: [String] {
    switch self {
    case .driver: return ["libcuda.so.1", "libcuda.so"]
    case .nvrtc: return ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"]
    case .cublas: return ["libcublas.so.13", "libcublas.so.12", "libcublas.so"]
    }
  }

  /// Paths to try, in order: the override alone when set, else the sonames, then the CUDA
  /// toolkit's usual directories (not for the driver, which lives with the NVIDIA driver).
  func candidates(environment: [String: String]) -> [String] {
    if let path = environment[environmentKey], !path.isEmpty { return [path] }
    guard self != .driver else { return sonames }
    let directories = [
      environment["CUDA_HOME"].map { $0 + "/lib64" }, "/usr/local/cuda/lib64",
      "/usr/local/cuda/targets/x86_64-linux/lib",
    ].compactMap { $0 }
    return sonames + directories.flatMap { dir in sonames.map { dir + "/" + $0 } }
  }
}
