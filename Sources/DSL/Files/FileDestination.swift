import Foundation

/// Why a file was not written. Nothing at the path was changed when one of these is thrown.
public enum FileWriteError: Error, Equatable, CustomStringConvertible {
  /// The path names a directory.
  case isDirectory(path: String)
  /// The path names something that is not a regular file (a device, a FIFO, a socket).
  case notRegularFile(path: String, kind: String)
  /// The path is a regular file without write permission (pass `force` to replace it anyway).
  case readOnly(path: String)
  /// The path is a symbolic link whose target does not exist.
  case danglingLink(path: String, target: String)
  /// Following symbolic links from the path does not end (a loop or a very long chain).
  case linkLoop(path: String)
  /// A component of the directory part exists but is not a directory.
  case parentNotDirectory(path: String, parent: String)
  /// An operation on the file system failed (no space, no permission, …).
  case failed(path: String, operation: String, reason: String)

  /// The path the error is about.
  public var path: String {
    switch self {
    case .isDirectory(let p), .notRegularFile(let p, _), .readOnly(let p), .danglingLink(let p, _),
      .linkLoop(let p), .parentNotDirectory(let p, _), .failed(let p, _, _):
      return p
    }
  }

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .isDirectory(let p): return "\(p) is a directory; give a file name"
    case .notRegularFile(let p, let kind):
      return "\(p) is a \(kind), not a regular file; only regular files are written"
    case .readOnly(let p): return "\(p) is read-only; it was left as it is"
    case .danglingLink(let p, let target):
      return "\(p) is a symbolic link to \(target), which does not exist"
    case .linkLoop(let p): return "\(p): too many levels of symbolic links"
    case .parentNotDirectory(let p, let parent): return "cannot write \(p): \(parent) is not a directory"
    case .failed(let p, let operation, let reason): return "cannot write \(p): \(operation) failed: \(reason)"
    }
  }
}

/// Writes whole files without ever replacing something that is not a regular file.
///
/// Every file the kernel writes for a user (exports, reports and their figures, stores) goes
/// through `write(_:to:force:)`:
/// - a regular file is replaced atomically: the bytes go to a temporary file in the same
///   directory, are flushed to disk, get the old file's mode and owner, and are renamed over it,
///   so a reader sees the old or the new file, never a part;
/// - a read-only regular file is refused unless `force` is true (then it is replaced and stays
///   read-only);
/// - a symbolic link is followed to its final target, which obeys the same rules; the link itself
///   stays a link. A link to nothing is refused;
/// - a directory, device, FIFO or socket is refused, and nothing is written;
/// - a missing file is created with mode 0666 less the umask, creating missing directories.
///
/// Errors are thrown, never swallowed: a write that returns has really reached the file system.
public enum FileDestination {
  /// What is at a path that is about to be written.
  struct Target: Equatable, Sendable {
    /// The path the bytes will go to (symbolic links followed).
    let path: String
    /// Mode, owner and group of the regular file there, nil when none exists yet.
    let existing: Existing?

    /// Mode, owner and group of an existing regular file.
    struct Existing: Equatable, Sendable {
      let mode: mode_t
      let owner: uid_t
      let group: gid_t
    }
  }

  /// The most symbolic links followed from one path.
  static let maxLinks = 40

  /// Checks that `path` may be written without writing it; returns where the bytes would go.
  ///
  /// Callers that write several files for one statement check them all first, so that a refused
  /// one leaves the others untouched.
  @discardableResult
  static func check(_ path: String, force: Bool = false) throws(FileWriteError) -> Target {
    var current = path
    for _ in 0...maxLinks {
      var st = stat()
      if lstat(current, &st) != 0 {
        let code = errno
        if code == ENOENT {
          if current != path { throw .danglingLink(path: path, target: current) }
          try checkParent(of: current, for: path)
          return Target(path: current, existing: nil)
        }
        if code == ENOTDIR { try checkParent(of: current, for: path) }
        throw .failed(path: path, operation: "stat", reason: String(cString: strerror(code)))
      }
      switch st.st_mode & S_IFMT {
      case S_IFLNK:
        current = try linkTarget(current, for: path)
        continue
      case S_IFREG:
        let writable = (st.st_mode & 0o222) != 0 && access(current, W_OK) == 0
        if !writable && !force { throw .readOnly(path: path) }
        return Target(
          path: current,
          existing: .init(mode: st.st_mode & 0o7777, owner: st.st_uid, group: st.st_gid))
      case S_IFDIR: throw .isDirectory(path: path)
      case S_IFCHR: throw .notRegularFile(path: path, kind: "character device")
      case S_IFBLK: throw .notRegularFile(path: path, kind: "block device")
      case S_IFIFO: throw .notRegularFile(path: path, kind: "FIFO (named pipe)")
      case S_IFSOCK: throw .notRegularFile(path: path, kind: "socket")
      default: throw .notRegularFile(path: path, kind: "special file")
      }
    }
    throw .linkLoop(path: path)
  }

  /// Writes `data` to `path` (see the type's rules); returns the path really written.
  @discardableResult
  public static func write(_ data: Data, to path: String, force: Bool = false) throws(FileWriteError) -> String {
    let target = try check(path, force: force)
    let dir = directory(of: target.path)
    if target.existing == nil { try makeDirectories(dir, for: path) }
    let name = (target.path as NSString).lastPathComponent
    // The temporary file is hidden, beside the target (same file system, so the rename is atomic).
    let stem = String(decoding: name.utf8.prefix(200), as: UTF8.self)
    var template = Array((dir == "/" ? "/" : dir + "/").utf8CString.dropLast()) + Array(".\(stem).XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw .failed(
        path: path, operation: "create a temporary file in \(dir)", reason: String(cString: strerror(errno)))
    }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var closed = false
    func fail(_ operation: String, _ code: Int32) -> FileWriteError {
      if !closed { Foundation.close(fd) }
      unlink(temporary)
      return .failed(path: path, operation: operation, reason: String(cString: strerror(code)))
    }
    // Bytes first, then mode and owner, then durability: the rename below publishes a finished file.
    let writeError: Int32? = data.withUnsafeBytes { raw -> Int32? in
      var offset = 0
      while offset < raw.count {
        let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        if n == 0 { return EIO }
        offset += n
      }
      return nil
    }
    if let code = writeError { throw fail("write", code) }
    if let existing = target.existing {
      if fchown(fd, existing.owner, existing.group) != 0 && errno != EPERM { throw fail("chown", errno) }
      if fchmod(fd, existing.mode) != 0 { throw fail("chmod", errno) }
    } else if fchmod(fd, 0o666 & ~currentUmask()) != 0 {
      throw fail("chmod", errno)
    }
    if fsync(fd) != 0 && errno != EINVAL { throw fail("fsync", errno) }
    closed = true
    if Foundation.close(fd) != 0 { throw fail("close", errno) }
    // Look again just before the rename: a node that appeared meanwhile is not replaced.
    do {
      try recheck(target, path: path, force: force)
    } catch {
      unlink(temporary)
      throw error
    }
    if rename(temporary, target.path) != 0 { throw fail("rename", errno) }
    syncDirectory(dir)
    return target.path
  }

  /// Writes UTF-8 text (see `write(_:to:force:)`).
  @discardableResult
  public static func write(_ text: String, to path: String, force: Bool = false) throws(FileWriteError) -> String {
    try write(Data(text.utf8), to: path, force: force)
  }

  // MARK: - Helpers

  /// Refuses, just before the rename, a node that is no longer what `check` saw.
  private static func recheck(_ target: Target, path: String, force: Bool) throws(FileWriteError) {
    var st = stat()
    if lstat(target.path, &st) != 0 { return }  // gone meanwhile: creating it is what was asked
    if st.st_mode & S_IFMT == S_IFREG { return }
    _ = try check(target.path, force: force)  // throws the precise refusal
    throw .notRegularFile(path: path, kind: "special file")
  }

  /// The target of one symbolic link, relative targets taken from the link's directory.
  private static func linkTarget(_ link: String, for path: String) throws(FileWriteError) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(link, &buffer, buffer.count - 1)
    guard n >= 0 else {
      throw .failed(path: path, operation: "readlink", reason: String(cString: strerror(errno)))
    }
    let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if target.hasPrefix("/") { return target }
    return (directory(of: link) as NSString).appendingPathComponent(target)
  }

  /// Refuses a path whose directory part exists as something other than a directory.
  private static func checkParent(of file: String, for path: String) throws(FileWriteError) {
    var dir = directory(of: file)
    while dir != "/" && !dir.isEmpty {
      var st = stat()
      if stat(dir, &st) == 0 {
        if st.st_mode & S_IFMT != S_IFDIR { throw .parentNotDirectory(path: path, parent: dir) }
        return
      }
      dir = directory(of: dir)
    }
  }

  private static func makeDirectories(_ dir: String, for path: String) throws(FileWriteError) {
    var st = stat()
    if stat(dir, &st) == 0 {
      if st.st_mode & S_IFMT == S_IFDIR { return }
      throw .parentNotDirectory(path: path, parent: dir)
    }
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw .failed(
        path: path, operation: "create the directory \(dir)",
        reason: (error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")
    }
  }

  private static func directory(of path: String) -> String {
    let dir = (path as NSString).deletingLastPathComponent
    return dir.isEmpty ? FileManager.default.currentDirectoryPath : dir
  }

  /// Flushes a directory entry (the rename) to disk; best effort.
  private static func syncDirectory(_ dir: String) {
    let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    Foundation.close(fd)
  }

  /// The process's umask, read without changing it (Linux reports it in /proc/self/status).
  private static func currentUmask() -> mode_t {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
      let value = mode_t(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8)
    {
      return value
    }
    return 0o022
  }
}
