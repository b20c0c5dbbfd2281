import Foundation

/// ISO-8601 UTC timestamps with microseconds and a `Z`, as jupyter_client writes them.
enum ISODate {
  /// Now, e.g. `2026-11-29T23:41:07.123456Z`.
  static func now() -> String {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return format(seconds: Int(ts.tv_sec), microseconds: Int(ts.tv_nsec) / 1000)
  }

  /// Formats a Unix time.
  static func format(seconds: Int, microseconds: Int) -> String {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    func pad(_ v: Int, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-"
      + "\(pad(Int(parts.tm_mday), 2))T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):"
      + "\(pad(Int(parts.tm_sec), 2)).\(pad(microseconds, 6))Z"
  }
}
