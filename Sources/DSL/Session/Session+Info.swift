import Foundation
import NN

extension Session {
  /// `device`: which backend trains, on what, and why.
  func deviceTable() -> Table {
    var g = Table(title: "Device", columns: [("field", false), ("value", false)])
    let c = resolve(TrainParams())
    let probe = gpu
    let active = c.device == .cpu || !probe.usable ? "cpu" : "gpu"
    g.add([.text("backend in use"), .text(active + " (device=\(c.device.rawValue))")])
    g.add([.text("build"), .text(BuildInfo.description)])
    g.add([.text("cpu"), .text(SystemInfo.cpuModel)])
    g.add([.text("cores"), .integer(SystemInfo.cores)])
    g.add([.text("memory"), .text(gibibytes(SystemInfo.memoryBytes))])
    g.add([.text("BLAS"), .text(blasDescription)])
    g.add([.text("BLAS threads per run"), .integer(c.threads)])
    g.add([.text("gpu"), .text(probe.usable ? probe.reason : "not used: \(probe.reason)")])
    for (key, value) in probe.details { g.add([.text("gpu \(key)"), .text(value)]) }
    return g
  }

  /// `env`: the environment a report needs.
  func environmentTable() -> Table {
    var g = Table(title: "Environment", columns: [("field", false), ("value", false)])
    for (k, v) in environmentFacts() { g.add([.text(k), .text(v)]) }
    return g
  }

  /// The environment as ordered (name, value) pairs.
  func environmentFacts() -> [(String, String)] {
    var facts: [(String, String)] = []
    facts.append(("os", osName()))
    facts.append(("kernel", kernelRelease()))
    facts.append(("cpu", SystemInfo.cpuModel))
    facts.append(("cores", String(SystemInfo.cores)))
    facts.append(("memory", gibibytes(SystemInfo.memoryBytes)))
    facts.append(("gpu", gpu.usable ? gpu.reason : "none used (\(gpu.reason))"))
    if gpu.usable {
      for (key, value) in gpu.details { facts.append(("gpu \(key)", value)) }
    }
    facts.append(("swift", swiftVersion))
    facts.append(("BLAS", blasDescription))
    facts.append(("engine", "NN \(NNInfo.version), language \(DSLInfo.version)"))
    facts.append(("build", BuildInfo.description))
    if let data = dataset {
      facts.append(("data", "\(data.name) from \(data.source) (\(data.trainCount) train, \(data.testCount) test)"))
    }
    facts.append(("run store", storeSummary()))
    let rss = processMemory()
    facts.append(("process memory", "RSS \(rss.rss), peak \(rss.peak)"))
    return facts
  }

  /// The OS's pretty name from /etc/os-release.
  func osName() -> String {
    guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
      return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    return "unknown"
  }

  /// The running kernel's release.
  func kernelRelease() -> String {
    (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
  }

  /// Current and peak resident memory of this process (from /proc/self/status).
  func processMemory() -> (rss: String, peak: String) {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return ("unknown", "unknown")
    }
    var rss = "unknown"
    var peak = "unknown"
    for line in text.split(separator: "\n") {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard parts.count >= 2, let kb = Double(parts[1]) else { continue }
      if line.hasPrefix("VmRSS:") { rss = "\(NumberFormatting.fixed(kb / 1024, 1)) MB" }
      if line.hasPrefix("VmHWM:") { peak = "\(NumberFormatting.fixed(kb / 1024, 1)) MB" }
    }
    return (rss, peak)
  }
}

/// Bytes as GiB text.
func gibibytes(_ bytes: Int) -> String {
  "\(NumberFormatting.fixed(Double(bytes) / 1_073_741_824, 1)) GiB"
}

/// The Swift compiler this binary was built with.
let swiftVersion: String = {
  #if compiler(>=6.4)
    return "Swift 6.4 or newer"
  #elseif compiler(>=6.3)
    return "Swift 6.3"
  #elseif compiler(>=6.2)
    return "Swift 6.2"
  #elseif compiler(>=6.1)
    return "Swift 6.1"
  #else
    return "Swift 6.0"
  #endif
}()

/// The BLAS library, the kernel it picked for this CPU, and any adjustment the engine made.
var blasDescription: String {
  var s = "\(SystemInfo.openBLASVersion) (\(SystemInfo.openBLASCore) kernel)"
  if let adjustment = SystemInfo.blasAdjustment { s += "; \(adjustment)" }
  return s
}
