import NN

/// Whether a GPU can train here, and if not, the one-line reason the user sees.
struct DeviceProbe: Sendable {
  /// True when the CUDA backend is usable in this process.
  var gpuUsable: Bool
  /// Why the GPU is not used, or which GPU it is.
  var reason: String
  /// Backend, device name, compute capability, memory, driver and NVRTC versions (when loaded).
  var details: [(String, String)]

  /// The reason's first clause ("no NVIDIA driver"), for one-line notes; `device` shows it all.
  var shortReason: String {
    guard let colon = reason.range(of: ": ") else { return reason }
    return String(reason[..<colon.lowerBound])
  }

  /// Probes the machine once through the engine's CUDA loader (dlopen on first use).
  static func current() -> DeviceProbe {
    let probe = GPU.probe()
    return DeviceProbe(gpuUsable: probe.usable, reason: probe.reason, details: probe.details)
  }
}
