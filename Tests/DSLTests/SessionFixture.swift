import Foundation

@testable import DSL
@testable import NN

/// A session over a tiny, learnable, Fashion-MNIST-shaped data set written as real IDX .gz files.
final class SessionFixture {
  let directory: String
  let session: Session
  /// Everything emitted so far, in order.
  var items: [OutputItem] = []
  var progressUpdates: [ProgressUpdate] = []

  /// Writes `train`/`test` examples of 28×28 images in 10 classes (class prototype + noise).
  init(train: Int = 240, test: Int = 60) throws {
    directory = NSTemporaryDirectory() + "dsl-session-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var rng = RandomGenerator(seed: 7)
    func next() -> UInt64 { rng.next() }
    let px = 28 * 28
    let prototypes = (0..<10).map { _ in (0..<px).map { _ in next() % 2 == 0 ? 30 : 220 } }
    func make(_ n: Int) -> ([UInt8], [UInt8]) {
      var images: [UInt8] = []
      var labels: [UInt8] = []
      for i in 0..<n {
        let c = i % 10
        labels.append(UInt8(c))
        for j in 0..<px {
          let noise = Int(next() % 61) - 30
          images.append(UInt8(max(0, min(255, prototypes[c][j] + noise))))
        }
      }
      return (images, labels)
    }
    let (trI, trL) = make(train)
    let (teI, teL) = make(test)
    try IDXFile.write(
      path: directory + "/train-images-idx3-ubyte.gz", dimensions: [train, 28, 28], bytes: trI, gzip: true)
    try IDXFile.write(path: directory + "/train-labels-idx1-ubyte.gz", dimensions: [train], bytes: trL, gzip: true)
    try IDXFile.write(
      path: directory + "/t10k-images-idx3-ubyte.gz", dimensions: [test, 28, 28], bytes: teI, gzip: true)
    try IDXFile.write(path: directory + "/t10k-labels-idx1-ubyte.gz", dimensions: [test], bytes: teL, gzip: true)
    // No FASHION_MNIST_DIR or cache: statements must name the directory.
    session = Session(environment: ["HOME": directory])
    session.outputDirectory = directory + "/out"
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// Runs a cell, collecting its outputs; `stopAfter` progress updates, shouldStop turns true.
  @discardableResult
  func run(_ text: String, stopAfter: Int? = nil) -> ExecutionOutcome {
    var seen = 0
    return session.execute(
      text, emit: { self.items.append($0) },
      progress: { self.progressUpdates.append($0) },
      shouldStop: {
        seen += 1
        return stopAfter.map { seen > $0 } ?? false
      })
  }

  /// The `load` statement for the fixture's files.
  var load: String { "load fashion dir=\"\(directory)\"" }

  /// Emitted tables, charts and texts.
  var tables: [Table] { items.compactMap { if case .table(let t) = $0 { return t } else { return nil } } }
  var charts: [Chart] { items.compactMap { if case .chart(let c) = $0 { return c } else { return nil } } }
  var stdout: String { items.compactMap { if case .text(let s) = $0 { return s } else { return nil } }.joined() }
  var stderr: String { items.compactMap { if case .stderr(let s) = $0 { return s } else { return nil } }.joined() }
}
