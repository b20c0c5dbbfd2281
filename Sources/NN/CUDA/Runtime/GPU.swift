/// The GPU backend's public face: can this process train on a GPU, and on which.
public enum GPU {
  /// Loads the CUDA stack on first use (driver, NVRTC, cuBLAS) and describes device 0.
  /// Never throws: an unusable GPU is `usable == false` with the reason.
  public static func probe() -> GPUProbe {
    probe(CUDARuntime.shared)
  }

  /// The probe against a given runtime (tests pass a runtime with an overridden environment).
  static func probe(_ runtime: CUDARuntime) -> GPUProbe {
    let stack: CUDARuntime.Stack
    do throws(CUDAError) {
      stack = try runtime.load()
    } catch {
      return GPUProbe(usable: false, reason: reason(for: error), details: [("backend", "cpu")])
    }
    let info = stack.info
    var details: [(String, String)] = [
      ("backend", "cuda (driver API + NVRTC, fused kernels, CUDA graphs)"),
      ("device", info.name),
      ("compute capability", info.capabilityText),
      ("multiprocessors", String(info.multiprocessors)),
    ]
    do throws(CUDAError) {
      try stack.makeCurrent()
      let memory = try stack.memoryInfo()
      details.append(("memory total", bytesText(memory.total)))
      details.append(("memory free", bytesText(memory.free)))
    } catch {
      details.append(("memory total", bytesText(info.totalMemory)))
      details.append(("memory free", "unknown (\(error))"))
    }
    details.append(("driver version", "CUDA \(info.driverVersionText) (\(info.driverVersion))"))
    details.append(("driver library", stack.driver.library.resolvedPath))
    details.append(("NVRTC version", stack.nvrtc.version))
    details.append(("NVRTC library", stack.nvrtc.library.resolvedPath))
    switch stack.cublas {
    case .success(let cublas):
      details.append(("cuBLAS version", cublas.version))
    case .failure(.libraryNotFound(_, let tried, let reasons)):
      details.append(
        (
          "cuBLAS version",
          "not found (not needed for training; \(tried.count) paths tried, first: "
            + "\(reasons.first ?? ""))"
        ))
    case .failure(let error):
      details.append(("cuBLAS version", "not loaded (not needed for training): \(error)"))
    }
    return GPUProbe(
      usable: true,
      reason: "\(info.name) (compute capability \(info.capabilityText), "
        + "\(bytesText(info.totalMemory)), CUDA driver \(info.driverVersionText))",
      details: details)
  }

  /// One line naming what is missing.
  static func reason(for error: CUDAError) -> String {
    switch error {
    case .libraryNotFound(let library, _, _) where library == CUDALibrary.driver.displayName:
      return "no NVIDIA driver: \(error)"
    default:
      return error.description.split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
  }

  /// "139.8 GiB".
  static func bytesText(_ bytes: Int) -> String {
    let gib = Double(bytes) / Double(1 << 30)
    if gib >= 1 { return "\((gib * 10).rounded() / 10) GiB" }
    return "\((Double(bytes) / Double(1 << 20) * 10).rounded() / 10) MiB"
  }
}

/// The result of `GPU.probe()`: whether training can use the GPU, why not, and what it is.
public struct GPUProbe: Sendable {
  /// True when the driver, a device and NVRTC all loaded.
  public var usable: Bool
  /// One line: what is missing, or the device.
  public var reason: String
  /// (label, value) rows: backend, device, compute capability, memory total/free, driver and
  /// NVRTC versions (and library paths, cuBLAS version).
  public var details: [(String, String)]

  /// Creates a probe result.
  public init(usable: Bool, reason: String, details: [(String, String)]) {
    self.usable = usable
    self.reason = reason
    self.details = details
  }
}
