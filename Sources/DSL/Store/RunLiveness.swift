import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Which stored runs are being trained right now, by any process: a run in training holds a
/// byte-range lock at its id in the file `<store>-live`.
///
/// The locks are open-file-description locks (Linux `F_OFD_SETLK`): the kernel drops them when
/// the owning process ends in any way (crash, `kill -9`), and two sessions of one process do
/// not share them. A row marked running whose lock is free belongs to a process that ended.
final class RunLiveness {
  /// `F_OFD_GETLK`, `F_OFD_SETLK` from <fcntl.h> (Linux ≥ 3.15; glibc defines them only with _GNU_SOURCE).
  private static let getLock: Int32 = 36
  private static let setLock: Int32 = 37

  private let fd: Int32
  /// The lock file.
  let path: String

  /// Opens (creating) the lock file next to the store; nil when it cannot be opened.
  init?(storePath: String) {
    path = storePath + "-live"
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    if fd < 0 { return nil }
  }

  deinit { close(fd) }

  private func lock(_ type: Int32, id: Int64, command: Int32) -> flock? {
    var request = flock()
    request.l_type = Int16(type)
    request.l_whence = Int16(SEEK_SET)
    request.l_start = off_t(id)
    request.l_len = 1
    request.l_pid = 0
    let rc = withUnsafeMutablePointer(to: &request) { fcntl(fd, command, $0) }
    return rc == 0 ? request : nil
  }

  /// Marks run `id` as being trained by this session; false when another session holds it.
  func claim(_ id: Int64) -> Bool {
    lock(F_WRLCK, id: id, command: Self.setLock) != nil
  }

  /// Ends this session's claim on run `id`.
  func release(_ id: Int64) {
    _ = lock(F_UNLCK, id: id, command: Self.setLock)
  }

  /// Whether another session (this process or another) holds run `id`.
  func heldElsewhere(_ id: Int64) -> Bool {
    guard let answer = lock(F_WRLCK, id: id, command: Self.getLock) else { return false }
    return answer.l_type != Int16(F_UNLCK)
  }
}
