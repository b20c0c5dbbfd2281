import Foundation

/// The process-wide GPU stack, loaded on first use: libraries, device 0, its primary context,
/// and the compiled kernel module (NVRTC runs once per process).
///
/// A failure is remembered (the probe and every later run report the same reason without
/// retrying dlopen); a process that gains a GPU later needs a restart.
final class CUDARuntime: @unchecked Sendable {
  /// The loaded stack.
  struct Stack: @unchecked Sendable {
    let driver: CUDADriverAPI
    let nvrtc: NVRTCAPI
    /// cuBLAS is optional: training uses the project's own kernels.
    let cublas: Result<CUBLASAPI, CUDAError>
    let device: Int32
    let context: OpaquePointer
    let info: CUDADeviceInfo
  }

  /// The shared instance (reads the process environment).
  static let shared = CUDARuntime(environment: ProcessInfo.processInfo.environment)

  private let environment: [String: String]
  private let lock = NSLock()
  private var stack: Result<Stack, CUDAError>?
  private var module: Result<CUDAModule, CUDAError>?

  init(environment: [String: String]) {
    self.environment = environment
  }

  /// The loaded stack, loading it on the first call.
  func load() throws(CUDAError) -> Stack {
    lock.lock()
    defer { lock.unlock() }
    if stack == nil {
      do throws(CUDAError) {
        stack = .success(try Self.loadStack(environment: environment))
      } catch {
        stack = .failure(error)
      }
    }
    switch stack {
    case .success(let s): return s
    case .failure(let e): throw e
    case nil: throw .noDevice("the CUDA stack was not loaded")
    }
  }

  /// The kernel module for this device, compiled and loaded on the first call.
  func kernels() throws(CUDAError) -> CUDAModule {
    let stack = try load()
    lock.lock()
    defer { lock.unlock() }
    if module == nil {
      do throws(CUDAError) {
        try stack.makeCurrent()
        module = .success(try CUDAModule.build(stack))
      } catch {
        module = .failure(error)
      }
    }
    switch module {
    case .success(let m): return m
    case .failure(let e): throw e
    case nil: throw .noDevice("the kernels were not built")
    }
  }

  /// Opens the driver library alone (the loader's error paths are tested through this).
  static func loadDriver(environment: [String: String]) throws(CUDAError) -> CUDADriverAPI {
    try CUDADriverAPI(DynamicLibrary.open(.driver, environment: environment))
  }

  /// Opens NVRTC alone (the kernel compile test needs no driver).
  static func loadNVRTC(environment: [String: String]) throws(CUDAError) -> NVRTCAPI {
    try NVRTCAPI(DynamicLibrary.open(.nvrtc, environment: environment))
  }

  private static func loadStack(environment: [String: String]) throws(CUDAError) -> Stack {
    let driver = try loadDriver(environment: environment)
    try driver.check(driver.cuInit(0), "cuInit")
    var count: Int32 = 0
    try driver.check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount")
    guard count > 0 else { throw .noDevice("the driver loaded but reports 0 CUDA devices") }
    var device: Int32 = 0
    try driver.check(driver.cuDeviceGet(&device, 0), "cuDeviceGet")
    let info = try deviceInfo(driver, device)
    let nvrtc = try loadNVRTC(environment: environment)
    let cublas: Result<CUBLASAPI, CUDAError>
    do throws(CUDAError) {
      cublas = .success(try CUBLASAPI(DynamicLibrary.open(.cublas, environment: environment)))
    } catch {
      cublas = .failure(error)
    }
    var context: OpaquePointer?
    try driver.check(driver.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain")
    guard let context else { throw .noDevice("cuDevicePrimaryCtxRetain returned no context") }
    let stack = Stack(
      driver: driver, nvrtc: nvrtc, cublas: cublas, device: device, context: context, info: info)
    try stack.makeCurrent()
    return stack
  }

  private static func deviceInfo(
    _ driver: CUDADriverAPI, _ device: Int32
  ) throws(CUDAError) -> CUDADeviceInfo {
    var nameBytes = [CChar](repeating: 0, count: 256)
    try driver.check(driver.cuDeviceGetName(&nameBytes, 256, device), "cuDeviceGetName")
    let name = String(
      decoding: nameBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    func attribute(_ code: Int32, _ what: String) throws(CUDAError) -> Int {
      var value: Int32 = 0
      try driver.check(
        driver.cuDeviceGetAttribute(&value, code, device), "cuDeviceGetAttribute(\(what))")
      return Int(value)
    }
    let major = try attribute(CUDADriverAPI.Attribute.computeCapabilityMajor, "major")
    let minor = try attribute(CUDADriverAPI.Attribute.computeCapabilityMinor, "minor")
    let sms = try attribute(CUDADriverAPI.Attribute.multiprocessorCount, "multiprocessors")
    var total = 0
    try driver.check(driver.cuDeviceTotalMem(&total, device), "cuDeviceTotalMem")
    var version: Int32 = 0
    try driver.check(driver.cuDriverGetVersion(&version), "cuDriverGetVersion")
    return CUDADeviceInfo(
      name: name, capability: (major, minor), multiprocessors: sms, totalMemory: total,
      driverVersion: Int(version))
  }
}

extension CUDARuntime.Stack {
  /// Binds the primary context to the calling thread (needed once per thread).
  func makeCurrent() throws(CUDAError) {
    try driver.check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent")
  }

  /// (free, total) device memory in bytes.
  func memoryInfo() throws(CUDAError) -> (free: Int, total: Int) {
    var free = 0
    var total = 0
    try driver.check(driver.cuMemGetInfo(&free, &total), "cuMemGetInfo")
    return (free, total)
  }
}
