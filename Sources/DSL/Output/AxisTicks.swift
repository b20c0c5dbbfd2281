/// A resolved axis: its data domain, the tick positions and their labels, and a value → [0, 1]
/// mapping (linear or log).
struct AxisTicks: Equatable {
  /// Lower end of the domain (for log: a positive value).
  var lo: Double
  /// Upper end of the domain.
  var hi: Double
  /// Tick values inside the domain.
  var ticks: [Double]
  /// Tick labels, parallel to `ticks`.
  var labels: [String]
  /// The scale.
  var scale: Chart.Scale

  /// The position of `v` in the domain: 0 at `lo`, 1 at `hi`.
  func fraction(_ v: Double) -> Double {
    switch scale {
    case .linear:
      return hi > lo ? (v - lo) / (hi - lo) : 0.5
    case .log:
      let a = OutputMath.log10(lo)
      let b = OutputMath.log10(hi)
      return b > a ? (OutputMath.log10(v) - a) / (b - a) : 0.5
    }
  }

  /// Whether `v` can be placed on this axis (finite; positive on a log axis).
  func accepts(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }
}

/// "Nice" ticks: steps of 1, 2 or 5 × 10^k, compact labels (0.001, 1e-4, 2.5k).
enum TickGenerator {
  /// The smallest 1-2-5 × 10^k step that is at least `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw.isFinite, raw > 0 else { return 1 }
    let k = OutputMath.log10(raw).rounded(.down)
    let base = OutputMath.pow10(k)
    for m in [1.0, 2, 5, 10] where m * base >= raw * (1 - 1e-9) { return m * base }
    return 10 * base
  }

  /// Linear ticks for data in `[lo, hi]`, about `target` intervals.
  /// - Parameters:
  ///   - expand: widen the domain to whole steps (y axes) or keep the data range (x axes).
  ///   - integers: the data are whole numbers (epochs, steps), so the step is at least 1.
  static func linear(
    lo: Double, hi: Double, target: Int = 5, expand: Bool, integers: Bool = false
  ) -> AxisTicks {
    // Keep the range finite (±1e307 at most) so that steps and tick counts stay representable.
    var lo = min(max(lo.isFinite ? lo : 0, -1e307), 1e307)
    var hi = min(max(hi.isFinite ? hi : 0, -1e307), 1e307)
    if !(hi > lo) {
      // One value (or all equal): give it room so that it sits mid-axis.
      let pad = integers ? 1 : (lo == 0 ? 1 : abs(lo) * 0.1)
      lo -= pad
      hi += pad
    }
    var step = niceStep((hi - lo) / Double(max(1, target)))
    if integers { step = max(step, 1) }
    if expand {
      lo = (lo / step).rounded(.down) * step
      hi = (hi / step).rounded(.up) * step
    }
    let firstK = (lo / step - 1e-9).rounded(.up)
    let lastK = (hi / step + 1e-9).rounded(.down)
    var ticks: [Double] = []
    if lastK >= firstK && lastK - firstK <= 100 && abs(firstK) < 1e15 && abs(lastK) < 1e15 {
      for k in Int(firstK)...Int(lastK) {
        let v = Double(k) * step
        ticks.append(abs(v) < step * 1e-9 ? 0 : v)
      }
    }
    let maxAbs = max(abs(lo), abs(hi))
    let decimals = max(0, Int(-OutputMath.log10(step).rounded(.down)))
    let labels = ticks.map { v -> String in
      if v == 0 { return "0" }
      if maxAbs >= 1e4 || step < 1e-3 { return NumberFormatting.compact(v) }
      return NumberFormatting.fixed(v, decimals)
    }
    return AxisTicks(lo: lo, hi: hi, ticks: ticks, labels: labels, scale: .linear)
  }

  /// Log ticks for positive data in `[lo, hi]`: whole decades when the data span several,
  /// 1-2-5 within a decade or two, finer (or linear) ticks for a narrow range.
  static func log(lo: Double, hi: Double) -> AxisTicks {
    // Decades beyond ±300 cannot be mapped back (10^-324 is 0): clamp.
    var a = min(max(OutputMath.log10(lo), -300), 300)
    var b = min(max(OutputMath.log10(hi), -300), 300)
    if !(b - a > 1e-9) {
      a -= 0.5
      b += 0.5
    }
    if b - a >= 1 {
      a = a.rounded(.down)
      b = b.rounded(.up)
    } else {
      let pad = (b - a) * 0.05
      a -= pad
      b += pad
    }
    let dlo = OutputMath.pow10(a)
    let dhi = OutputMath.pow10(b)
    let decades = Int((b - a).rounded(.up))
    let mantissaSets: [[Double]] =
      decades > 3 ? [[1]] : [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]
    var ticks: [Double] = []
    for mantissas in mantissaSets {
      ticks = []
      let every = max(1, (decades + 7) / 8)
      var k = Int(a.rounded(.down))
      while Double(k) <= b.rounded(.up) {
        if mantissas.count > 1 || (k - Int(a.rounded(.down))) % every == 0 {
          for m in mantissas {
            let v = m * OutputMath.pow10(k)
            if v >= dlo * (1 - 1e-9) && v <= dhi * (1 + 1e-9) { ticks.append(v) }
          }
        }
        k += 1
      }
      if ticks.count >= 3 { break }
    }
    if ticks.count < 2 {
      // Less than a factor of ~2 between the ends: linear ticks read best.
      let lin = linear(lo: dlo, hi: dhi, target: 4, expand: false)
      ticks = lin.ticks.filter { $0 > 0 }
    }
    return AxisTicks(
      lo: dlo, hi: dhi, ticks: ticks, labels: ticks.map(NumberFormatting.compact), scale: .log)
  }
}
