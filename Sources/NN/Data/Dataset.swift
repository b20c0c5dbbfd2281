/// A classification data set held as uint8 pixels and uint8 labels (scaled to [0,1] per batch).
public struct Dataset: Sendable {
  /// Short name, e.g. "fashion-mnist".
  public let name: String
  /// Where it came from (a directory, or "memory").
  public let source: String
  /// Number of training examples in use.
  public let trainCount: Int
  /// Number of test examples in use.
  public let testCount: Int
  /// Values per example (784).
  public let inputWidth: Int
  /// Number of classes (10).
  public let classes: Int

  let trainImages: ByteStorage
  let trainLabels: ByteStorage
  let testImages: ByteStorage
  let testLabels: ByteStorage

  /// Builds a data set from memory (images row-major, `inputWidth` bytes each; labels < classes).
  public init(
    name: String, source: String = "memory", inputWidth: Int, classes: Int,
    trainImages: [UInt8], trainLabels: [UInt8], testImages: [UInt8], testLabels: [UInt8]
  ) throws {
    try self.init(
      name: name, source: source, inputWidth: inputWidth, classes: classes,
      trainImages: ByteStorage(trainImages), trainLabels: ByteStorage(trainLabels),
      testImages: ByteStorage(testImages), testLabels: ByteStorage(testLabels))
  }

  init(
    name: String, source: String, inputWidth: Int, classes: Int,
    trainImages: ByteStorage, trainLabels: ByteStorage, testImages: ByteStorage,
    testLabels: ByteStorage
  ) throws {
    guard inputWidth > 0, classes > 1 else {
      throw DataError.invalid("input width \(inputWidth) and classes \(classes) must be positive")
    }
    for (images, labels, split) in [
      (trainImages, trainLabels, "train"), (testImages, testLabels, "test"),
    ] {
      guard images.count == labels.count * inputWidth else {
        throw DataError.invalid(
          "\(split): \(images.count) image bytes for \(labels.count) labels of width \(inputWidth)")
      }
      if let bad = labels.bytes.firstIndex(where: { Int($0) >= classes }) {
        throw DataError.badLabel(
          path: "\(source) (\(split))", index: bad, value: Int(labels.bytes[bad]), classes: classes)
      }
    }
    self.name = name
    self.source = source
    self.inputWidth = inputWidth
    self.classes = classes
    self.trainImages = trainImages
    self.trainLabels = trainLabels
    self.testImages = testImages
    self.testLabels = testLabels
    self.trainCount = trainLabels.count
    self.testCount = testLabels.count
  }

  private init(_ base: Dataset, trainCount: Int, testCount: Int) {
    name = base.name
    source = base.source
    inputWidth = base.inputWidth
    classes = base.classes
    trainImages = base.trainImages
    trainLabels = base.trainLabels
    testImages = base.testImages
    testLabels = base.testLabels
    self.trainCount = trainCount
    self.testCount = testCount
  }

  /// The first `train` training and first `test` test examples (nil: all); shares storage.
  public func subset(train: Int?, test: Int?) -> Dataset {
    Dataset(
      self, trainCount: min(max(train ?? trainCount, 0), trainCount),
      testCount: min(max(test ?? testCount, 0), testCount))
  }

  /// Count of examples in a split.
  public func count(_ split: DataSplit) -> Int { split == .train ? trainCount : testCount }

  /// The label of one example.
  public func label(_ split: DataSplit, _ index: Int) -> Int {
    Int((split == .train ? trainLabels : testLabels).bytes[index])
  }

  func storage(_ split: DataSplit) -> (images: ByteStorage, labels: ByteStorage) {
    split == .train ? (trainImages, trainLabels) : (testImages, testLabels)
  }
}
