/// The CUDA driver API entry points the project uses, resolved from libcuda.so.1.
///
/// Versioned names (`_v2`) are the ABI the driver has exported since CUDA 4–11; the unversioned
/// header macros map to them. Handles are opaque pointers; CUdeviceptr is a 64-bit integer.
struct CUDADriverAPI: @unchecked Sendable {
  typealias Result = Int32
  typealias Handle = OpaquePointer
  typealias DevicePointer = UInt64

  let library: DynamicLibrary
  let cuInit: @convention(c) (UInt32) -> Result
  let cuDriverGetVersion: @convention(c) (UnsafeMutablePointer<Int32>?) -> Result
  let cuGetErrorName: @convention(c) (Result, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Result
  let cuGetErrorString: @convention(c) (Result, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Result
  let cuDeviceGetCount: @convention(c) (UnsafeMutablePointer<Int32>?) -> Result
  let cuDeviceGet: @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Result
  let cuDeviceGetName: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32) -> Result
  let cuDeviceGetAttribute: @convention(c) (UnsafeMutablePointer<Int32>?, Int32, Int32) -> Result
  let cuDeviceTotalMem: @convention(c) (UnsafeMutablePointer<Int>?, Int32) -> Result
  let cuDevicePrimaryCtxRetain: @convention(c) (UnsafeMutablePointer<Handle?>?, Int32) -> Result
  let cuCtxSetCurrent: @convention(c) (Handle?) -> Result
  let cuMemGetInfo: @convention(c) (UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?) -> Result
  let cuMemAlloc: @convention(c) (UnsafeMutablePointer<DevicePointer>?, Int) -> Result
  let cuMemFree: @convention(c) (DevicePointer) -> Result
  let cuMemcpyHtoDAsync: @convention(c) (DevicePointer, UnsafeRawPointer?, Int, Handle?) -> Result
  let cuMemcpyDtoHAsync: @convention(c) (UnsafeMutableRawPointer?, DevicePointer, Int, Handle?) -> Result
  let cuMemsetD8Async: @convention(c) (DevicePointer, UInt8, Int, Handle?) -> Result
  let cuStreamCreate: @convention(c) (UnsafeMutablePointer<Handle?>?, UInt32) -> Result
  let cuStreamSynchronize: @convention(c) (Handle?) -> Result
  let cuStreamDestroy: @convention(c) (Handle?) -> Result
  let cuModuleLoadData: @convention(c) (UnsafeMutablePointer<Handle?>?, UnsafeRawPointer?) -> Result
  let cuModuleGetFunction: @convention(c) (UnsafeMutablePointer<Handle?>?, Handle?, UnsafePointer<CChar>?) -> Result
  let cuLaunchKernel:
    @convention(c) (
      Handle?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, Handle?,
      UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    ) -> Result
  let cuStreamBeginCapture: @convention(c) (Handle?, Int32) -> Result
  let cuStreamEndCapture: @convention(c) (Handle?, UnsafeMutablePointer<Handle?>?) -> Result
  let cuGraphInstantiateWithFlags: @convention(c) (UnsafeMutablePointer<Handle?>?, Handle?, UInt64) -> Result
  let cuGraphLaunch: @convention(c) (Handle?, Handle?) -> Result
  let cuGraphExecDestroy: @convention(c) (Handle?) -> Result
  let cuGraphDestroy: @convention(c) (Handle?) -> Result

  /// CU_DEVICE_ATTRIBUTE_* codes used here.
  enum Attribute {
    static let multiprocessorCount: Int32 = 16
    static let computeCapabilityMajor: Int32 = 75
    static let computeCapabilityMinor: Int32 = 76
  }

  /// Resolves every entry point; a missing one means a driver too old for this build.
  init(_ library: DynamicLibrary) throws(CUDAError) {
    self.library = library
    cuInit = try library.function("cuInit")
    cuDriverGetVersion = try library.function("cuDriverGetVersion")
    cuGetErrorName = try library.function("cuGetErrorName")
    cuGetErrorString = try library.function("cuGetErrorString")
    cuDeviceGetCount = try library.function("cuDeviceGetCount")
    cuDeviceGet = try library.function("cuDeviceGet")
    cuDeviceGetName = try library.function("cuDeviceGetName")
    cuDeviceGetAttribute = try library.function("cuDeviceGetAttribute")
    cuDeviceTotalMem = try library.function("cuDeviceTotalMem_v2")
    cuDevicePrimaryCtxRetain = try library.function("cuDevicePrimaryCtxRetain")
    cuCtxSetCurrent = try library.function("cuCtxSetCurrent")
    cuMemGetInfo = try library.function("cuMemGetInfo_v2")
    cuMemAlloc = try library.function("cuMemAlloc_v2")
    cuMemFree = try library.function("cuMemFree_v2")
    cuMemcpyHtoDAsync = try library.function("cuMemcpyHtoDAsync_v2")
    cuMemcpyDtoHAsync = try library.function("cuMemcpyDtoHAsync_v2")
    cuMemsetD8Async = try library.function("cuMemsetD8Async")
    cuStreamCreate = try library.function("cuStreamCreate")
    cuStreamSynchronize = try library.function("cuStreamSynchronize")
    cuStreamDestroy = try library.function("cuStreamDestroy_v2")
    cuModuleLoadData = try library.function("cuModuleLoadData")
    cuModuleGetFunction = try library.function("cuModuleGetFunction")
    cuLaunchKernel = try library.function("cuLaunchKernel")
    cuStreamBeginCapture = try library.function("cuStreamBeginCapture_v2")
    cuStreamEndCapture = try library.function("cuStreamEndCapture")
    cuGraphInstantiateWithFlags = try library.function("cuGraphInstantiateWithFlags")
    cuGraphLaunch = try library.function("cuGraphLaunch")
    cuGraphExecDestroy = try library.function("cuGraphExecDestroy")
    cuGraphDestroy = try library.function("cuGraphDestroy")
  }

  /// Throws `CUDAError.driver` naming `call` unless `status` is CUDA_SUCCESS.
  func check(_ status: Result, _ call: String) throws(CUDAError) {
    guard status != 0 else { return }
    var name: UnsafePointer<CChar>?
    var text: UnsafePointer<CChar>?
    _ = cuGetErrorName(status, &name)
    _ = cuGetErrorString(status, &text)
    throw .driver(
      call: call, code: status, name: name.map { String(cString: $0) } ?? "CUDA_ERROR_UNKNOWN",
      message: text.map { String(cString: $0) } ?? "unrecognised error code")
  }
}
