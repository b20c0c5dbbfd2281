import Foundation
import Testing

@testable import DSL
@testable import NN

/// Writes that respect the file system: every case in a temporary directory (never a real device).
@Suite struct FileDestinationTests {
  let dir: String

  init() throws {
    dir = NSTemporaryDirectory() + "file-destination-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  private func mode(_ path: String) -> mode_t {
    var st = stat()
    _ = lstat(path, &st)
    return st.st_mode
  }

  private func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

  @Test func createsNewFilesAndDirectories() throws {
    let path = dir + "/a/b/new.csv"
    try FileDestination.write("x,y\n", to: path)
    #expect(text(path) == "x,y\n")
    #expect(mode(path) & S_IFMT == S_IFREG)
    #expect(mode(path) & 0o777 == 0o666 & ~0o022 || mode(path) & 0o777 == 0o644 || mode(path) & 0o600 == 0o600)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/a/b")
    #expect(leftovers == ["new.csv"], "no temporary file may remain")
  }

  @Test func replacesRegularFileKeepingMode() throws {
    let path = dir + "/keep.csv"
    try "old".write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, 0o640)
    try FileDestination.write(Data([0, 1, 2, 255]), to: path)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([0, 1, 2, 255]))
    #expect(mode(path) & 0o7777 == 0o640)
  }

  @Test func readOnlyRefusedUnlessForced() throws {
    let path = dir + "/ro.csv"
    try "old".write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, 0o444)
    #expect(throws: FileWriteError.readOnly(path: path)) { try FileDestination.write("new", to: path) }
    #expect(text(path) == "old")
    try FileDestination.write("new", to: path, force: true)
    #expect(text(path) == "new")
    #expect(mode(path) & 0o7777 == 0o444, "a forced write keeps the file read-only")
  }

  @Test func specialFilesAreRefusedAndLeftAlone() throws {
    let fifo = dir + "/fifo"
    #expect(mkfifo(fifo, 0o644) == 0)
    #expect(throws: FileWriteError.notRegularFile(path: fifo, kind: "FIFO (named pipe)")) {
      try FileDestination.write("x", to: fifo)
    }
    #expect(mode(fifo) & S_IFMT == S_IFIFO)

    #expect(throws: FileWriteError.isDirectory(path: dir)) { try FileDestination.write("x", to: dir) }

    // A socket node.
    let socketPath = dir + "/sock"
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    defer { close(fd) }
    if bound == 0 {
      #expect(throws: FileWriteError.notRegularFile(path: socketPath, kind: "socket")) {
        try FileDestination.write("x", to: socketPath)
      }
      #expect(mode(socketPath) & S_IFMT == S_IFSOCK)
    }

    // A character device node made in the temporary directory (root only): /dev/null's numbers.
    let device = dir + "/null-device"
    if getuid() == 0, mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0 {
      #expect(throws: FileWriteError.notRegularFile(path: device, kind: "character device")) {
        try FileDestination.write("x", to: device)
      }
      #expect(mode(device) & S_IFMT == S_IFCHR, "the device node must stay a device")
    }
  }

  @Test func symlinksAreFollowedDeliberately() throws {
    let target = dir + "/target.csv"
    try "old".write(toFile: target, atomically: false, encoding: .utf8)
    let link = dir + "/link.csv"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.csv")
    try FileDestination.write("new", to: link)
    #expect(text(target) == "new")
    #expect(mode(link) & S_IFMT == S_IFLNK, "the link stays a link")

    let fifo = dir + "/p"
    #expect(mkfifo(fifo, 0o644) == 0)
    let toFifo = dir + "/to-fifo"
    try FileManager.default.createSymbolicLink(atPath: toFifo, withDestinationPath: fifo)
    #expect(throws: FileWriteError.self) { try FileDestination.write("x", to: toFifo) }
    #expect(mode(fifo) & S_IFMT == S_IFIFO)

    let dangling = dir + "/dangling"
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: dir + "/nothing")
    #expect(throws: FileWriteError.danglingLink(path: dangling, target: dir + "/nothing")) {
      try FileDestination.write("x", to: dangling)
    }
    let loop = dir + "/loop"
    try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop")
    #expect(throws: FileWriteError.linkLoop(path: loop)) { try FileDestination.write("x", to: loop) }
  }

  @Test func parentThatIsAFileIsReported() throws {
    let file = dir + "/plain"
    try "x".write(toFile: file, atomically: false, encoding: .utf8)
    #expect(throws: FileWriteError.parentNotDirectory(path: file + "/x.csv", parent: file)) {
      try FileDestination.write("y", to: file + "/x.csv")
    }
  }
}

/// `export` and `report` through the session: refusals are errors, nothing is written beside them.
@Suite struct SessionWriteTests {
  @Test func exportAndReportRefuseSpecialFilesAndWriteNothingElse() throws {
    let f = try SessionFixture(train: 40, test: 20)
    let out = f.session.outputDirectory
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    #expect(f.run(f.load + "\nmodel 784-16-relu-10\ntrain epochs=1 batch=20 as a").isOK)
    let fifo = out + "/runs.csv"
    #expect(mkfifo(fifo, 0o644) == 0)
    let export = f.run("export file=\"runs.csv\"")
    #expect(!export.isOK)
    #expect(export.errorText.contains("FIFO"))
    #expect(!FileManager.default.fileExists(atPath: out + "/runs-epochs.csv"), "no side file after a refusal")

    let mdFifo = out + "/study.md"
    #expect(mkfifo(mdFifo, 0o644) == 0)
    let report = f.run("report file=\"study.md\"")
    #expect(!report.isOK)
    #expect(!f.stdout.contains("wrote the report"))
    let names = try FileManager.default.contentsOfDirectory(atPath: out)
    #expect(!names.contains { $0.contains("figure") }, "no figures beside a refused report: \(names)")
    #expect(report.errorText.contains("not a regular file"))
  }

  @Test func readOnlyExportNeedsForce() throws {
    let f = try SessionFixture(train: 40, test: 20)
    let out = f.session.outputDirectory
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    #expect(f.run(f.load + "\nmodel 784-16-relu-10\ntrain epochs=1 batch=20 as a").isOK)
    let path = out + "/ro.json"
    try "{}".write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, 0o444)
    let refused = f.run("export file=\"ro.json\"")
    #expect(refused.errorText.contains("read-only"))
    #expect(refused.errorText.contains("force=on"))
    #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "{}")
    #expect(f.run("export file=\"ro.json\" force=on").isOK)
    #expect((try? String(contentsOfFile: path, encoding: .utf8))?.contains("\"runs\"") == true)
  }

  @Test func pathsExpandHomeAndRefuseNUL() throws {
    let f = try SessionFixture(train: 40, test: 20)
    #expect(f.run(f.load + "\nmodel 784-16-relu-10\ntrain epochs=1 batch=20 as a").isOK)
    // The fixture's HOME is its directory.
    #expect(f.run("export file=\"~/home.csv\"").isOK)
    #expect(FileManager.default.fileExists(atPath: f.directory + "/home.csv"))
    let nul = f.run("export file=\"x\\u{0}y.csv\"")
    #expect(!nul.isOK)
    #expect(nul.errorText.contains("NUL"))
    #expect(!FileManager.default.fileExists(atPath: f.session.outputDirectory + "/x"))
    let load = f.run("load fashion dir=\"/d\\u{0}x\"")
    #expect(load.errorText.contains("NUL"))
    let user = f.run("export file=\"~no-such-user-here/x.csv\"")
    #expect(user.errorText.contains("no user 'no-such-user-here'"))
  }

  @Test func loadingStopsOnInterrupt() throws {
    let f = try SessionFixture(train: 40, test: 20)
    // More than one read chunk of images, so the interrupt is seen while reading.
    let count = IDXFile.chunkBytes / 784 + 200
    try IDXFile.write(
      path: f.directory + "/train-images-idx3-ubyte.gz", dimensions: [count, 28, 28],
      bytes: [UInt8](repeating: 9, count: count * 784), gzip: true)
    try IDXFile.write(
      path: f.directory + "/train-labels-idx1-ubyte.gz", dimensions: [count],
      bytes: [UInt8](repeating: 1, count: count), gzip: true)
    let outcome = f.run(f.load, stopAfter: 0)
    #expect(outcome.error?.ename == "Interrupted")
    #expect(outcome.errorText.contains("no data set was loaded"))
    #expect(f.session.dataset == nil)
    #expect(f.run(f.load).isOK, "the same load runs when not interrupted")
  }

  @Test func zeroTestImagesIsRefused() throws {
    let f = try SessionFixture(train: 40, test: 20)
    try IDXFile.writeForTests(path: f.directory + "/t10k-images-idx3-ubyte.gz", dimensions: [0, 28, 28])
    try IDXFile.writeForTests(path: f.directory + "/t10k-labels-idx1-ubyte.gz", dimensions: [0])
    let outcome = f.run(f.load)
    #expect(outcome.errorText.contains("holds no images"))
  }
}

extension IDXFile {
  /// An empty-data IDX file of the given dimensions (one of them 0).
  static func writeForTests(path: String, dimensions: [Int]) throws {
    try write(path: path, dimensions: dimensions, bytes: [], gzip: true)
  }
}

extension ExecutionOutcome {
  /// Whether the cell ran to the end.
  var isOK: Bool { self == .ok }
  /// The error's value and traceback as one text ("" when the cell ran).
  var errorText: String { error.map { ([$0.evalue] + $0.traceback).joined(separator: "\n") } ?? "" }
}
