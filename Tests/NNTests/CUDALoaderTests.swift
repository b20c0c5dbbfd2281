import Foundation
import Testing

@testable import NN

/// The GPU stack without a GPU: loader error paths, the probe, device selection, and a fake
/// driver that exercises `check()` end to end.
@Suite struct CUDALoaderTests {
  /// True where this process can really train on a GPU (then the "no GPU" tests do not apply).
  static let gpuUsable = GPU.probe().usable

  struct LoaderCase: Sendable, CustomTestStringConvertible {
    var library: CUDALibrary
    var path: String
    /// Substrings the error's description must contain.
    var expected: [String]
    var testDescription: String { "\(library) at \(path)" }
  }

  static let loaderCases: [LoaderCase] = [
    LoaderCase(
      library: .driver, path: "/nonexistent/libcuda.so.1",
      expected: [
        "cannot load the CUDA driver library (libcuda.so.1)",
        "NNDSL_CUDA_PATH=/nonexistent/libcuda.so.1", "No such file",
      ]),
    LoaderCase(
      library: .driver, path: "libz.so.1",
      expected: ["libz.so.1 is not a usable CUDA driver library", "no symbol cuInit"]),
    LoaderCase(
      library: .nvrtc, path: "/nonexistent/libnvrtc.so.13",
      expected: ["cannot load the NVRTC runtime compiler", "NNDSL_NVRTC_PATH=/nonexistent"]),
    LoaderCase(
      library: .nvrtc, path: "libz.so.1", expected: ["no symbol nvrtcVersion"]),
    LoaderCase(
      library: .cublas, path: "libz.so.1", expected: ["no symbol cublasCreate_v2"]),
  ]

  @Test(arguments: loaderCases)
  func loaderReportsMissingAndWrongLibraries(_ c: LoaderCase) {
    #expect(throws: CUDAError.self) {
      _ = try DynamicLibrary.open(c.library, environment: [c.library.environmentKey: c.path])
    }
    do {
      _ = try DynamicLibrary.open(c.library, environment: [c.library.environmentKey: c.path])
    } catch {
      for text in c.expected {
        #expect(error.description.contains(text), "\(error.description) lacks \(text)")
      }
    }
  }

  @Test func overrideIsTheOnlyCandidate() {
    let env = ["NNDSL_CUDA_PATH": "/x/libcuda.so.1", "NNDSL_NVRTC_PATH": "/y/libnvrtc.so"]
    #expect(CUDALibrary.driver.candidates(environment: env) == ["/x/libcuda.so.1"])
    #expect(CUDALibrary.nvrtc.candidates(environment: env) == ["/y/libnvrtc.so"])
    let plain = CUDALibrary.cublas.candidates(environment: [:])
    #expect(Array(plain.prefix(3)) == ["libcublas.so.13", "libcublas.so.12", "libcublas.so"])
    #expect(plain.contains("/usr/local/cuda/lib64/libcublas.so.13"))
  }

  @Test func probeWithoutDriverSaysWhatIsMissing() {
    let runtime = CUDARuntime(environment: ["NNDSL_CUDA_PATH": "/nonexistent/libcuda.so.1"])
    let probe = GPU.probe(runtime)
    #expect(!probe.usable)
    #expect(probe.reason.hasPrefix("no NVIDIA driver: cannot load the CUDA driver library"))
    #expect(!probe.reason.contains("\n"))
    #expect(probe.details.first?.0 == "backend")
    // The failure is remembered: a second probe gives the same answer without a new dlopen.
    #expect(GPU.probe(runtime).reason == probe.reason)
  }

  @Test(.enabled(if: !gpuUsable, "this machine has a usable GPU"))
  func probeHereIsUnusableWithAReason() {
    let probe = GPU.probe()
    #expect(!probe.usable)
    #expect(!probe.reason.isEmpty)
    #expect(!probe.reason.contains("\n"))
  }

  @Test(.enabled(if: !gpuUsable, "this machine has a usable GPU"))
  func deviceGPUWithoutOneIsAClearError() throws {
    let data = try TestSupport.separableData(train: 60, test: 20)
    var config = TrainConfig()
    config.device = .gpu
    config.epochs = 1
    let model = ModelSpec(inputWidth: 16, layers: [.init(width: 8, activation: .relu), .init(width: 3)])
    do {
      _ = try Trainer(model: model, config: config, data: data)
      Issue.record("device=gpu without a GPU must throw")
    } catch let error as TrainError {
      guard case .deviceUnavailable(let why) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(why.hasPrefix("device=gpu: no usable GPU: "))
      #expect(why == "device=gpu: no usable GPU: \(GPU.probe().reason)")
    }
  }

  @Test(.enabled(if: !gpuUsable, "this machine has a usable GPU"))
  func deviceAutoFallsBackToTheCPUWithANote() throws {
    let data = try TestSupport.separableData(train: 60, test: 20)
    var config = TrainConfig()
    config.device = .auto
    config.epochs = 2
    config.batch = 16
    let model = ModelSpec(inputWidth: 16, layers: [.init(width: 8, activation: .relu), .init(width: 3)])
    let record = try Trainer(model: model, config: config, data: data).run(name: "auto")
    #expect(record.status == .finished)
    #expect(record.backend.hasPrefix("cpu"))
    #expect(record.epochs.count == 2)
    let note = record.notes.first { $0.hasPrefix("device=auto: training on the CPU (") }
    #expect(note != nil, "notes: \(record.notes)")
    #expect(note?.contains(GPU.probe().reason) == true)
  }

  // MARK: a fake driver

  /// Builds a stand-in libcuda whose cuInit fails with CUDA_ERROR_NO_DEVICE (100), so the path
  /// dlopen → symbol table → check() → CUDAError runs for real. Nil when no C compiler is found.
  static func buildFakeDriver(initStatus: Int) throws -> String? {
    let compilers = ["/opt/swift/usr/bin/clang", "/usr/bin/clang", "/usr/bin/cc", "/usr/bin/gcc"]
    guard let cc = compilers.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { return nil }
    let dir = try TestSupport.tempDirectory()
    let symbols = [
      "cuDriverGetVersion", "cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetName",
      "cuDeviceGetAttribute", "cuDeviceTotalMem_v2", "cuDevicePrimaryCtxRetain",
      "cuCtxSetCurrent", "cuMemGetInfo_v2", "cuMemAlloc_v2", "cuMemFree_v2",
      "cuMemcpyHtoDAsync_v2", "cuMemcpyDtoHAsync_v2", "cuMemsetD8Async", "cuStreamCreate",
      "cuStreamSynchronize", "cuStreamDestroy_v2", "cuModuleLoadData", "cuModuleGetFunction",
      "cuLaunchKernel", "cuStreamBeginCapture_v2", "cuStreamEndCapture",
      "cuGraphInstantiateWithFlags", "cuGraphLaunch", "cuGraphExecDestroy", "cuGraphDestroy",
    ]
    var source = """
      int cuInit(unsigned flags) { return \(initStatus); }
      int cuGetErrorName(int e, const char** s) {
        *s = e == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN"; return 0; }
      int cuGetErrorString(int e, const char** s) {
        *s = e == 100 ? "no CUDA-capable device is detected" : "unknown error"; return 0; }

      """
    for name in symbols { source += "int \(name)(void) { return 999; }\n" }
    try source.write(toFile: dir + "/fake.c", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: cc)
    process.arguments = ["-shared", "-fPIC", "-o", dir + "/libcuda.so.1", dir + "/fake.c"]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? dir + "/libcuda.so.1" : nil
  }

  @Test func fakeDriverErrorsGoThroughCheck() throws {
    guard let path = try Self.buildFakeDriver(initStatus: 100) else {
      print("skipped: no C compiler to build the fake driver")
      return
    }
    let runtime = CUDARuntime(environment: ["NNDSL_CUDA_PATH": path])
    let probe = GPU.probe(runtime)
    #expect(!probe.usable)
    #expect(
      probe.reason
        == "CUDA driver call cuInit failed: 100 CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected"
    )
    let driver = try CUDARuntime.loadDriver(environment: ["NNDSL_CUDA_PATH": path])
    #expect(
      throws: CUDAError.driver(
        call: "cuStreamSynchronize", code: 999, name: "CUDA_ERROR_UNKNOWN", message: "unknown error")
    ) {
      try driver.check(999, "cuStreamSynchronize")
    }
    #expect(throws: Never.self) { try driver.check(0, "cuInit") }
  }
}
