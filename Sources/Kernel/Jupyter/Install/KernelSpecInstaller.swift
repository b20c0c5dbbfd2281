import Foundation

/// Why a kernelspec could not be installed.
enum KernelSpecError: Error, Equatable, CustomStringConvertible {
  /// The kernel name has characters Jupyter does not allow in a kernelspec directory.
  case invalidName(String)
  /// `--sys-prefix` without an active Python environment to find the prefix of.
  case noSysPrefix
  /// The path of this executable could not be determined.
  case executableUnknown
  /// A directory or file could not be written.
  case cannotWrite(path: String, reason: String)
  /// No home directory for a `--user` install.
  case noHome

  var description: String {
    switch self {
    case .invalidName(let n):
      return "kernel name '\(n)' is not allowed: use only letters, digits, '.', '_' and '-'"
    case .noSysPrefix:
      return "--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX), "
        + "or a python3 on PATH to ask for sys.prefix"
    case .executableUnknown:
      return "cannot find the path of this executable; pass --executable PATH"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .noHome: return "HOME is not set, so there is no user data directory; use --prefix"
    }
  }
}

/// Where a kernelspec goes, as `jupyter kernelspec install` understands it.
enum KernelSpecLocation: Equatable, Sendable {
  /// The user's data directory: `$JUPYTER_DATA_DIR` or `$XDG_DATA_HOME/jupyter` or
  /// `~/.local/share/jupyter` (`~/Library/Jupyter` on macOS).
  case user
  /// The active Python environment: `sys.prefix/share/jupyter`.
  case sysPrefix
  /// A given prefix: `P/share/jupyter`.
  case prefix(String)
  /// The system-wide directory `/usr/local/share/jupyter`.
  case system
}

/// Writes a kernelspec: `kernel.json` plus `logo-svg.svg`, `logo-32x32.png`, `logo-64x64.png`.
struct KernelSpecInstaller {
  /// The kernelspec directory name (`[A-Za-z0-9._-]+`).
  var name: String
  var displayName: String
  /// Absolute path of the kernel executable written into `argv`.
  var executable: String
  var environment: [String: String] = ProcessInfo.processInfo.environment

  /// The `.../share/jupyter` data directory for a location.
  func dataDirectory(for location: KernelSpecLocation) throws(KernelSpecError) -> String {
    switch location {
    case .user:
      if let dir = environment["JUPYTER_DATA_DIR"], !dir.isEmpty { return dir }
      guard let home = environment["HOME"], !home.isEmpty else { throw .noHome }
      #if os(macOS)
        return home + "/Library/Jupyter"
      #else
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/jupyter" }
        return home + "/.local/share/jupyter"
      #endif
    case .sysPrefix:
      return try KernelSpecInstaller.sysPrefix(environment: environment) + "/share/jupyter"
    case .prefix(let p):
      return KernelSpecInstaller.absolute(p) + "/share/jupyter"
    case .system:
      return "/usr/local/share/jupyter"
    }
  }

  /// The kernelspec directory for a location: `<data dir>/kernels/<name>`.
  func directory(for location: KernelSpecLocation) throws(KernelSpecError) -> String {
    try dataDirectory(for: location) + "/kernels/" + name
  }

  /// The contents of kernel.json.
  var kernelJSON: JSON {
    [
      "argv": [.string(executable), "-f", "{connection_file}"],
      "display_name": .string(displayName),
      "language": "nndsl",
      "interrupt_mode": "message",
      "env": [:],
      "metadata": ["debugger": false, "supported_encryption": ["curve"]],
    ]
  }

  /// Writes the kernelspec and returns its directory.
  @discardableResult
  func install(at location: KernelSpecLocation) throws(KernelSpecError) -> String {
    guard KernelSpecInstaller.isValidName(name) else { throw .invalidName(name) }
    let dir = try directory(for: location)
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: dir, reason: error.localizedDescription)
    }
    let files = [("kernel.json", Array((kernelJSON.text + "\n").utf8))] + KernelLogo.files
    for (file, bytes) in files {
      let path = dir + "/" + file
      do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
      } catch {
        throw .cannotWrite(path: path, reason: error.localizedDescription)
      }
    }
    return dir
  }

  /// Whether Jupyter accepts `name` as a kernelspec directory name.
  static func isValidName(_ name: String) -> Bool {
    !name.isEmpty
      && name.unicodeScalars.allSatisfy { c in
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "_"
          || c == "-"
      }
  }

  /// The absolute path of the running executable (`/proc/self/exe`, else argv[0]).
  static func currentExecutable() -> String? {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return path
    }
    guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
    return absolute(first)
  }

  static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
    let cwd = FileManager.default.currentDirectoryPath
    return URL(fileURLWithPath: cwd + "/" + path).standardizedFileURL.path
  }

  private static func sysPrefix(environment: [String: String]) throws(KernelSpecError) -> String {
    for key in ["VIRTUAL_ENV", "CONDA_PREFIX"] {
      if let v = environment[key], !v.isEmpty { return v }
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw .noSysPrefix
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let prefix = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0, !prefix.isEmpty else { throw .noSysPrefix }
    return prefix
  }
}
