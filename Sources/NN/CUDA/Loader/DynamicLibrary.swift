import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A shared library opened with dlopen; symbols are looked up by name and cast to C function types.
final class DynamicLibrary: @unchecked Sendable {
  /// Which library this is (for error messages).
  let library: CUDALibrary
  /// The path or soname that opened.
  let path: String
  private let handle: UnsafeMutableRawPointer

  private init(library: CUDALibrary, path: String, handle: UnsafeMutableRawPointer) {
    self.library = library
    self.path = path
    self.handle = handle
  }

  /// Opens the first candidate that loads and exports the library's signature symbol.
  static func open(
    _ library: CUDALibrary, environment: [String: String]
  ) throws(CUDAError) -> DynamicLibrary {
    let candidates = library.candidates(environment: environment)
    var tried: [String] = []
    var reasons: [String] = []
    for path in candidates {
      #if canImport(Glibc)
        if library == .nvrtc { preloadNVRTCBuiltins(besides: path) }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
          tried.append(path)
          reasons.append(lastError() ?? "dlopen failed")
          continue
        }
        guard dlsym(handle, library.signatureSymbol) != nil else {
          dlclose(handle)
          throw .symbolMissing(
            library: library.displayName, path: path, symbol: library.signatureSymbol)
        }
        return DynamicLibrary(library: library, path: path, handle: handle)
      #else
        tried.append(path)
        reasons.append("dynamic loading of CUDA is only supported on Linux")
      #endif
    }
    if environment[library.environmentKey].map({ !$0.isEmpty }) ?? false {
      tried = tried.map { "\(library.environmentKey)=\($0)" }
    }
    throw .libraryNotFound(library: library.displayName, tried: tried, reasons: reasons)
  }

  /// The symbol `name` as the C function type `T`.
  func function<T>(_ name: String, as type: T.Type = T.self) throws(CUDAError) -> T {
    #if canImport(Glibc)
      guard let pointer = dlsym(handle, name) else {
        throw .symbolMissing(library: library.displayName, path: path, symbol: name)
      }
      return unsafeBitCast(pointer, to: type)
    #else
      throw .symbolMissing(library: library.displayName, path: path, symbol: name)
    #endif
  }

  /// Whether the library exports `name` (for optional entry points).
  func has(_ name: String) -> Bool {
    #if canImport(Glibc)
      return dlsym(handle, name) != nil
    #else
      return false
    #endif
  }

  /// The file the loader actually mapped (resolves sonames via /proc/self/maps), or `path`.
  var resolvedPath: String {
    let base = (path as NSString).lastPathComponent
    guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else {
      return path
    }
    for line in maps.split(separator: "\n") {
      guard let slash = line.firstIndex(of: "/") else { continue }
      let file = String(line[slash...])
      if (file as NSString).lastPathComponent.hasPrefix(base) { return file }
    }
    return path
  }

  #if canImport(Glibc)
    /// dlerror's message, trimmed.
    private static func lastError() -> String? {
      guard let message = dlerror() else { return nil }
      return String(cString: message)
    }

    /// NVRTC dlopens libnvrtc-builtins by soname at compile time; where libnvrtc comes from a
    /// directory outside the loader path (a pip wheel), load the builtins from that directory first.
    private static func preloadNVRTCBuiltins(besides path: String) {
      guard path.contains("/") else { return }
      let directory = (path as NSString).deletingLastPathComponent
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
        return
      }
      for name in names.sorted()
      where name.hasPrefix("libnvrtc-builtins.so") && !name.contains(".alt.") {
        _ = dlopen(directory + "/" + name, RTLD_NOW | RTLD_GLOBAL)
      }
    }
  #endif
}
