import Foundation

/// NVRTC entry points, resolved from libnvrtc, and the one compile call the project needs.
struct NVRTCAPI: @unchecked Sendable {
  typealias Result = Int32
  typealias Program = OpaquePointer

  let library: DynamicLibrary
  let nvrtcVersion: @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Result
  let nvrtcGetErrorString: @convention(c) (Result) -> UnsafePointer<CChar>?
  let nvrtcCreateProgram:
    @convention(c) (
      UnsafeMutablePointer<Program?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32,
      UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?
    ) -> Result
  let nvrtcDestroyProgram: @convention(c) (UnsafeMutablePointer<Program?>?) -> Result
  let nvrtcCompileProgram: @convention(c) (Program?, Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Result
  let nvrtcGetProgramLogSize: @convention(c) (Program?, UnsafeMutablePointer<Int>?) -> Result
  let nvrtcGetProgramLog: @convention(c) (Program?, UnsafeMutablePointer<CChar>?) -> Result
  let nvrtcGetPTXSize: @convention(c) (Program?, UnsafeMutablePointer<Int>?) -> Result
  let nvrtcGetPTX: @convention(c) (Program?, UnsafeMutablePointer<CChar>?) -> Result
  let nvrtcGetCUBINSize: @convention(c) (Program?, UnsafeMutablePointer<Int>?) -> Result
  let nvrtcGetCUBIN: @convention(c) (Program?, UnsafeMutablePointer<CChar>?) -> Result

  /// Resolves every entry point.
  init(_ library: DynamicLibrary) throws(CUDAError) {
    self.library = library
    nvrtcVersion = try library.function("nvrtcVersion")
    nvrtcGetErrorString = try library.function("nvrtcGetErrorString")
    nvrtcCreateProgram = try library.function("nvrtcCreateProgram")
    nvrtcDestroyProgram = try library.function("nvrtcDestroyProgram")
    nvrtcCompileProgram = try library.function("nvrtcCompileProgram")
    nvrtcGetProgramLogSize = try library.function("nvrtcGetProgramLogSize")
    nvrtcGetProgramLog = try library.function("nvrtcGetProgramLog")
    nvrtcGetPTXSize = try library.function("nvrtcGetPTXSize")
    nvrtcGetPTX = try library.function("nvrtcGetPTX")
    nvrtcGetCUBINSize = try library.function("nvrtcGetCUBINSize")
    nvrtcGetCUBIN = try library.function("nvrtcGetCUBIN")
  }

  /// "13.0".
  var version: String {
    var major: Int32 = 0
    var minor: Int32 = 0
    guard nvrtcVersion(&major, &minor) == 0 else { return "unknown" }
    return "\(major).\(minor)"
  }

  /// Throws `CUDAError.nvrtc` naming `call` unless `status` is NVRTC_SUCCESS; `log` is attached.
  func check(_ status: Result, _ call: String, log: String = "") throws(CUDAError) {
    guard status != 0 else { return }
    let message = nvrtcGetErrorString(status).map { String(cString: $0) } ?? "unknown NVRTC error"
    throw .nvrtc(call: call, code: status, message: message, log: log)
  }

  /// What one compile produced.
  struct Output: Sendable {
    /// The PTX text (always present).
    var ptx: String
    /// Device code for a real architecture (`sm_XY`), nil for a virtual one (`compute_XY`).
    var cubin: [UInt8]?
    /// The compiler's log (warnings), possibly empty.
    var log: String
  }

  /// Compiles `source` for `architecture` ("compute_90" → PTX only, "sm_90" → PTX and CUBIN).
  func compile(
    source: String, name: String, architecture: String, extraOptions: [String] = []
  ) throws(CUDAError) -> Output {
    var program: Program?
    try check(nvrtcCreateProgram(&program, source, name, 0, nil, nil), "nvrtcCreateProgram")
    defer { _ = nvrtcDestroyProgram(&program) }
    let options = ["--gpu-architecture=\(architecture)", "-std=c++17"] + extraOptions
    let status = withCStrings(options) { nvrtcCompileProgram(program, Int32(options.count), $0) }
    let log = programLog(program)
    try check(status, "nvrtcCompileProgram(\(options.joined(separator: " ")))", log: log)

    var size = 0
    try check(nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize")
    var ptxBytes = [CChar](repeating: 0, count: max(size, 1))
    try check(nvrtcGetPTX(program, &ptxBytes), "nvrtcGetPTX")
    let ptx = String(decoding: ptxBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

    var cubin: [UInt8]?
    if architecture.hasPrefix("sm_") {
      var cubinSize = 0
      try check(nvrtcGetCUBINSize(program, &cubinSize), "nvrtcGetCUBINSize")
      var bytes = [CChar](repeating: 0, count: max(cubinSize, 1))
      try check(nvrtcGetCUBIN(program, &bytes), "nvrtcGetCUBIN")
      cubin = bytes.prefix(cubinSize).map { UInt8(bitPattern: $0) }
    }
    return Output(ptx: ptx, cubin: cubin, log: log)
  }

  private func programLog(_ program: Program?) -> String {
    var size = 0
    guard nvrtcGetProgramLogSize(program, &size) == 0, size > 1 else { return "" }
    var bytes = [CChar](repeating: 0, count: size)
    guard nvrtcGetProgramLog(program, &bytes) == 0 else { return "" }
    return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// Calls `body` with a C array of C strings that live for the duration of the call.
func withCStrings<R>(
  _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R
) -> R {
  let copies = strings.map { strdup($0) }
  defer { for copy in copies { free(copy) } }
  let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
  return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
