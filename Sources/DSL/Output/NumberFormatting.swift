/// Locale-free, deterministic number formatting shared by every renderer.
///
/// Everything here is written by hand (no `String(format:)`, no locale) so that the same value
/// gives the same text on every platform and in every process: golden files depend on it.
enum NumberFormatting {
  /// Text for a non-finite value, or nil when `x` is finite.
  static func nonFinite(_ x: Double) -> String? {
    if x.isNaN { return "NaN" }
    if x == .infinity { return "inf" }
    if x == -.infinity { return "-inf" }
    return nil
  }

  /// `x` with exactly `digits` decimals ("0.8765"); huge values switch to scientific notation.
  static func fixed(_ x: Double, _ digits: Int) -> String {
    if let s = nonFinite(x) { return s }
    let d = max(0, min(digits, 12))
    let scale = OutputMath.pow10(d)
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return scientific(x, max(d, 3)) }
    let n = UInt64(scaled)
    let p = UInt64(scale)
    let intPart = n / p
    let fracPart = n % p
    var s = n == 0 ? "" : (x < 0 ? "-" : "")
    s += String(intPart)
    if d > 0 {
      let frac = String(fracPart)
      s += "." + String(repeating: "0", count: d - frac.count) + frac
    }
    return s
  }

  /// `x` in scientific notation with `digits` decimals in the mantissa: "1.23e-4", "2e6".
  static func scientific(_ x: Double, _ digits: Int) -> String {
    if let s = nonFinite(x) { return s }
    if x == 0 { return digits > 0 ? fixed(0, digits) + "e0" : "0e0" }
    let d = max(0, min(digits, 12))
    var e = Int(OutputMath.log10(abs(x)).rounded(.down))
    // 10^e underflows to 0 for subnormals: scale in two steps there.
    func mantissa(_ e: Int) -> Double {
      e < -290 ? (x * 1e300) / OutputMath.pow10(e + 300) : x / OutputMath.pow10(e)
    }
    var m = mantissa(e)
    // Rounding the mantissa may carry it to 10 (9.999 → 10.0): renormalise.
    let scale = OutputMath.pow10(d)
    if (abs(m) * scale).rounded(.toNearestOrAwayFromZero) >= 10 * scale {
      e += 1
      m = mantissa(e)
    }
    if (abs(m) * scale).rounded(.toNearestOrAwayFromZero) < scale {
      e -= 1
      m = mantissa(e)
    }
    return fixed(m, d) + "e" + String(e)
  }

  /// `x` with `significant` significant digits, trailing zeros removed; scientific when very
  /// small or large ("0.000123" → "1.23e-4", "12345678" → "1.23e7").
  static func significant(_ x: Double, _ significant: Int) -> String {
    if let s = nonFinite(x) { return s }
    if x == 0 { return "0" }
    let sig = max(1, min(significant, 15))
    let e = Int(OutputMath.log10(abs(x)).rounded(.down))
    if e < -4 || e >= max(sig, 6) {
      return trimZeros(scientific(x, sig - 1))
    }
    return trimZeros(fixed(x, max(0, sig - 1 - e)))
  }

  /// Compact tick-style text: "0", "0.001", "1e-4", "2.5k", "10k", "1.2M".
  static func compact(_ x: Double) -> String {
    if let s = nonFinite(x) { return s }
    let a = abs(x)
    if a == 0 { return "0" }
    if a >= 1e12 || a < 1e-3 { return trimZeros(scientific(x, 2)) }
    for (limit, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where a >= limit {
      return significant(x / limit, 3) + suffix
    }
    return significant(x, 4)
  }

  /// Removes trailing zeros after a decimal point ("2.50" → "2.5", "3.00" → "3"), keeping
  /// any exponent suffix.
  static func trimZeros(_ s: String) -> String {
    var mantissa = Substring(s)
    var exponent = Substring("")
    if let idx = s.firstIndex(of: "e") {
      mantissa = s[..<idx]
      exponent = s[idx...]
    }
    guard mantissa.contains(".") else { return s }
    while mantissa.hasSuffix("0") { mantissa.removeLast() }
    if mantissa.hasSuffix(".") { mantissa.removeLast() }
    return String(mantissa) + String(exponent)
  }

  /// Shortest text that reads back as exactly `x` (machine formats: CSV, JSON).
  static func roundTrip(_ x: Double) -> String {
    if let s = nonFinite(x) { return s }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return String(x)
  }

  /// A duration in seconds, scaled to a readable unit: "850 µs", "12.3 ms", "1.61 s",
  /// "2 min 05 s", "1 h 02 min".
  static func duration(_ seconds: Double) -> String {
    if let s = nonFinite(seconds) { return s }
    let a = abs(seconds)
    let sign = seconds < 0 ? "-" : ""
    if a == 0 { return "0 s" }
    if a < 1e-3 { return sign + significant(a * 1e6, 3) + " µs" }
    if a < 1 { return sign + significant(a * 1e3, 3) + " ms" }
    if a < 60 { return sign + fixed(a, a < 10 ? 2 : 1) + " s" }
    if a >= 1e9 { return sign + scientific(a, 2) + " s" }
    let total = Int(a.rounded())
    if total < 3600 {
      return sign + "\(total / 60) min " + twoDigits(total % 60) + " s"
    }
    return sign + "\(total / 3600) h " + twoDigits((total % 3600) / 60) + " min"
  }

  private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
