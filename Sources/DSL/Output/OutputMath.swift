#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few libm functions the renderers need, so that no other output file imports the C library.
enum OutputMath {
  /// Base-10 logarithm.
  static func log10(_ x: Double) -> Double { _log10(x) }

  /// 10 raised to `k`.
  static func pow10(_ k: Double) -> Double { pow(10, k) }

  /// 10 raised to the integer `k`.
  static func pow10(_ k: Int) -> Double { pow(10, Double(k)) }
}

@inline(__always) private func _log10(_ x: Double) -> Double { log10(x) }
