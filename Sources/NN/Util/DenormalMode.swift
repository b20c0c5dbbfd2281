import Foundation

/// Flush-to-zero / denormals-are-zero for the calling thread (x86 MXCSR bits 15 and 6).
///
/// Adam's moment estimates of never-active inputs (border pixels) decay into subnormal floats,
/// which cost a microcode assist per operation on x86 and made the update 5× slower; values
/// that small (< 1.2e-38) change no parameter, so the CPU backend trains with them flushed.
enum DenormalMode {
  /// Runs `body` with FTZ+DAZ set, restoring the previous mode afterwards.
  static func flushingToZero<T>(_ body: () throws -> T) rethrows -> T {
    #if arch(x86_64)
      var saved = fenv_t()
      fegetenv(&saved)
      var env = saved
      env.__mxcsr |= 0x8040
      fesetenv(&env)
      defer { fesetenv(&saved) }
    #endif
    return try body()
  }

  /// Sets FTZ+DAZ for the rest of the calling thread's life (worker threads the engine owns).
  static func setFlushToZero() {
    #if arch(x86_64)
      var env = fenv_t()
      fegetenv(&env)
      env.__mxcsr |= 0x8040
      fesetenv(&env)
    #endif
  }
}
