/// What the driver says about the device the project uses (device 0).
struct CUDADeviceInfo: Sendable, Equatable {
  /// "NVIDIA H200".
  var name: String
  /// Compute capability major, minor (9, 0 on Hopper).
  var capability: (major: Int, minor: Int)
  /// Streaming multiprocessors.
  var multiprocessors: Int
  /// Bytes of device memory.
  var totalMemory: Int
  /// cuDriverGetVersion, e.g. 13000.
  var driverVersion: Int

  /// "9.0".
  var capabilityText: String { "\(capability.major).\(capability.minor)" }
  /// "13.0".
  var driverVersionText: String { "\(driverVersion / 1000).\(driverVersion % 1000 / 10)" }

  static func == (a: CUDADeviceInfo, b: CUDADeviceInfo) -> Bool {
    a.name == b.name && a.capability == b.capability && a.multiprocessors == b.multiprocessors
      && a.totalMemory == b.totalMemory && a.driverVersion == b.driverVersion
  }
}
