import Foundation

/// The kernel's own diagnostics: one line each, on standard error (never answered to clients).
enum KernelLog {
  /// Where lines go: fd 2, or the original stderr once fd 2 is captured.
  nonisolated(unsafe) static var fd: Int32 = 2

  /// Writes `[nndsl-kernel] line` to the log descriptor.
  static func write(_ line: String) {
    let bytes = Array("[nndsl-kernel] \(line)\n".utf8)
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        guard let base = raw.baseAddress else { break }
        let n = Glibc.write(fd, base + offset, raw.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
  }
}
