import Foundation
import Testing

@testable import Kernel

/// libzmq is opened at run time: script mode never needs it, and `kernel -f` says what is missing.
@Suite struct ZMQLoadingTests {
  /// A connection file on ephemeral ports.
  static let connection = #"""
    {"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0,
     "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}
    """#

  @Test func binaryDoesNotLinkLibzmq() throws {
    let exe = try #require(KernelProcess.executable)
    let ldd = Process()
    ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
    ldd.arguments = [exe.path]
    let pipe = Pipe()
    ldd.standardOutput = pipe
    try ldd.run()
    let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    ldd.waitUntilExit()
    #expect(listing.contains("libc.so"), "ldd output: \(listing)")
    #expect(!listing.contains("libzmq"), "the kernel links libzmq: \(listing)")
  }

  @Test func loadsTheSystemLibrary() throws {
    let library = try ZMQLibrary.load(candidates: ["libzmq.so.5"], fromEnvironment: false).get()
    var major: Int32 = 0
    var minor: Int32 = 0
    var patch: Int32 = 0
    library.version(&major, &minor, &patch)
    #expect(major >= 4)
    #expect(library.path == "libzmq.so.5")
  }

  struct LoadCase: Sendable, CustomStringConvertible {
    let path: String
    let message: String
    var description: String { path }
  }

  static let failures = [
    LoadCase(
      path: "/nonexistent/libzmq.so.5",
      message: "tried NNDSL_ZMQ_PATH=/nonexistent/libzmq.so.5 (/nonexistent/libzmq.so.5: cannot open shared object file"
    ),
    LoadCase(path: "libz.so.1", message: "libz.so.1 (not libzmq: it has no symbol zmq_version)"),
  ]

  @Test(arguments: failures)
  func loaderErrors(_ c: LoadCase) {
    switch ZMQLibrary.load(candidates: [c.path], fromEnvironment: true) {
    case .success: Issue.record("\(c.path) loaded as libzmq")
    case .failure(let error):
      #expect(error.description.contains("cannot load libzmq, which the Jupyter kernel needs"))
      #expect(error.description.contains(c.message), "\(error.description)")
      #expect(error.description.contains("apt-get install libzmq5"))
    }
  }

  @Test(arguments: failures)
  func kernelWithoutLibzmqExplainsAndExits(_ c: LoadCase) throws {
    let dir = try TemporaryDirectory()
    let file = try dir.file("connection.json", Data(Self.connection.utf8))
    let result = try KernelProcess.run(["-f", file], environment: ["NNDSL_ZMQ_PATH": c.path])
    #expect(result.status == 1, "stderr: \(result.stderr)")
    #expect(result.stderr.contains("cannot load libzmq"), "\(result.stderr)")
    #expect(result.stderr.contains(c.message), "\(result.stderr)")
  }

  @Test func installWarnsWhenLibzmqIsMissing() throws {
    let dir = try TemporaryDirectory()
    let missing = try KernelProcess.run(
      ["install", "--prefix", dir.url.path], environment: ["NNDSL_ZMQ_PATH": "/nonexistent/libzmq.so.5"])
    #expect(missing.status == 0, "stderr: \(missing.stderr)")
    #expect(missing.stdout.contains("Installed kernelspec nndsl"))
    #expect(missing.stderr.contains("warning: Jupyter will not be able to start this kernel here: cannot load libzmq"))
    let present = try KernelProcess.run(["install", "--prefix", dir.url.path])
    #expect(present.status == 0 && !present.stderr.contains("warning"), "stderr: \(present.stderr)")
  }

  @Test func scriptModeNeverLoadsLibzmq() throws {
    let dir = try TemporaryDirectory()
    _ = try dir.file("hello.nb", Data("print \"hello\"\n".utf8))
    let result = try KernelProcess.run(
      ["--script", "hello.nb"], in: dir.url, environment: ["NNDSL_ZMQ_PATH": "/nonexistent/libzmq.so.5"])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("hello"))
  }
}
