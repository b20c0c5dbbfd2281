import CBLAS
import Foundation

/// One-time OpenBLAS fix-up: OpenBLAS 0.3.21 does not know newer Intel CPUs (e.g. family 6
/// model 207, Emerald Rapids) and falls back to its generic "Prescott" SSE3 kernels, which run
/// sgemm 2–3× slower. When that happened, the CPU has AVX-512 or AVX2, and the user did not
/// choose a core with OPENBLAS_CORETYPE, re-run OpenBLAS's own core selection forced to
/// SkylakeX (AVX-512) or Haswell (AVX2).
enum BLASSetup {
  /// What was done, for notes; nil when nothing was needed.
  static let adjustment: String? = {
    let core = openblas_get_corename().map { String(cString: $0) }?.lowercased() ?? ""
    guard core == "prescott",
      ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil
    else { return nil }
    let flags = cpuFlags()
    let target: String
    if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) {
      target = "SkylakeX"
    } else if ["avx2", "fma"].allSatisfy(flags.contains) {
      target = "Haswell"
    } else {
      return nil
    }
    guard let quitSymbol = dlsym(nil, "gotoblas_dynamic_quit"),
      let initSymbol = dlsym(nil, "gotoblas_dynamic_init")
    else { return nil }
    typealias VoidFunction = @convention(c) () -> Void
    setenv("OPENBLAS_CORETYPE", target, 1)
    unsafeBitCast(quitSymbol, to: VoidFunction.self)()
    unsafeBitCast(initSymbol, to: VoidFunction.self)()
    unsetenv("OPENBLAS_CORETYPE")
    return "OpenBLAS chose its generic Prescott kernels for this CPU; switched to \(target) "
      + "(set OPENBLAS_CORETYPE to override)"
  }()

  /// Applies the fix-up once (idempotent).
  static func ensure() { _ = adjustment }

  private static func cpuFlags() -> Set<String> {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    return Set(line.split(separator: " ").map(String.init))
  }
}
