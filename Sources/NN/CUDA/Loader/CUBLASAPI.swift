/// The few cuBLAS entry points the project uses (version for the probe; sgemm for the device
/// check's comparison), resolved from libcublas.
struct CUBLASAPI: @unchecked Sendable {
  typealias Status = Int32
  typealias Handle = OpaquePointer

  let library: DynamicLibrary
  let cublasGetProperty: @convention(c) (Int32, UnsafeMutablePointer<Int32>?) -> Status
  let cublasCreate: @convention(c) (UnsafeMutablePointer<Handle?>?) -> Status
  let cublasDestroy: @convention(c) (Handle?) -> Status
  let cublasSetStream: @convention(c) (Handle?, OpaquePointer?) -> Status
  let cublasSgemm:
    @convention(c) (
      Handle?, Int32, Int32, Int32, Int32, Int32, UnsafePointer<Float>?, UInt64, Int32, UInt64,
      Int32, UnsafePointer<Float>?, UInt64, Int32
    ) -> Status

  /// Resolves every entry point.
  init(_ library: DynamicLibrary) throws(CUDAError) {
    self.library = library
    cublasGetProperty = try library.function("cublasGetProperty")
    cublasCreate = try library.function("cublasCreate_v2")
    cublasDestroy = try library.function("cublasDestroy_v2")
    cublasSetStream = try library.function("cublasSetStream_v2")
    cublasSgemm = try library.function("cublasSgemm_v2")
  }

  /// "13.0.2" from the library's own properties (no handle needed).
  var version: String {
    var parts: [Int32] = []
    for property: Int32 in 0...2 {
      var value: Int32 = 0
      guard cublasGetProperty(property, &value) == 0 else { return "unknown" }
      parts.append(value)
    }
    return parts.map(String.init).joined(separator: ".")
  }

  /// Throws `CUDAError.cublas` naming `call` unless `status` is CUBLAS_STATUS_SUCCESS.
  func check(_ status: Status, _ call: String) throws(CUDAError) {
    guard status != 0 else { return }
    throw .cublas(call: call, code: status, name: Self.statusName(status))
  }

  /// cublasStatus_t names (cublasGetStatusName exists only since 11.4; the table is stable).
  static func statusName(_ status: Status) -> String {
    switch status {
    case 1: return "CUBLAS_STATUS_NOT_INITIALIZED"
    case 3: return "CUBLAS_STATUS_ALLOC_FAILED"
    case 7: return "CUBLAS_STATUS_INVALID_VALUE"
    case 8: return "CUBLAS_STATUS_ARCH_MISMATCH"
    case 11: return "CUBLAS_STATUS_MAPPING_ERROR"
    case 13: return "CUBLAS_STATUS_EXECUTION_FAILED"
    case 14: return "CUBLAS_STATUS_INTERNAL_ERROR"
    case 15: return "CUBLAS_STATUS_NOT_SUPPORTED"
    case 16: return "CUBLAS_STATUS_LICENSE_ERROR"
    default: return "CUBLAS_STATUS_\(status)"
    }
  }
}
