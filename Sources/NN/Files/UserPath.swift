import Foundation

/// Why a path a user typed cannot be used.
public enum UserPathError: Error, Equatable, CustomStringConvertible {
  /// The path is empty.
  case empty
  /// The path holds a NUL character, which the operating system would silently cut it at.
  case containsNUL(String)
  /// `~user` names no user of this machine.
  case unknownUser(user: String, path: String)
  /// `~` is used but neither HOME nor the password database gives a home directory.
  case noHome(String)

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .empty: return "the path is empty"
    case .containsNUL(let p):
      return "the path \"\(p.replacingOccurrences(of: "\u{0}", with: "\\u{0}"))\" contains a NUL character; remove it"
    case .unknownUser(let user, let path): return "no user '\(user)' on this machine (in the path \"\(path)\")"
    case .noHome(let path):
      return "cannot expand '~' in \"\(path)\": HOME is not set and the user has no home directory"
    }
  }
}

/// Turns a path a user typed into the absolute path the kernel opens, the way a shell would.
///
/// This is the one place every user-given path goes through (data directories, export and report
/// files, script and output paths): a NUL is refused, `~` and `~/x` become the home directory
/// (HOME, else the password database), `~user` and `~user/x` that user's home directory, and a
/// relative path is taken relative to `base`. Nothing else is rewritten (no `..` folding, no
/// symlink resolution: that is the business of whoever opens the file).
public enum UserPath {
  /// The absolute form of `path`; relative paths are joined to `base` (nil: the working directory).
  public static func resolve(
    _ path: String, relativeTo base: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(UserPathError) -> String {
    guard !path.isEmpty else { throw .empty }
    guard !path.unicodeScalars.contains("\u{0}") else { throw .containsNUL(path) }
    let expanded = try expandTilde(path, environment: environment)
    if expanded.hasPrefix("/") { return expanded }
    let dir = base ?? FileManager.default.currentDirectoryPath
    guard !dir.unicodeScalars.contains("\u{0}") else { throw .containsNUL(dir) }
    return dir.hasSuffix("/") ? dir + expanded : dir + "/" + expanded
  }

  /// `~` and `~user` at the start of `path` replaced by the home directory, as a POSIX shell does.
  public static func expandTilde(
    _ path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(UserPathError) -> String {
    guard path.hasPrefix("~") else { return path }
    let afterTilde = path.dropFirst()
    let slash = afterTilde.firstIndex(of: "/") ?? afterTilde.endIndex
    let user = String(afterTilde[..<slash])
    let rest = String(afterTilde[slash...])  // "" or "/…"
    let home: String
    if user.isEmpty {
      if let h = environment["HOME"], !h.isEmpty {
        home = h
      } else if let h = homeDirectory(uid: getuid()) {
        home = h
      } else {
        throw .noHome(path)
      }
    } else {
      guard let h = homeDirectory(user: user) else { throw .unknownUser(user: user, path: path) }
      home = h
    }
    if rest.isEmpty { return home }
    return home.hasSuffix("/") ? home + rest.dropFirst() : home + rest
  }

  /// The home directory of a user name, from the password database.
  static func homeDirectory(user: String) -> String? {
    lookup { pwd, buffer, size, result in getpwnam_r(user, &pwd, buffer, size, &result) }
  }

  /// The home directory of a user id, from the password database.
  static func homeDirectory(uid: uid_t) -> String? {
    lookup { pwd, buffer, size, result in getpwuid_r(uid, &pwd, buffer, size, &result) }
  }

  private static func lookup(
    _ call: (inout passwd, UnsafeMutablePointer<CChar>, Int, inout UnsafeMutablePointer<passwd>?) -> Int32
  ) -> String? {
    var size = 4096
    while size <= 1 << 20 {
      var pwd = passwd()
      var result: UnsafeMutablePointer<passwd>?
      let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
      defer { buffer.deallocate() }
      let rc = call(&pwd, buffer, size, &result)
      if rc == ERANGE {
        size *= 2
        continue
      }
      guard rc == 0, result != nil, let dir = pwd.pw_dir else { return nil }
      let home = String(cString: dir)
      return home.isEmpty ? nil : home
    }
    return nil
  }
}
