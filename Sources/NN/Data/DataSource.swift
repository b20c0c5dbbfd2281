import Foundation

/// Finds and loads Fashion-MNIST.
public enum DataSource {
  /// File names of the four Fashion-MNIST files.
  public static let fileNames = [
    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
  ]

  /// The system-wide directory of Debian's `dataset-fashion-mnist` package.
  public static let systemDirectory = "/usr/share/datasets/fashion-mnist"

  /// Directories looked at, in order. An explicit directory is the only place looked
  /// (a typo must not silently load other data); otherwise FASHION_MNIST_DIR, the user cache
  /// ($XDG_CACHE_HOME or ~/.cache)/nn-dsl/fashion-mnist, then the Debian path. Every path goes
  /// through `UserPath` (`~`, `~user`; a path with a NUL is left out).
  public static func searchPaths(directory: String?, environment: [String: String]) -> [String] {
    func resolved(_ p: String) -> String? { try? UserPath.resolve(p, environment: environment) }
    if let directory, !directory.isEmpty { return [resolved(directory) ?? directory] }
    var paths: [String] = []
    if let env = environment["FASHION_MNIST_DIR"], !env.isEmpty, let p = resolved(env) {
      paths.append(p)
    }
    if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty, let p = resolved(xdg) {
      paths.append(p + "/nn-dsl/fashion-mnist")
    } else if let home = environment["HOME"], !home.isEmpty {
      paths.append(home + "/.cache/nn-dsl/fashion-mnist")
    }
    paths.append(systemDirectory)
    return paths
  }

  /// Loads train and test sets from the first directory of `searchPaths` that holds the files.
  /// `shouldStop` is polled while reading; true stops with `DataError.interrupted`.
  public static func loadFashionMNIST(
    directory: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    shouldStop: () -> Bool = { false }
  ) throws -> Dataset {
    if let directory, !directory.isEmpty {
      do {
        _ = try UserPath.resolve(directory, environment: environment)
      } catch {
        throw DataError.badPath(error.description)
      }
    }
    let fm = FileManager.default
    for dir in searchPaths(directory: directory, environment: environment) {
      let present = fileNames.map { fm.fileExists(atPath: dir + "/" + $0) }
      if !present.contains(true) { continue }
      let missing = zip(fileNames, present).filter { !$0.1 }.map(\.0)
      guard missing.isEmpty else { throw DataError.incomplete(directory: dir, missing: missing) }
      let paths = fileNames.map { dir + "/" + $0 }
      let train = try loadPair(images: paths[0], labels: paths[1], shouldStop: shouldStop)
      let test = try loadPair(images: paths[2], labels: paths[3], shouldStop: shouldStop)
      guard train.width == test.width else {
        throw DataError.badDimensions(
          path: paths[2], found: test.dims, expected: "images of width \(train.width)")
      }
      return try Dataset(
        name: "fashion-mnist", source: dir, inputWidth: train.width, classes: 10,
        trainImages: train.images, trainLabels: train.labels,
        testImages: test.images, testLabels: test.labels)
    }
    throw DataError.notFound(searched: searchPaths(directory: directory, environment: environment))
  }

  /// Reads an images file (magic 0x803, N×rows×cols) and its labels file (magic 0x801, N).
  static func loadPair(images: String, labels: String, shouldStop: () -> Bool = { false }) throws
    -> (images: ByteStorage, labels: ByteStorage, width: Int, dims: [Int])
  {
    let img = try IDXFile.readStorage(path: images, kind: .images, shouldStop: shouldStop)
    guard img.dimensions.count == 3, img.dimensions[1] > 0, img.dimensions[2] > 0 else {
      throw DataError.badDimensions(path: images, found: img.dimensions, expected: "N×rows×cols")
    }
    guard img.dimensions[0] > 0 else { throw DataError.empty(path: images, what: "images") }
    let lab = try IDXFile.readStorage(path: labels, kind: .labels, shouldStop: shouldStop)
    guard img.dimensions[0] == lab.dimensions[0] else {
      throw DataError.countMismatch(
        images: images, imageCount: img.dimensions[0], labels: labels,
        labelCount: lab.dimensions[0])
    }
    if let bad = lab.data.bytes.firstIndex(where: { $0 >= 10 }) {
      throw DataError.badLabel(
        path: labels, index: bad, value: Int(lab.data.bytes[bad]), classes: 10)
    }
    return (img.data, lab.data, img.dimensions[1] * img.dimensions[2], img.dimensions)
  }
}
