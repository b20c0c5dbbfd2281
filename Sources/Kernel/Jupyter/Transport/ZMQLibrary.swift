import CZmq
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// libzmq's functions, opened with `dlopen` the first time the kernel needs a socket.
///
/// Script mode (`kernel --script`) never touches ZeroMQ, so the binary does not link libzmq: it
/// runs where libzmq is not installed (the GPU machine), and `kernel -f` there fails with a
/// message naming the library instead of the loader refusing to start the process.
/// `NNDSL_ZMQ_PATH` names one exact file to load instead of the usual sonames.
struct ZMQLibrary: @unchecked Sendable {
  typealias Handle = UnsafeMutableRawPointer

  let ctxNew: @convention(c) () -> Handle?
  let ctxShutdown: @convention(c) (Handle?) -> Int32
  let ctxTerm: @convention(c) (Handle?) -> Int32
  let socket: @convention(c) (Handle?, Int32) -> Handle?
  let close: @convention(c) (Handle?) -> Int32
  let setsockopt: @convention(c) (Handle?, Int32, UnsafeRawPointer?, Int) -> Int32
  let getsockopt: @convention(c) (Handle?, Int32, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?) -> Int32
  let bind: @convention(c) (Handle?, UnsafePointer<CChar>?) -> Int32
  let send: @convention(c) (Handle?, UnsafeRawPointer?, Int, Int32) -> Int32
  let msgInit: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> Int32
  let msgClose: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> Int32
  let msgRecv: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?, Handle?, Int32) -> Int32
  let msgSize: @convention(c) (UnsafePointer<zmq_msg_t>?) -> Int
  let msgData: @convention(c) (UnsafeMutablePointer<zmq_msg_t>?) -> UnsafeMutableRawPointer?
  let msgMore: @convention(c) (UnsafePointer<zmq_msg_t>?) -> Int32
  let poll: @convention(c) (UnsafeMutablePointer<zmq_pollitem_t>?, Int32, Int) -> Int32
  let errnoValue: @convention(c) () -> Int32
  let strerror: @convention(c) (Int32) -> UnsafePointer<CChar>?
  let version:
    @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Void
  /// The file that was loaded.
  let path: String

  /// The library, loaded once per process (a failure is remembered too).
  static let shared: Result<ZMQLibrary, TransportError> = {
    if let path = ProcessInfo.processInfo.environment["NNDSL_ZMQ_PATH"] {
      return load(candidates: [path], fromEnvironment: true)
    }
    return load(candidates: ["libzmq.so.5", "libzmq.so"], fromEnvironment: false)
  }()

  /// The loaded library, or the reason it cannot be used.
  static func load() throws(TransportError) -> ZMQLibrary {
    try shared.get()
  }

  /// Tries each candidate in order; the first that loads and exports every function wins.
  static func load(candidates: [String], fromEnvironment: Bool) -> Result<ZMQLibrary, TransportError> {
    var tried: [String] = []
    for name in candidates {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
        let reason = dlerror().map { String(cString: $0) } ?? "cannot be opened"
        tried.append("\(fromEnvironment ? "NNDSL_ZMQ_PATH=" : "")\(name) (\(reason))")
        continue
      }
      do {
        let library = try ZMQLibrary(handle: handle, path: name)
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        library.version(&major, &minor, &patch)
        guard major >= 4 else {
          dlclose(handle)
          tried.append("\(name) (version \(major).\(minor).\(patch); 4.x or newer is needed)")
          continue
        }
        return .success(library)
      } catch {
        dlclose(handle)
        tried.append("\(name) (not libzmq: it has no symbol \(error.symbol))")
      }
    }
    return .failure(.libraryMissing(tried: tried))
  }

  /// A symbol the library lacks.
  struct MissingSymbol: Error { let symbol: String }

  private init(handle: UnsafeMutableRawPointer, path: String) throws(MissingSymbol) {
    func function<T>(_ name: String) throws(MissingSymbol) -> T {
      guard let symbol = dlsym(handle, name) else { throw MissingSymbol(symbol: name) }
      return unsafeBitCast(symbol, to: T.self)
    }
    // zmq_version first: the signature symbol that tells libzmq from any other library.
    version = try function("zmq_version")
    ctxNew = try function("zmq_ctx_new")
    ctxShutdown = try function("zmq_ctx_shutdown")
    ctxTerm = try function("zmq_ctx_term")
    socket = try function("zmq_socket")
    close = try function("zmq_close")
    setsockopt = try function("zmq_setsockopt")
    getsockopt = try function("zmq_getsockopt")
    bind = try function("zmq_bind")
    send = try function("zmq_send")
    msgInit = try function("zmq_msg_init")
    msgClose = try function("zmq_msg_close")
    msgRecv = try function("zmq_msg_recv")
    msgSize = try function("zmq_msg_size")
    msgData = try function("zmq_msg_data")
    msgMore = try function("zmq_msg_more")
    poll = try function("zmq_poll")
    errnoValue = try function("zmq_errno")
    strerror = try function("zmq_strerror")
    self.path = path
  }

  /// The message of the last ZMQ error on this thread.
  func errorText() -> String {
    strerror(errnoValue()).map { String(cString: $0) } ?? "error \(errnoValue())"
  }
}
