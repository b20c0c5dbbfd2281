import CBLAS
import Foundation

/// Facts about the machine and the BLAS library, for `device` / `env` output.
public enum SystemInfo {
  /// The CPU model name from /proc/cpuinfo ("unknown CPU" elsewhere).
  public static var cpuModel: String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return "unknown CPU"
    }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return "unknown CPU"
  }

  /// Logical CPU cores available to the process.
  public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// Physical memory in bytes.
  public static var memoryBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

  /// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY ...".
  public static var openBLASConfig: String {
    BLASSetup.ensure()
    guard let config = openblas_get_config() else { return "OpenBLAS (unknown)" }
    return String(cString: config).trimmingCharacters(in: .whitespaces)
  }

  /// "OpenBLAS 0.3.21".
  public static var openBLASVersion: String {
    openBLASConfig.split(separator: " ").prefix(2).joined(separator: " ")
  }

  /// The kernel OpenBLAS selected for this CPU, e.g. "Cooperlake".
  public static var openBLASCore: String {
    BLASSetup.ensure()
    guard let core = openblas_get_corename() else { return "unknown" }
    return String(cString: core)
  }

  /// Threads OpenBLAS currently uses.
  public static var blasThreads: Int { Int(openblas_get_num_threads()) }

  /// What the engine changed in the BLAS setup (a forced kernel choice), if anything.
  public static var blasAdjustment: String? { BLASSetup.adjustment }
}
