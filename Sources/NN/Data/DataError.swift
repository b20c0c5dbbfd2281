/// A problem with the data files, with what a user can do about it.
public enum DataError: Error, CustomStringConvertible, Equatable {
  /// No directory with the data set was found; `searched` lists every place looked.
  case notFound(searched: [String])
  /// A directory has some of the four files but not all.
  case incomplete(directory: String, missing: [String])
  /// A file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The gzip stream is damaged.
  case corrupt(path: String, reason: String)
  /// The file ends before the size its header announces.
  case truncated(path: String, expectedBytes: Int, gotBytes: Int)
  /// The file goes on after the size its header announces.
  case trailingData(path: String, expectedBytes: Int)
  /// The IDX magic number is not the expected one.
  case badMagic(path: String, found: UInt32, expected: UInt32)
  /// The dimensions are not the expected ones.
  case badDimensions(path: String, found: [Int], expected: String)
  /// The images and labels files hold different numbers of examples.
  case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
  /// A label is not a valid class index.
  case badLabel(path: String, index: Int, value: Int, classes: Int)
  /// Data passed in memory is inconsistent.
  case invalid(String)

  static let installHint = "sudo apt-get install dataset-fashion-mnist"

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .notFound(let searched):
      return "Fashion-MNIST not found. Looked in:\n"
        + searched.map { "  - \($0)" }.joined(separator: "\n")
        + "\nFix: `\(Self.installHint)`, or set FASHION_MNIST_DIR to a directory holding "
        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz "
        + "and t10k-labels-idx1-ubyte.gz."
    case .incomplete(let directory, let missing):
      return "\(directory) holds only part of Fashion-MNIST; missing: "
        + missing.joined(separator: ", ")
        + ". Fix: `\(Self.installHint)` or copy the missing files."
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .corrupt(let path, let reason):
      return "\(path) is corrupt (\(reason)); reinstall it (`\(Self.installHint)`)"
    case .truncated(let path, let expected, let got):
      return "\(path) is truncated: its header announces \(expected) data bytes but only \(got) "
        + "could be read; reinstall it (`\(Self.installHint)`)"
    case .trailingData(let path, let expected):
      return "\(path) has data beyond the \(expected) bytes its header announces; "
        + "is it the right file?"
    case .badMagic(let path, let found, let expected):
      return "\(path) is not the expected IDX file: magic number 0x"
        + String(found, radix: 16) + ", expected 0x" + String(expected, radix: 16)
    case .badDimensions(let path, let found, let expected):
      return "\(path) has dimensions \(found.map(String.init).joined(separator: "×")), "
        + "expected \(expected)"
    case .countMismatch(let images, let imageCount, let labels, let labelCount):
      return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
    case .badLabel(let path, let index, let value, let classes):
      return "\(path): label \(value) at index \(index) is not a class in 0..<\(classes)"
    case .invalid(let why):
      return "invalid data: \(why)"
    }
  }
}
