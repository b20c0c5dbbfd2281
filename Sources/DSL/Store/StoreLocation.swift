import Foundation

/// Where a session's run store is: one rule for the default, the environment and `set store=`.
enum StoreLocation {
  /// The default store, relative to the notebook's or script's directory.
  static let defaultRelativePath = ".nndsl/runs.db"
  /// The file name used when a path names a directory.
  static let fileName = "runs.db"
  /// The environment variable that overrides the default: a path, or `off`.
  static let environmentKey = "NNDSL_STORE"

  /// The absolute path of the store for `setting`, or nil for no store.
  /// - Parameters:
  ///   - environment: the session's environment (`NNDSL_STORE`).
  ///   - baseDirectory: the notebook's or script's directory; nil means no default store.
  static func resolve(_ setting: StoreSetting, environment: [String: String], baseDirectory: String?) -> String? {
    let cwd = FileManager.default.currentDirectoryPath
    switch setting {
    case .off:
      return nil
    case .path(let path):
      return absolute(path, relativeTo: baseDirectory ?? cwd)
    case .automatic:
      if let value = environment[environmentKey]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
        return value.lowercased() == "off" ? nil : absolute(value, relativeTo: cwd)
      }
      guard let baseDirectory else { return nil }
      return absolute(defaultRelativePath, relativeTo: baseDirectory)
    }
  }

  /// `path` made absolute and normalised; an existing directory (or a trailing `/`) gets `runs.db`.
  static func absolute(_ path: String, relativeTo base: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    var full = expanded.hasPrefix("/") ? expanded : (base as NSString).appendingPathComponent(expanded)
    var isDirectory: ObjCBool = false
    if full.hasSuffix("/")
      || (FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue)
    {
      full = (full as NSString).appendingPathComponent(fileName)
    }
    return (full as NSString).standardizingPath
  }
}
