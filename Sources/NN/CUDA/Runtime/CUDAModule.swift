/// The project's kernels compiled by NVRTC for the device and loaded into the primary context.
final class CUDAModule: @unchecked Sendable {
  /// What was loaded: "CUBIN sm_90" or "PTX compute_90 (driver JIT)".
  let form: String
  /// NVRTC's version, for the evidence.
  let nvrtcVersion: String
  private let functions: [String: OpaquePointer]

  private init(form: String, nvrtcVersion: String, functions: [String: OpaquePointer]) {
    self.form = form
    self.nvrtcVersion = nvrtcVersion
    self.functions = functions
  }

  /// The kernel `name` (one of `CUDAKernelSource.kernelNames`).
  func function(_ name: String) throws(CUDAError) -> OpaquePointer {
    guard let f = functions[name] else {
      throw .unsupported("the kernel module has no function \(name)")
    }
    return f
  }

  /// Compiles for the device's real architecture and loads the CUBIN; if the driver rejects it
  /// (an NVRTC newer than the driver), loads PTX for the virtual architecture instead.
  static func build(_ stack: CUDARuntime.Stack) throws(CUDAError) -> CUDAModule {
    let cc = "\(stack.info.capability.major)\(stack.info.capability.minor)"
    let driver = stack.driver
    var module: OpaquePointer?
    var form = ""
    var firstError: CUDAError?
    do throws(CUDAError) {
      let output = try stack.nvrtc.compile(
        source: CUDAKernelSource.text, name: "nn_kernels.cu", architecture: "sm_\(cc)")
      if let cubin = output.cubin {
        try driver.check(
          cubin.withUnsafeBytes { driver.cuModuleLoadData(&module, $0.baseAddress) },
          "cuModuleLoadData(CUBIN sm_\(cc))")
        form = "CUBIN sm_\(cc)"
      }
    } catch {
      firstError = error
      module = nil
    }
    if module == nil {
      do throws(CUDAError) {
        let output = try stack.nvrtc.compile(
          source: CUDAKernelSource.text, name: "nn_kernels.cu", architecture: "compute_\(cc)")
        try driver.check(
          output.ptx.withCString { driver.cuModuleLoadData(&module, $0) },
          "cuModuleLoadData(PTX compute_\(cc))")
        form = "PTX compute_\(cc) (driver JIT)"
      } catch {
        throw firstError ?? error
      }
    }
    var functions: [String: OpaquePointer] = [:]
    for name in CUDAKernelSource.kernelNames {
      var function: OpaquePointer?
      try driver.check(driver.cuModuleGetFunction(&function, module, name), "cuModuleGetFunction(\(name))")
      if let function { functions[name] = function }
    }
    return CUDAModule(form: form, nvrtcVersion: stack.nvrtc.version, functions: functions)
  }
}
