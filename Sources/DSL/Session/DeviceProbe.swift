import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// Whether a GPU can train here, and if not, the one-line reason the user sees.
struct DeviceProbe: Sendable {
  /// True when a GPU backend is usable in this process.
  var gpuUsable: Bool
  /// Why the GPU is not used (or what it is, when it is).
  var reason: String

  /// Probes the machine: is the NVIDIA driver library present, and does this build have a GPU backend.
  static func current() -> DeviceProbe {
    #if canImport(Glibc)
      let names = ["libcuda.so.1", "libcuda.so"]
      for name in names {
        if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
          dlclose(handle)
          return DeviceProbe(
            gpuUsable: false,
            reason: "the NVIDIA driver (\(name)) is present, but this build has no CUDA backend yet")
        }
      }
      return DeviceProbe(gpuUsable: false, reason: "no NVIDIA driver library: libcuda.so.1 not found")
    #else
      return DeviceProbe(gpuUsable: false, reason: "CUDA is only supported on Linux")
    #endif
  }
}
