import Foundation
import Testing

@testable import NN

/// IDX reading and data-set resolution, with files generated in temporary directories.
struct DataTests {
  @Test(arguments: [true, false])
  func idxRoundTrip(gzip: Bool) throws {
    let dir = try TestSupport.tempDirectory()
    let bytes = (0..<24).map { UInt8($0 * 7 % 256) }
    try IDXFile.write(path: dir + "/a", dimensions: [2, 3, 4], bytes: bytes, gzip: gzip)
    let read = try IDXFile.read(path: dir + "/a")
    #expect(read.dimensions == [2, 3, 4])
    #expect(read.bytes == bytes)
  }

  @Test func loadsGeneratedFashionFiles() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir, train: 6, test: 4)
    let data = try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    #expect(data.trainCount == 6)
    #expect(data.testCount == 4)
    #expect(data.inputWidth == 784)
    #expect(data.classes == 10)
    #expect(data.source == dir)
    #expect(data.label(.train, 3) == 3)
    let sub = data.subset(train: 2, test: nil)
    #expect(sub.trainCount == 2 && sub.testCount == 4)
    #expect(data.subset(train: 100, test: 1).trainCount == 6)
  }

  @Test func searchOrder() {
    let env = ["FASHION_MNIST_DIR": "/env/dir", "XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"]
    #expect(
      DataSource.searchPaths(directory: nil, environment: env) == [
        "/env/dir", "/xdg/nn-dsl/fashion-mnist", "/usr/share/datasets/fashion-mnist",
      ])
    #expect(
      DataSource.searchPaths(directory: nil, environment: ["HOME": "/home/u"]) == [
        "/home/u/.cache/nn-dsl/fashion-mnist", "/usr/share/datasets/fashion-mnist",
      ])
    #expect(DataSource.searchPaths(directory: "/explicit", environment: env) == ["/explicit"])
  }

  @Test func environmentDirectoryIsUsed() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir)
    let data = try DataSource.loadFashionMNIST(
      directory: nil, environment: ["FASHION_MNIST_DIR": dir, "HOME": "/nonexistent"])
    #expect(data.source == dir)
  }

  @Test func missingDirectoryListsPathsAndFix() throws {
    let missing = try TestSupport.tempDirectory() + "/nope"
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: missing, environment: [:])
    }
    let message = error?.description ?? ""
    #expect(message.contains(missing))
    #expect(message.contains("sudo apt-get install dataset-fashion-mnist"))
    // Without an explicit directory every place looked is listed.
    let env = ["FASHION_MNIST_DIR": missing, "XDG_CACHE_HOME": missing + "/cache"]
    if !FileManager.default.fileExists(atPath: DataSource.systemDirectory) {
      let all = #expect(throws: DataError.self) {
        try DataSource.loadFashionMNIST(directory: nil, environment: env)
      }
      for path in DataSource.searchPaths(directory: nil, environment: env) {
        #expect(all?.description.contains(path) == true)
      }
    }
    #expect(DataError.notFound(searched: ["/a", "/b"]).description.contains("/b"))
  }

  @Test func incompleteDirectory() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir)
    try FileManager.default.removeItem(atPath: dir + "/t10k-labels-idx1-ubyte.gz")
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(error == .incomplete(directory: dir, missing: ["t10k-labels-idx1-ubyte.gz"]))
  }

  @Test func truncatedGzip() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir, train: 50)
    let path = dir + "/train-images-idx3-ubyte.gz"
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    let message = error?.description ?? ""
    #expect(message.contains(path))
    switch error {
    case .truncated, .corrupt: break
    default: Issue.record("expected truncated or corrupt, got \(String(describing: error))")
    }
  }

  @Test func corruptGzip() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir, train: 50)
    let path = dir + "/train-images-idx3-ubyte.gz"
    var whole = try Data(contentsOf: URL(fileURLWithPath: path))
    for i in 20..<min(200, whole.count - 10) { whole[i] ^= 0x5a }
    try whole.write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(error?.description.contains(path) == true)
  }

  @Test func wrongMagic() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir)
    // A labels-shaped file (magic 0x801) where the images belong.
    let path = dir + "/train-images-idx3-ubyte.gz"
    try IDXFile.write(path: path, dimensions: [6], bytes: [1, 2, 3, 4, 5, 6], gzip: true)
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(error == .badMagic(path: path, found: 0x801, expected: 0x803))
    #expect(error?.description.contains("0x801") == true)
    // Not IDX at all.
    try Data("hello, world".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: DataError.self) { try IDXFile.read(path: path) }
  }

  @Test func labelImageCountMismatch() throws {
    let dir = try TestSupport.tempDirectory()
    try TestSupport.writeFashionFiles(dir: dir, train: 6, trainLabels: 5)
    let error = #expect(throws: DataError.self) {
      try DataSource.loadFashionMNIST(directory: dir, environment: [:])
    }
    #expect(
      error
        == .countMismatch(
          images: dir + "/train-images-idx3-ubyte.gz", imageCount: 6,
          labels: dir + "/train-labels-idx1-ubyte.gz", labelCount: 5))
  }

  @Test func trailingDataAndBadLabel() throws {
    let dir = try TestSupport.tempDirectory()
    var raw: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3]  // announces 2 bytes, holds 3
    try Data(raw).write(to: URL(fileURLWithPath: dir + "/t"))
    #expect(throws: DataError.trailingData(path: dir + "/t", expectedBytes: 2)) {
      try IDXFile.read(path: dir + "/t")
    }
    raw = [0, 0, 8, 1, 0, 0, 0, 4, 1, 2]  // announces 4, holds 2
    try Data(raw).write(to: URL(fileURLWithPath: dir + "/u"))
    #expect(throws: DataError.truncated(path: dir + "/u", expectedBytes: 4, gotBytes: 2)) {
      try IDXFile.read(path: dir + "/u")
    }
    #expect(throws: DataError.self) {
      try Dataset(
        name: "x", inputWidth: 2, classes: 3, trainImages: [0, 0], trainLabels: [3],
        testImages: [], testLabels: [])
    }
  }
}
