import Foundation
import Testing

@testable import NN

/// Small helpers shared by the NN tests.
enum TestSupport {
  /// A fresh CPU backend (each test owns its own; CPU buffers do not depend on the instance).
  static var backend: CPUBackend { CPUBackend(threads: 1) }

  static func buffer(_ values: [Float]) -> DeviceBuffer<Float> {
    let b = backend.allocate(floats: values.count)
    values.withUnsafeBufferPointer { backend.upload($0, to: b) }
    return b
  }

  static func indices(_ values: [Int32]) -> DeviceBuffer<Int32> {
    let b = backend.allocate(indices: values.count)
    values.withUnsafeBufferPointer { backend.upload($0, to: b) }
    return b
  }

  static func read(_ b: DeviceBuffer<Float>) -> [Float] {
    var host = [Float](repeating: 0, count: b.count)
    host.withUnsafeMutableBufferPointer { backend.download(b, into: $0) }
    return host
  }

  /// Deterministic values in [-1, 1).
  static func values(_ n: Int, seed: UInt64) -> [Float] {
    var rng = RandomGenerator(seed: seed)
    return (0..<n).map { _ in Float(rng.nextUnit() * 2 - 1) }
  }

  /// A fresh empty temporary directory.
  static func tempDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "nn-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Linearly separable data: each class has a prototype image; examples are prototype + noise.
  static func separableData(
    train: Int, test: Int, width: Int = 16, classes: Int = 3, seed: UInt64 = 7
  ) throws -> Dataset {
    var rng = RandomGenerator(seed: seed)
    let prototypes = (0..<classes).map { _ in
      (0..<width).map { _ in rng.nextUnit() < 0.5 ? 40.0 : 215.0 }
    }
    func make(_ n: Int) -> ([UInt8], [UInt8]) {
      var images: [UInt8] = []
      var labels: [UInt8] = []
      for _ in 0..<n {
        let c = Int(rng.next(below: UInt64(classes)))
        labels.append(UInt8(c))
        for j in 0..<width {
          let v = prototypes[c][j] + (rng.nextUnit() - 0.5) * 60
          images.append(UInt8(max(0, min(255, v))))
        }
      }
      return (images, labels)
    }
    let (trI, trL) = make(train)
    let (teI, teL) = make(test)
    return try Dataset(
      name: "separable", inputWidth: width, classes: classes,
      trainImages: trI, trainLabels: trL, testImages: teI, testLabels: teL)
  }

  /// Writes the four Fashion-MNIST-named IDX files for a tiny 28×28 data set into `dir`.
  static func writeFashionFiles(
    dir: String, train: Int = 6, test: Int = 4, trainLabels: Int? = nil
  ) throws {
    let px = 28 * 28
    let trainImages = (0..<train * px).map { UInt8($0 % 251) }
    let testImages = (0..<test * px).map { UInt8($0 % 241) }
    let nLabels = trainLabels ?? train
    try IDXFile.write(
      path: dir + "/train-images-idx3-ubyte.gz", dimensions: [train, 28, 28], bytes: trainImages,
      gzip: true)
    try IDXFile.write(
      path: dir + "/train-labels-idx1-ubyte.gz", dimensions: [nLabels],
      bytes: (0..<nLabels).map { UInt8($0 % 10) }, gzip: true)
    try IDXFile.write(
      path: dir + "/t10k-images-idx3-ubyte.gz", dimensions: [test, 28, 28], bytes: testImages,
      gzip: true)
    try IDXFile.write(
      path: dir + "/t10k-labels-idx1-ubyte.gz", dimensions: [test],
      bytes: (0..<test).map { UInt8($0 % 10) }, gzip: true)
  }
}
