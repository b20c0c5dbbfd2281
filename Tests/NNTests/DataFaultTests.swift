import CZlib
import Foundation
import Testing

@testable import NN

/// Hostile data files: special files, headers that lie, wrong magic numbers, empty sets, interrupts.
@Suite struct DataFaultTests {
  private func gzipHeaderOnly(_ path: String, magic: UInt32, dimensions: [UInt32], payload: Int = 0) throws {
    var bytes: [UInt8] = []
    for v in [magic] + dimensions {
      bytes += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
    bytes += [UInt8](repeating: 0, count: payload)
    // IDXFile.write computes its own header; write the raw (lying) header through zlib directly.
    let file = try #require(gzopen(path, "wb"))
    _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    gzclose(file)
  }

  /// The error of loading a generated Fashion-MNIST directory whose training images file is
  /// replaced by a gzip stream with a raw (lying) header; `path` is that file.
  private func loadWithImagesHeader(magic: UInt32, dimensions: [UInt32], payload: Int) throws -> (
    path: String, error: DataError?
  ) {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir)
    let path = dir + "/train-images-idx3-ubyte.gz"
    try gzipHeaderOnly(path, magic: magic, dimensions: dimensions, payload: payload)
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    return (path, error)
  }

  @Test func fifoAsDataFileIsRefusedAtOnce() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir)
    let path = dir + "/train-images-idx3-ubyte.gz"
    try FileManager.default.removeItem(atPath: path)
    #expect(mkfifo(path, 0o644) == 0)
    let started = Date()
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(error == .notRegularFile(path: path, kind: "FIFO (named pipe)"))
    #expect(Date().timeIntervalSince(started) < 5)
  }

  @Test func directoryAsDataFileIsRefused() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir)
    let path = dir + "/train-labels-idx1-ubyte.gz"
    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(error == .notRegularFile(path: path, kind: "directory"))
  }

  @Test func bombHeaderIsRejectedBeforeReading() throws {
    // 1 GiB of images announced (16384 × 256 × 256), a few bytes present.
    let (path, error) = try loadWithImagesHeader(magic: 0x803, dimensions: [16384, 256, 256], payload: 1000)
    guard case .tooLarge(let p, let dims, _) = error else {
      Issue.record("expected tooLarge, got \(String(describing: error))")
      return
    }
    #expect(p == path && dims == [16384, 256, 256])
    #expect(error?.description.contains("not a Fashion-MNIST file") == true)
  }

  @Test func lyingHeaderWithinLimitsIsTruncatedNotAllocated() throws {
    let (path, error) = try loadWithImagesHeader(magic: 0x803, dimensions: [200_000, 28, 28], payload: 5000)
    #expect(error == .truncated(path: path, expectedBytes: 200_000 * 784, gotBytes: 5000))
  }

  @Test func uncompressedLyingHeaderIsCaughtFromTheFileSize() throws {
    let dir = try TestSupport.tempDirectory()
    let path = dir + "/plain-idx"
    var bytes: [UInt8] = [0, 0, 8, 3, 0, 1, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]  // 65536 images
    bytes += [UInt8](repeating: 1, count: 100)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    #expect(throws: DataError.truncated(path: path, expectedBytes: 65536 * 784, gotBytes: 100)) {
      try IDXFile.readStorage(path: path, kind: .images)
    }
  }

  @Test func labelsMagicInImagesFileIsNamed() throws {
    // A real images file whose magic says labels: dimensions 6, 28, 28 follow.
    let (path, error) = try loadWithImagesHeader(magic: 0x801, dimensions: [6, 28, 28], payload: 6 * 784)
    #expect(error == .badMagic(path: path, found: 0x801, expected: 0x803))
    #expect(error?.description.contains("0x801 (IDX labels") == true)
    #expect(error?.description.contains("0x803 (IDX images") == true)
  }

  @Test func emptySetsAreRefused() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir, test: 0)
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(error == .empty(path: dir + "/t10k-images-idx3-ubyte.gz", what: "images"))
  }

  @Test func readingStopsWhenAsked() throws {
    let dir = try TestSupport.tempDirectory()
    // More than one read chunk, so shouldStop is polled.
    let count = IDXFile.chunkBytes / 784 + 100
    try IDXFile.write(
      path: dir + "/big", dimensions: [count, 28, 28], bytes: [UInt8](repeating: 3, count: count * 784),
      gzip: true)
    #expect(throws: DataError.interrupted(path: dir + "/big")) {
      try IDXFile.readStorage(path: dir + "/big", kind: .images, shouldStop: { true })
    }
    let read = try IDXFile.readStorage(path: dir + "/big", kind: .images, shouldStop: { false })
    #expect(read.dimensions == [count, 28, 28])
  }
}

/// The one resolution of user-given paths.
@Suite struct UserPathTests {
  @Test func tildeAndUsers() throws {
    let env = ["HOME": "/home/me"]
    #expect(try UserPath.resolve("~", environment: env) == "/home/me")
    #expect(try UserPath.resolve("~/x.csv", environment: env) == "/home/me/x.csv")
    #expect(try UserPath.resolve("a/b", relativeTo: "/out", environment: env) == "/out/a/b")
    #expect(try UserPath.resolve("/abs", relativeTo: "/out", environment: env) == "/abs")
    #expect(try UserPath.resolve("x~y", relativeTo: "/out", environment: env) == "/out/x~y")
    // ~root is root's home from the password database, not HOME + "root".
    let rootHome = try #require(UserPath.homeDirectory(user: "root"))
    #expect(try UserPath.resolve("~root/x", environment: env) == rootHome + "/x")
    #expect(try UserPath.resolve("~root", environment: env) == rootHome)
    #expect(throws: UserPathError.unknownUser(user: "no-such-user-zz", path: "~no-such-user-zz/x")) {
      try UserPath.resolve("~no-such-user-zz/x", environment: env)
    }
  }

  @Test func nulAndEmptyAreRefused() {
    #expect(throws: UserPathError.containsNUL("x\u{0}y.csv")) { try UserPath.resolve("x\u{0}y.csv", relativeTo: "/o") }
    #expect(throws: UserPathError.empty) { try UserPath.resolve("") }
    #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: "/d\u{0}x", environment: [:])
    }
  }
}
